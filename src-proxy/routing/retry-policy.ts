// What one failed upstream attempt means, for the account that failed and for the request. Pure: the
// gateway applies the decision (writes the cooldown, sleeps, picks the next account), this only decides.
//
// Where the product we are modelled on got this wrong: a 403 took the account out for good, every
// lockout was capped at five minutes (so exhausted quotas were hammered again and again), and 503/529
// backoffs of up to a minute ran inside the client's request. Here a 403 cools down, a quota lockout
// lasts as long as the upstream says, and overload backoff without an upstream hint is short and capped.
//
// One rule runs through every row: within one request, an attempt is never spent waiting on an account
// that already failed while an untried account can serve the route. A conversation's stickiness yields
// to health: waiting for the account that holds the prompt cache is right only when nothing else can
// serve. `alternatives` tells the policy which case it is in.

import type { FailureKind } from '../contract/index.js';

export interface RetryPolicy {
  maxAttempts: number;
  shortRetryMaxMs: number;
  rateLimitCooldownMs: number;
  quotaCooldownMs: number;
  forbiddenCooldownMs: number;
  overloadBaseMs: number;
  overloadMaxMs: number;
  /** First cooldown of an account whose connection failed; it doubles on every failure in a row. */
  networkCooldownBaseMs: number;
  networkCooldownMaxMs: number;
  /**
   * The longest any cooldown lasts, however far off the upstream puts its reset: a weekly quota is
   * honoured, a hint read wrong (weeks away) does not keep an account out for good.
   */
  maxCooldownMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
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

export interface FailureFacts {
  kind: FailureKind;
  status: number | null;
  retryAfterMs: number | null;
}

export interface AttemptFacts {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** An account this request has not tried yet can serve the route now (not cooling, usable). */
  alternatives: boolean;
  /** Connection failures of this account in a row, this one included. */
  networkStreak: number;
}

export interface RetryDecision {
  /** What happens to the account that failed. */
  account: { cooldown: { scope: 'model' | 'account'; ms: number } | null; health: 'invalid' | 'forbidden' | null };
  /**
   * What the request does next. `rotate` picks another account; with `allowRetried` it may pick one this
   * request already tried, after `delayMs`.
   */
  next: { action: 'fail' } | { action: 'retry_same'; delayMs: number } | { action: 'rotate'; delayMs: number; allowRetried: boolean };
}

type AccountEffect = RetryDecision['account'];

const UNTOUCHED: AccountEffect = { cooldown: null, health: null };

// Upstream hints are parsed from headers and bodies, and policies come from settings: either may be
// garbage. A negative hint means the reset is already past, so it reads as "now"; a non-number means
// the upstream said nothing usable.
function hint(ms: number | null): number | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return Math.max(0, Math.ceil(ms));
}

function duration(ms: number): number {
  return Number.isFinite(ms) ? Math.max(0, Math.ceil(ms)) : 0;
}

function cooldown(scope: 'model' | 'account', ms: number): AccountEffect['cooldown'] {
  const d = duration(ms);
  // A zero-length cooldown would be written and expire in the same instant: say nothing instead.
  return d > 0 ? { scope, ms: d } : null;
}

function rotate(delayMs: number, allowRetried: boolean): RetryDecision['next'] {
  return { action: 'rotate', delayMs: duration(delayMs), allowRetried };
}

/** The next step for a failure that says nothing against trying again: a fresh account first. */
function tryElsewhere(facts: AttemptFacts, delayMs: number): RetryDecision['next'] {
  return facts.alternatives ? rotate(0, false) : rotate(delayMs, true);
}

function networkCooldown(streak: number, p: RetryPolicy): AccountEffect['cooldown'] {
  const n = Number.isFinite(streak) ? Math.max(1, Math.floor(streak)) : 1;
  // 2^30 already exceeds any sane cap; the bound keeps the arithmetic finite.
  const grown = duration(p.networkCooldownBaseMs) * 2 ** Math.min(n - 1, 30);
  return cooldown('account', Math.min(grown, duration(p.networkCooldownMaxMs)));
}

