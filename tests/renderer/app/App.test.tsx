import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryLocation } from 'wouter/memory-location';
import { App } from '../../../src-renderer/app/App.js';
import { createFakeControl } from '../fake-control.js';
import { renderWith } from '../render.js';

const heading = () => screen.getByRole('heading', { level: 1 }).textContent;

beforeEach(() => {
  window.history.replaceState(null, '', '/ui/');
});

describe('the console shell', () => {
  it('shows a page that fails to render as a notice in its place, and the other pages still work', async () => {
    const fake = createFakeControl();
    // A core answering something the page cannot read (here: no stats report at all).
    fake.getStats = async () => null as never;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup();
    renderWith(fake, <App location={memoryLocation({ path: '/stats' }).hook} />);
    expect((await screen.findByRole('alert')).textContent).toContain('This page could not be shown');
    await user.click(screen.getByRole('link', { name: 'Accounts' }));
    await waitFor(() => expect(heading()).toBe('Accounts'));
    expect(screen.queryByText(/could not be shown/)).toBeNull();
    quiet.mockRestore();
  });
});

describe('page addresses', () => {
  it('opens on the Overview at the bare address, and writes its address so a reload stays there', async () => {
    renderWith(createFakeControl(), <App />);
    await waitFor(() => expect(heading()).toBe('Overview'));
    expect(window.location.hash).toBe('#/overview');
    expect(document.title).toBe('Overview · Switchyard');
  });

  it('opens the page a bookmark or a reload names', async () => {
    window.history.replaceState(null, '', '/ui/#/stats');
    renderWith(createFakeControl(), <App />);
    await waitFor(() => expect(heading()).toBe('Stats'));
    expect(screen.getByRole('navigation', { name: 'Console pages' }).querySelector('[aria-current="page"]')!.textContent).toBe('Stats');
  });

  it('gives each page a link of its own, and Back returns to the page before', async () => {
    const user = userEvent.setup();
    renderWith(createFakeControl(), <App />);
    await waitFor(() => expect(heading()).toBe('Overview'));
    const logs = screen.getByRole('link', { name: 'Live logs' });
    expect(logs.getAttribute('href')).toBe('#/logs');
    await user.click(logs);
    await waitFor(() => expect(heading()).toBe('Live logs'));
    expect(window.location.hash).toBe('#/logs');
    await user.click(screen.getByRole('link', { name: 'Settings' }));
    await waitFor(() => expect(heading()).toBe('Settings'));
    window.history.back();
    await waitFor(() => expect(window.location.hash).toBe('#/logs'));
    // A browser fires hashchange on a Back between two fragments; the test's DOM leaves that to us.
    act(() => void window.dispatchEvent(new HashChangeEvent('hashchange')));
    await waitFor(() => expect(heading()).toBe('Live logs'));
  });

  it('says so at an address that names no page, with the way back', async () => {
    const user = userEvent.setup();
    renderWith(createFakeControl(), <App location={memoryLocation({ path: '/nowhere' }).hook} />);
    expect(heading()).toBe('No such page');
    await user.click(screen.getByRole('link', { name: 'Go to the Overview' }));
    await waitFor(() => expect(heading()).toBe('Overview'));
  });
});
