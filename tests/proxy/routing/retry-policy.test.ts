import { describe, expect, it } from 'vitest';
import { FAILURE_KINDS, type FailureKind } from '../../../src-proxy/contract/index.js';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type AttemptFacts,
  type FailureFacts,
  type RetryDecision,
  type RetryPolicy,
} from '../../../src-proxy/routing/retry-policy.js';

type Account = RetryDecision['account'];
type Next = RetryDecision['next'];

const untouched: Account = { cooldown: null, health: null };
const fail: Next = { action: 'fail' };
const rotate = (delayMs: number, allowRetried: boolean): Next => ({ action: 'rotate', delayMs, allowRetried });
const modelCooldown = (ms: number): Account => ({ cooldown: { scope: 'model', ms }, health: null });

const facts = (kind: FailureKind, retryAfterMs: number | null = null, status: number | null = null): FailureFacts => ({
  kind,
  status,
  retryAfterMs,
});

/** The facts of attempt `attempt`; by default the account was the only one that could serve. */
const at = (attempt: number, alternatives = false, networkStreak = 1): AttemptFacts => ({ attempt, alternatives, networkStreak });
const retrySame = (delayMs: number): Next => ({ action: 'retry_same', delayMs });
const networkCooldown = (ms: number): Account => ({ cooldown: { scope: 'account', ms }, health: null });

describe('DEFAULT_RETRY_POLICY', () => {
  it('has the documented values', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 3,
      shortRetryMaxMs: 2000,
      rateLimitCooldownMs: 60_000,
      quotaCooldownMs: 3_600_000,
      forbiddenCooldownMs: 600_000,
      overloadBaseMs: 1000,
      overloadMaxMs: 8000,
      networkCooldownBaseMs: 2000,
      networkCooldownMaxMs: 120_000,
      maxCooldownMs: 8 * 24 * 3_600_000,
    });
  });
});

// Every failure kind with no upstream delay hint, after attempts 1, 2 and 3 of 3, when no account this
// request has not tried yet can serve the route.
const table: [FailureKind, number, Account, Next][] = [
  ['invalid', 1, untouched, fail],
  ['invalid', 2, untouched, fail],
  ['invalid', 3, untouched, fail],
  ['rate_limit', 1, modelCooldown(60_000), rotate(0, false)],
  ['rate_limit', 2, modelCooldown(60_000), rotate(0, false)],
  ['rate_limit', 3, modelCooldown(60_000), fail],
  ['quota', 1, modelCooldown(3_600_000), rotate(0, false)],
  ['quota', 2, modelCooldown(3_600_000), rotate(0, false)],
  ['quota', 3, modelCooldown(3_600_000), fail],
  ['auth', 1, { cooldown: null, health: 'invalid' }, rotate(0, false)],
  ['auth', 2, { cooldown: null, health: 'invalid' }, rotate(0, false)],
  ['auth', 3, { cooldown: null, health: 'invalid' }, fail],
  ['forbidden', 1, { cooldown: { scope: 'account', ms: 600_000 }, health: 'forbidden' }, rotate(0, false)],
  ['forbidden', 2, { cooldown: { scope: 'account', ms: 600_000 }, health: 'forbidden' }, rotate(0, false)],
  ['forbidden', 3, { cooldown: { scope: 'account', ms: 600_000 }, health: 'forbidden' }, fail],
  ['not_found', 1, untouched, rotate(0, false)],
  ['not_found', 2, untouched, rotate(0, false)],
  ['not_found', 3, untouched, fail],
  ['overloaded', 1, untouched, rotate(1000, true)],
  ['overloaded', 2, untouched, rotate(2000, true)],
  ['overloaded', 3, untouched, fail],
  ['server', 1, untouched, rotate(0, true)],
  ['server', 2, untouched, rotate(0, true)],
  ['server', 3, untouched, fail],
  ['network', 1, networkCooldown(2000), retrySame(0)],
  ['network', 2, networkCooldown(2000), retrySame(0)],
  ['network', 3, networkCooldown(2000), fail],
  ['timeout', 1, untouched, rotate(0, true)],
  ['timeout', 2, untouched, rotate(0, true)],
  ['timeout', 3, untouched, fail],
  ['stream', 1, untouched, rotate(0, true)],
  ['stream', 2, untouched, rotate(0, true)],
  ['stream', 3, untouched, fail],
];

describe('decideRetry without a delay hint, with nothing else to try', () => {
  it('covers every failure kind at attempts 1, 2 and 3', () => {
    for (const kind of FAILURE_KINDS) {
      expect(table.filter(([k]) => k === kind).map(([, attempt]) => attempt)).toEqual([1, 2, 3]);
    }
  });

  it.each(table)('%s after attempt %i', (kind, attempt, account, next) => {
    expect(decideRetry(facts(kind), at(attempt))).toEqual({ account, next });
  });
});