function decide(failure: FailureFacts, facts: AttemptFacts, p: RetryPolicy): RetryDecision {
  const retryAfter = hint(failure.retryAfterMs);
  switch (failure.kind) {
    case 'invalid':
      // The request itself is wrong; another account would refuse it the same way.
      return { account: UNTOUCHED, next: { action: 'fail' } };

    case 'rate_limit': {
      // The cooldown keeps concurrent requests off the account whatever this request does next.
      const account = { cooldown: cooldown('model', retryAfter ?? p.rateLimitCooldownMs), health: null };
      if (!facts.alternatives && retryAfter !== null && retryAfter <= duration(p.shortRetryMaxMs)) {
        // Nothing else can serve: a short wait on the same account beats failing.
        return { account, next: { action: 'retry_same', delayMs: retryAfter } };
      }
      return { account, next: rotate(0, false) };
    }

    case 'quota':
      return {
        account: { cooldown: cooldown('model', retryAfter ?? p.quotaCooldownMs), health: null },
        next: rotate(0, false),
      };

    case 'auth':
      // A wrong key does not heal with time: the account waits for the user to replace it.
      return { account: { cooldown: null, health: 'invalid' }, next: rotate(0, false) };

    case 'forbidden':
      // 403s are often transient (region, verification, abuse heuristics): cool down, do not remove.
      return {
        account: { cooldown: cooldown('account', p.forbiddenCooldownMs), health: 'forbidden' },
        next: rotate(0, false),
      };

    case 'not_found':
      // Usually one account lacks access to a model: the next one may have it.
      return { account: UNTOUCHED, next: rotate(0, false) };

    case 'overloaded': {
      // Overload is the upstream's, not the account's: no cooldown. A fresh account is tried at once;
      // going back to one that failed waits first, growing with each attempt and capped.
      const exponent = Math.max(0, facts.attempt - 1);
      const backoff = Math.min(duration(p.overloadBaseMs) * 2 ** exponent, duration(p.overloadMaxMs));
      return { account: UNTOUCHED, next: tryElsewhere(facts, Math.min(retryAfter ?? backoff, duration(p.overloadMaxMs))) };
    }

    case 'network':
      // A refused or reset connection will likely be refused again: keep the account out briefly, longer
      // each time in a row, so it stops costing every request an attempt. A success clears the streak.
      // With nothing else to try, one more connection is worth it: a reset is often a stale keep-alive.
      return {
        account: { cooldown: networkCooldown(facts.networkStreak, p), health: null },
        next: facts.alternatives ? rotate(0, false) : { action: 'retry_same', delayMs: 0 },
      };

    case 'server':
    case 'timeout':
    case 'stream':
      return { account: UNTOUCHED, next: tryElsewhere(facts, 0) };

    default: {
      const unknown: never = failure.kind;
      throw new Error(`unknown failure kind: ${String(unknown)}`);
    }
  }
}

export function decideRetry(failure: FailureFacts, facts: AttemptFacts, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  const attempt = Number.isNaN(facts.attempt) ? 1 : Math.max(1, Math.floor(facts.attempt));
  // A bad limit must not turn the attempt loop into an endless one.
  const max = Number.isFinite(policy.maxAttempts) ? Math.max(1, Math.floor(policy.maxAttempts)) : DEFAULT_RETRY_POLICY.maxAttempts;
  const decision = capped(decide(failure, { ...facts, attempt }, policy), policy.maxCooldownMs);
  // The account's consequences stand even on the last attempt: other requests must not hit it.
  if (attempt >= max) return { account: decision.account, next: { action: 'fail' } };
  return decision;
}

function capped(decision: RetryDecision, maxMs: number): RetryDecision {
  const cd = decision.account.cooldown;
  const max = duration(maxMs ?? DEFAULT_RETRY_POLICY.maxCooldownMs);
  if (cd === null || max <= 0 || cd.ms <= max) return decision;
  return { ...decision, account: { ...decision.account, cooldown: { ...cd, ms: max } } };
}
