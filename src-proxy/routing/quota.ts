// What an account's reported quota means for selection (pure). Upstreams that report quota per model
// (Code Assist's fetchAvailableModels) say how much is left and when it resets: an account with nothing
// left is out until that reset, and among the rest the one with the most left serves first. Accounts
// without quota data are presumed fresh, so they are neither starved nor preferred.

import type { ModelQuota, RateLimit } from '../contract/index.js';

export interface QuotaHolder {
  learned?: { readonly quota: readonly ModelQuota[]; readonly rate_limits?: readonly RateLimit[] };
}

/**
 * Until when a rate-limit window the upstream reported is used up (0 remaining, reset still ahead): the
 * latest such reset, or null when every window has room, or none was reported. The account is turned
 * away until then without a request spent on a 429.
 */
export function rateLimitedUntil(c: QuotaHolder, now: number): number | null {
  const windows = c.learned?.rate_limits;
  if (!windows || windows.length === 0) return null;
  let until: number | null = null;
  for (const w of windows) {
    if (w.remaining !== 0 || w.resets_at === null || w.resets_at <= now) continue;
    if (until === null || w.resets_at > until) until = w.resets_at;
  }
  return until;
}

/** The account's quota entry for `model`, if the upstream reported one. */
export function quotaFor(c: QuotaHolder, model: string): ModelQuota | undefined {
  const list = c.learned?.quota;
  if (!list || list.length === 0) return undefined;
  const lower = model.toLowerCase();
  return list.find((q) => q.model.toLowerCase() === lower);
}

/**
 * Until when the account's quota for `model` is spent: its reset time, Infinity when the upstream named
 * none (a later refresh will), or null when there is quota left, no data, or the reset has passed.
 */
export function quotaExhaustedUntil(c: QuotaHolder, model: string, now: number): number | null {
  const q = quotaFor(c, model);
  if (!q || q.remaining > 0) return null;
  if (q.resets_at === null) return Infinity;
  return q.resets_at > now ? q.resets_at : null;
}

/** 0..1 of the quota left for ranking: a reset that has passed counts as full, no data as full. */
export function quotaLeft(c: QuotaHolder, model: string, now: number): number {
  const q = quotaFor(c, model);
  if (!q) return 1;
  if (q.resets_at !== null && q.resets_at <= now) return 1;
  return q.remaining;
}

/** The members of `pool` with the most quota left for `model` (all of them when none reported any). */
export function mostQuotaLeft<C extends QuotaHolder>(accounts: readonly C[], pool: readonly number[], model: string, now: number): readonly number[] {
  // The common case on every request: no account reports quota, and the pool stands as it is.
  if (!pool.some((i) => (accounts[i]!.learned?.quota.length ?? 0) > 0)) return pool;
  let best = -Infinity;
  let top: number[] = [];
  for (const i of pool) {
    const left = quotaLeft(accounts[i]!, model, now);
    if (left > best) {
      best = left;
      top = [i];
    } else if (left === best) {
      top.push(i);
    }
  }
  return top;
}