// The same failures when an account this request has not tried yet can serve the route: nothing waits
// on the account that just failed; the request moves on at once.
const withAlternatives: [string, FailureKind, number | null, Account, Next][] = [
  ['invalid', 'invalid', null, untouched, fail],
  ['a short rate limit moves on instead of waiting', 'rate_limit', 2000, modelCooldown(2000), rotate(0, false)],
  ['a zero rate limit moves on too', 'rate_limit', 0, untouched, rotate(0, false)],
  ['a long rate limit', 'rate_limit', 30_000, modelCooldown(30_000), rotate(0, false)],
  ['quota', 'quota', null, modelCooldown(3_600_000), rotate(0, false)],
  ['auth', 'auth', null, { cooldown: null, health: 'invalid' }, rotate(0, false)],
  ['forbidden', 'forbidden', null, { cooldown: { scope: 'account', ms: 600_000 }, health: 'forbidden' }, rotate(0, false)],
  ['not_found', 'not_found', null, untouched, rotate(0, false)],
  ['overload goes to a fresh account without backing off', 'overloaded', 3000, untouched, rotate(0, false)],
  ['server', 'server', null, untouched, rotate(0, false)],
  ['a refused connection cools the account and moves on', 'network', null, networkCooldown(2000), rotate(0, false)],
  ['timeout', 'timeout', null, untouched, rotate(0, false)],
  ['stream', 'stream', null, untouched, rotate(0, false)],
];

describe('decideRetry when another account can serve', () => {
  it('covers every failure kind', () => {
    expect(new Set(withAlternatives.map(([, kind]) => kind))).toEqual(new Set(FAILURE_KINDS));
  });

  it.each(withAlternatives)('%s', (_title, kind, retryAfterMs, account, next) => {
    expect(decideRetry(facts(kind, retryAfterMs), at(1, true))).toEqual({ account, next });
  });

  it('never answers retry_same, whatever the failure, hint or attempt', () => {
    for (const kind of FAILURE_KINDS) {
      for (const hint of [null, 0, 1, 1500, 2000, 60_000]) {
        for (const attempt of [1, 2]) expect(decideRetry(facts(kind, hint), at(attempt, true)).next.action).not.toBe('retry_same');
      }
    }
  });
});

describe('decideRetry for connection failures in a row', () => {
  it.each([
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [6, 64_000],
    [7, 120_000],
    [40, 120_000],
  ])('the %i-th failure in a row cools the account for %i ms', (streak, ms) => {
    expect(decideRetry(facts('network'), at(1, true, streak)).account).toEqual(networkCooldown(ms));
  });

  it('a nonsense streak reads as the first', () => {
    expect(decideRetry(facts('network'), at(1, true, Number.NaN)).account).toEqual(networkCooldown(2000));
    expect(decideRetry(facts('network'), at(1, true, -3)).account).toEqual(networkCooldown(2000));
  });
});

describe('decideRetry with an upstream delay hint, with nothing else to try', () => {
  it.each<[string, FailureKind, number, number | null, RetryDecision]>([
    [
      'with no other account, a short rate limit waits on the same one, which cools meanwhile',
      'rate_limit',
      1,
      1500,
      { account: modelCooldown(1500), next: { action: 'retry_same', delayMs: 1500 } },
    ],
    [
      'a rate limit of exactly shortRetryMaxMs still waits',
      'rate_limit',
      2,
      2000,
      { account: modelCooldown(2000), next: { action: 'retry_same', delayMs: 2000 } },
    ],
    ['a short rate limit on the last attempt fails, the cooldown stands', 'rate_limit', 3, 1500, { account: modelCooldown(1500), next: fail }],
    [
      'a rate limit just over shortRetryMaxMs rotates and cools for the hinted time',
      'rate_limit',
      1,
      2001,
      { account: modelCooldown(2001), next: rotate(0, false) },
    ],
    [
      'a long rate limit cools as long as the upstream says, with no cap',
      'rate_limit',
      1,
      7_200_000,
      { account: modelCooldown(7_200_000), next: rotate(0, false) },
    ],
    ['a zero rate limit retries at once and writes no empty cooldown', 'rate_limit', 1, 0, { account: untouched, next: { action: 'retry_same', delayMs: 0 } }],
    ['a reset in the past counts as now', 'rate_limit', 1, -5000, { account: untouched, next: { action: 'retry_same', delayMs: 0 } }],
    ['a garbage hint counts as no hint', 'rate_limit', 1, Number.NaN, { account: modelCooldown(60_000), next: rotate(0, false) }],
    ['a quota cools as long as the upstream says', 'quota', 1, 86_400_000, { account: modelCooldown(86_400_000), next: rotate(0, false) }],
    ['overload waits as long as the upstream says', 'overloaded', 1, 3000, { account: untouched, next: rotate(3000, true) }],
    [
      // Holding the client for a minute inside the gateway helps nobody: wait the cap, then try again.
      'overload waits no longer than the backoff cap, whatever the upstream says',
      'overloaded',
      1,
      60_000,
      { account: untouched, next: rotate(8000, true) },
    ],
    ['overload with a garbage hint backs off exponentially', 'overloaded', 2, Number.POSITIVE_INFINITY, { account: untouched, next: rotate(2000, true) }],
    [
      'the forbidden cooldown ignores the hint: 403s carry none worth trusting',
      'forbidden',
      1,
      5,
      { account: { cooldown: { scope: 'account', ms: 600_000 }, health: 'forbidden' }, next: rotate(0, false) },
    ],
    ['an invalid request fails whatever the hint', 'invalid', 1, 1000, { account: untouched, next: fail }],
    ['a server error rotates at once whatever the hint', 'server', 1, 10_000, { account: untouched, next: rotate(0, true) }],
  ])('%s', (_title, kind, attempt, retryAfterMs, expected) => {
    expect(decideRetry(facts(kind, retryAfterMs, 429), at(attempt))).toEqual(expected);
  });
});

