import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { makeAccount } from './account-fixture.js';

describe('MemoryAccountStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts from validated initial accounts', () => {
    const store = new MemoryAccountStore([makeAccount('a'), makeAccount('b')]);
    expect(store.list().map((a) => a.id)).toEqual(['a', 'b']);
    expect(() => new MemoryAccountStore([{ ...makeAccount('a'), label: '' }])).toThrow(ZodError);
  });

  it('supports the whole port', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = new MemoryAccountStore();
    await store.add(makeAccount('a'));
    store.patchRuntime('a', (a) => ({ ...a, stats: { ...a.stats, requests: 1 } }));
    expect(store.get('a')!.stats.requests).toBe(1);
    await store.flush();
    expect(vi.getTimerCount()).toBe(0);
    await store.update('a', (a) => ({ ...a, enabled: false }));
    expect(store.get('a')).toMatchObject({ enabled: false, stats: { requests: 1 } });
    expect(await store.remove('a')).toBe(true);
    expect(store.list()).toEqual([]);
  });

  it('rejects a runtime patch that changes the id, leaving the account as it was', () => {
    const store = new MemoryAccountStore([makeAccount('a')]);
    expect(() => store.patchRuntime('a', (a) => ({ ...a, id: 'b', stats: { ...a.stats, requests: 5 } }))).toThrow(/cannot change its id/);
    expect(store.get('a')!.stats.requests).toBe(0);
    expect(store.get('b')).toBeUndefined();
  });

  it('freezes what a runtime patch produces', () => {
    const store = new MemoryAccountStore([makeAccount('a')]);
    store.patchRuntime('a', (a) => ({ ...a, stats: { ...a.stats, requests: 1 } }));
    expect(Object.isFrozen(store.get('a')!.stats)).toBe(true);
  });
});
