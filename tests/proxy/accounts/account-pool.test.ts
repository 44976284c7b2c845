// The pool as providers and the attempt runner use it: what it writes back to the accounts.

import { describe, expect, it, vi } from 'vitest';
import { STATS_FLUSH_MS, StoreAccountPool } from '../../../src-proxy/accounts/account-pool.js';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { AccountSelector } from '../../../src-proxy/routing/account-selection.js';
import { makeAccount } from './account-fixture.js';

const NOW = 1_800_000_000_000;

function pool() {
  const store = new MemoryAccountStore([makeAccount('a')]);
  return { store, pool: new StoreAccountPool(store, new MemorySecretStore({ a: 'k' }), new AccountSelector(), () => NOW) };
}

describe('StoreAccountPool', () => {
  it('records what a provider learned about an account, keeping what it did not mention', () => {
    const { store, pool: p } = pool();
    p.learned('a', { project_id: 'proj-1' });
    p.learned('a', { quota: [{ model: 'gemini-3-pro', remaining: 0.25, resets_at: NOW + 3_600_000 }] });
    expect(store.get('a')!.learned).toEqual({
      project_id: 'proj-1',
      disabled_reason: null,
      quota: [{ model: 'gemini-3-pro', remaining: 0.25, resets_at: NOW + 3_600_000 }],
      rate_limits: [],
      updated_at: NOW,
    });
  });

  it('ends the quota cooldowns of the models whose quota is reported back, and keeps the others', () => {
    const { store, pool: p } = pool();
    const cooled = { cooldown: { scope: 'model' as const, ms: 18 * 24 * 3_600_000 }, health: null };
    p.recordFailure('a', 'gemini-3-pro', 'quota', 'spent', cooled);
    p.recordFailure('a', 'gemini-3-flash', 'quota', 'spent', cooled);
    p.learned('a', {
      quota: [
        { model: 'gemini-3-pro', remaining: 0.5, resets_at: NOW + 3_600_000 },
        { model: 'gemini-3-flash', remaining: 0, resets_at: NOW + 3_600_000 },
      ],
    });
    expect(store.get('a')!.cooldowns.map((c) => c.model)).toEqual(['gemini-3-flash']);
  });

  it('counts connection failures in a row and forgets them on any answer', () => {
    const { store, pool: p } = pool();
    const none = { cooldown: null, health: null };
    p.recordFailure('a', 'm', 'network', 'refused', none);
    p.recordFailure('a', 'm', 'network', 'refused', none);
    expect(store.get('a')!.network_failures).toBe(2);
    p.recordFailure('a', 'm', 'rate_limit', 'slow down', none);
    expect(store.get('a')!.network_failures).toBe(0);
    p.recordFailure('a', 'm', 'network', 'refused', none);
    p.recordSuccess('a', { input_tokens: 1, output_tokens: 2 });
    // The streak ends at once (selection reads it); the success's counters arrive with the next flush.
    expect(store.get('a')).toMatchObject({ network_failures: 0, stats: { requests: 4, failures: 4 } });
    p.flushStats();
    expect(store.get('a')).toMatchObject({ stats: { requests: 5, failures: 4, input_tokens: 1, output_tokens: 2, last_used_at: NOW } });
  });

  it('a success clears a forbidden mark but not an invalid key', () => {
    const { store, pool: p } = pool();
    p.recordFailure('a', 'm', 'forbidden', 'region', { cooldown: null, health: 'forbidden' });
    p.recordSuccess('a', { input_tokens: null, output_tokens: null });
    expect(store.get('a')!.health).toBe('ok');
    p.recordFailure('a', 'm', 'auth', 'bad key', { cooldown: null, health: 'invalid' });
    p.recordSuccess('a', { input_tokens: null, output_tokens: null });
    expect(store.get('a')!.health).toBe('invalid');
  });

  it('adds up the counters of many successes and writes them together, a few times a second', () => {
    vi.useFakeTimers();
    try {
      const { store, pool: p } = pool();
      const replaced: unknown[] = [];
      store.onChange((accounts) => replaced.push(accounts));
      for (let i = 0; i < 100; i++) p.recordSuccess('a', { input_tokens: 10, output_tokens: 1 });
      expect(replaced).toHaveLength(0);
      vi.advanceTimersByTime(STATS_FLUSH_MS);
      expect(replaced).toHaveLength(1);
      expect(store.get('a')!.stats).toMatchObject({ requests: 100, input_tokens: 1000, output_tokens: 100 });
    } finally {
      vi.useRealTimers();
    }
  });
});