describe('decideRetry overload backoff', () => {
  const generous: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 };
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 8000],
    [9, 8000],
  ])('after attempt %i waits %i ms, capped at overloadMaxMs', (attempt, delayMs) => {
    expect(decideRetry(facts('overloaded'), at(attempt), generous).next).toEqual(rotate(delayMs, true));
  });
});

describe('decideRetry with odd inputs never loops forever nor waits a negative or NaN time', () => {
  const delayOf = (d: RetryDecision): number | null => ('delayMs' in d.next ? d.next.delayMs : null);

  it.each<[string, FailureFacts, number, RetryPolicy | undefined, Next]>([
    ['attempt 0 reads as the first', facts('overloaded'), 0, undefined, rotate(1000, true)],
    ['a NaN attempt reads as the first', facts('overloaded'), Number.NaN, undefined, rotate(1000, true)],
    ['an attempt past the limit fails', facts('server'), 7, undefined, fail],
    ['an infinite attempt fails', facts('server'), Number.POSITIVE_INFINITY, undefined, fail],
    ['a NaN maxAttempts falls back to the default limit', facts('server'), 3, { ...DEFAULT_RETRY_POLICY, maxAttempts: Number.NaN }, fail],
    ['maxAttempts 1 never retries', facts('server'), 1, { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }, fail],
    ['negative backoff settings give no wait', facts('overloaded'), 1, { ...DEFAULT_RETRY_POLICY, overloadBaseMs: -1, overloadMaxMs: -1 }, rotate(0, true)],
    ['NaN backoff settings give no wait', facts('overloaded'), 2, { ...DEFAULT_RETRY_POLICY, overloadBaseMs: Number.NaN }, rotate(0, true)],
  ])('%s', (_title, failure, attempt, policy, next) => {
    const decision = decideRetry(failure, at(attempt), policy);
    expect(decision.next).toEqual(next);
    const delay = delayOf(decision);
    if (delay !== null) expect(delay).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['rate_limit', { ...DEFAULT_RETRY_POLICY, rateLimitCooldownMs: -1 }],
    ['quota', { ...DEFAULT_RETRY_POLICY, quotaCooldownMs: Number.NaN }],
    ['forbidden', { ...DEFAULT_RETRY_POLICY, forbiddenCooldownMs: -10 }],
  ] as const)('a broken %s cooldown setting writes no cooldown', (kind, policy) => {
    expect(decideRetry(facts(kind), at(1), policy).account.cooldown).toBeNull();
  });

  it('gives every kind and attempt a finite, non-negative delay', () => {
    for (const kind of FAILURE_KINDS) {
      for (const hint of [null, -1, 0, 1, 2000, 2001, Number.NaN, Number.POSITIVE_INFINITY]) {
        for (const attempt of [1, 2, 3, 4, 50, 2000]) {
          const d = decideRetry(facts(kind, hint), at(attempt), { ...DEFAULT_RETRY_POLICY, maxAttempts: 5000 });
          const delay = delayOf(d);
          if (delay !== null) expect(Number.isFinite(delay) && delay >= 0).toBe(true);
          if (d.account.cooldown) expect(Number.isFinite(d.account.cooldown.ms) && d.account.cooldown.ms > 0).toBe(true);
        }
      }
    }
  });
});

describe('cooldowns as long as the upstream says, within reason', () => {
  const DAY = 24 * 3_600_000;
  const facts = { attempt: 1, alternatives: true, networkStreak: 1 };
  it.each<[string, FailureFacts, number]>([
    ['a weekly quota spent: the account rests until it resets, not a minute', { kind: 'quota', status: 429, retryAfterMs: 6 * DAY }, 6 * DAY],
    ['a rate limit that resets in hours: hours', { kind: 'rate_limit', status: 429, retryAfterMs: 5 * 3_600_000 }, 5 * 3_600_000],
    ['a reset weeks away (a hint read wrong): capped at eight days', { kind: 'quota', status: 429, retryAfterMs: 18 * DAY }, 8 * DAY],
  ])('%s', (_title, failure, ms) => {
    expect(decideRetry(failure, facts).account.cooldown).toEqual({ scope: 'model', ms });
  });
});
