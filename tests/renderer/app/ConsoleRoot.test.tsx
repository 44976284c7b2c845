import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleRoot } from '../../../src-renderer/app/ConsoleRoot.js';
import type { TokenPlace } from '../../../src-renderer/transport/console-token.js';
import { SettingsSchema } from '../contract.js';

function memoryPlace(hash = ''): TokenPlace {
  const store = new Map<string, string>();
  return {
    location: { hash, pathname: '/ui/', search: '' },
    history: { replaceState: () => undefined },
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
  };
}

const STATUS = { running: true, host: '127.0.0.1', port: 8045, url: 'http://127.0.0.1:8045', started_at: 1, last_error: null };

/** The headless API as the console sees it, accepting one token. */
function api(goodToken: string) {
  return vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
    if (auth !== `Bearer ${goodToken}`) return new Response(JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'no' } }), { status: 401 });
    if (url === '/api/events') return new Response(new ReadableStream(), { status: 200 });
    const method = String(url).slice('/api/'.length);
    const values: Record<string, unknown> = {
      getStatus: STATUS,
      getSettings: SettingsSchema.parse({}),
      listAccounts: [],
      listWarnings: [],
      listRequests: [],
      getStats: { bucket: 'hour', buckets: [], totals: { requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced: 0 } },
      getUpdateStatus: { supported: false, current_version: '0.1.0', latest_version: null, release_url: null, checked_at: null, error: null },
    };
    return new Response(JSON.stringify({ ok: true, value: values[method] ?? null }), { status: 200 });
  });
}

describe('the headless console', () => {
  it('signs in with the token from the URL and shows the Overview', async () => {
    render(<ConsoleRoot place={memoryPlace('#token=good')} fetchImpl={api('good')} />);
    expect((await screen.findByRole('switch', { name: 'Gateway' })).getAttribute('aria-checked')).toBe('true');
  });

  it('asks for the token without one, and again, saying so, when the one given is refused', async () => {
    const user = userEvent.setup();
    render(<ConsoleRoot place={memoryPlace()} fetchImpl={api('good')} />);
    await user.type(screen.getByLabelText('Console token'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Open console' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That token was refused');
    await user.type(screen.getByLabelText('Console token'), 'good');
    await user.click(screen.getByRole('button', { name: 'Open console' }));
    await screen.findByRole('switch', { name: 'Gateway' });
  });

  it('moves between pages from the sidebar', async () => {
    const user = userEvent.setup();
    render(<ConsoleRoot place={memoryPlace('#token=good')} fetchImpl={api('good')} />);
    const nav = await screen.findByRole('navigation', { name: 'Console pages' });
    for (const title of ['Accounts', 'Live logs', 'Stats', 'Settings', 'Overview']) {
      await user.click(screen.getByRole('link', { name: title }));
      await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(title));
      expect(nav.querySelector('[aria-current="page"]')!.textContent).toBe(title);
    }
  });
});
