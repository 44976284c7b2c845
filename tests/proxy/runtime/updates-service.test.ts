import { describe, expect, it, vi } from 'vitest';
import type { ControlEvents, UpdateStatus } from '../../../src-proxy/contract/index.js';
import { EventBus } from '../../../src-proxy/lib/event-bus.js';
import { UpdatesService, type ReleaseFeed } from '../../../src-proxy/runtime/updates-service.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';

function setup(feed: ReleaseFeed | null, opts: { updateCheck?: boolean } = {}) {
  const settings = new MemorySettingsStore({ update_check: opts.updateCheck ?? false });
  const events = new EventBus<ControlEvents>();
  const seen: UpdateStatus[] = [];
  events.on('update', (s) => seen.push(s));
  const service = new UpdatesService({ currentVersion: '1.2.0', feed, settings, events, now: () => 1000 });
  return { service, settings, seen };
}

const feedOf = (version: string) => {
  const latest = vi.fn(async () => ({ version, url: `https://example.test/releases/${version}` }));
  return { latest };
};

describe('UpdatesService', () => {
  it('does not look for releases until the user agrees, and a click checks once', async () => {
    const feed = feedOf('v1.3.0');
    const { service, seen } = setup(feed);
    expect(feed.latest).not.toHaveBeenCalled();
    const status = await service.check();
    expect(status).toEqual({
      supported: true,
      current_version: '1.2.0',
      latest_version: '1.3.0',
      release_url: 'https://example.test/releases/v1.3.0',
      checked_at: 1000,
      error: null,
    });
    expect(seen).toEqual([status]);
    expect(feed.latest).toHaveBeenCalledTimes(1);
    service.close();
  });

  it('checks on its own once update_check is on, and stops when it is turned off', async () => {
    const feed = feedOf('1.2.0');
    const { service, settings } = setup(feed);
    await settings.update({ update_check: true });
    await vi.waitFor(() => expect(feed.latest).toHaveBeenCalledTimes(1));
    expect((await service.status()).latest_version).toBeNull();
    await settings.update({ update_check: false });
    await service.check();
    expect(feed.latest).toHaveBeenCalledTimes(2);
    service.close();
  });

  it('joins a check already running instead of asking twice', async () => {
    const feed = feedOf('1.2.1');
    const { service } = setup(feed);
    const [a, b] = await Promise.all([service.check(), service.check()]);
    expect(a).toBe(b);
    expect(feed.latest).toHaveBeenCalledTimes(1);
    service.close();
  });

  it('keeps what it knew when the feed cannot be reached, and says the check failed', async () => {
    let fail = false;
    const feed: ReleaseFeed = {
      latest: async () => {
        if (fail) throw new Error('getaddrinfo ENOTFOUND');
        return { version: '2.0.0', url: 'https://example.test/r/2.0.0' };
      },
    };
    const { service } = setup(feed);
    await service.check();
    fail = true;
    expect(await service.check()).toMatchObject({ latest_version: '2.0.0', error: 'upstream_unreachable' });
    service.close();
  });

  it('without a feed, reports the feature as unsupported and never checks', async () => {
    const { service, seen } = setup(null, { updateCheck: true });
    expect(await service.check()).toMatchObject({ supported: false, checked_at: null });
    expect(seen).toEqual([]);
    service.close();
  });
});
