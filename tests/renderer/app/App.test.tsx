import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../../src-renderer/app/App.js';
import { createFakeControl } from '../fake-control.js';
import { renderWith } from '../render.js';

describe('the console shell', () => {
  it('shows a page that fails to render as a notice in its place, and the other pages still work', async () => {
    const fake = createFakeControl();
    // A core answering something the page cannot read (here: no stats report at all).
    fake.getStats = async () => null as never;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup();
    renderWith(fake, <App />);
    expect((await screen.findByRole('alert')).textContent).toContain('This page could not be shown');
    await user.click(screen.getByRole('button', { name: 'Accounts' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Accounts'));
    expect(screen.queryByText(/could not be shown/)).toBeNull();
    quiet.mockRestore();
  });
});
