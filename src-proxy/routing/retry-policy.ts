// What one failed upstream attempt means, for the account that failed and for the request. Pure: the
// gateway applies the decision (writes the cooldown, sleeps, picks the next account), this only decides.
//
// Where the product we are modelled on got this wrong: a 403 took the account out for good, every
// lockout was capped at five minutes (so exhausted quotas were hammered again and again), and 503/529
// backoffs of up to a minute ran inside the client's request. Here a 403 cools down, a quota lockout
// lasts as long as the upstream says, and overload backoff without an upstream hint is short and capped.

import type { FailureKind } from '../contract/index.js';

export interface RetryPolicy {
  maxAttempts: number;
  shortRetryMaxMs: number;
  rateLimitCooldownMs: number;
  quotaCooldownMs: number;
  forbiddenCooldownMs: number;
  overloadBaseMs: number;
  overloadMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  shortRetryMaxMs: 2000,
  rateLimitCooldownMs: 60_000,
  quotaCooldownMs: 3_600_000,
  forbiddenCooldownMs: 600_000,
  overloadBaseMs: 1000,
  overloadMaxMs: 8000,
});

export interface FailureFacts {
  kind: FailureKind;
  status: number | null;
  retryAfterMs: number | null;
}

export interface RetryDecision {
  /** What happens to the account that failed. */
  account: { cooldown: { scope: 'model' | 'account'; ms: number } | null; health: 'invalid' | 'forbidden' | null };
  /** What the request does next. */
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

function decide(failure: FailureFacts, attempt: number, p: RetryPolicy): RetryDecision {
  const retryAfter = hint(failure.retryAfterMs);
  switch (failure.kind) {
    case 'invalid':
      // The request itself is wrong; another account would refuse it the same way.
      return { account: UNTOUCHED, next: { action: 'fail' } };

    case 'rate_limit':
      if (retryAfter !== null && retryAfter <= duration(p.shortRetryMaxMs)) {
        // Cheaper to wait a moment than to lose the account's prompt cache. The cooldown keeps
        // concurrent requests off the account while this one waits.
        return {
          account: { cooldown: cooldown('model', retryAfter), health: null },
          next: { action: 'retry_same', delayMs: retryAfter },
        };
      }
      return {
        account: { cooldown: cooldown('model', retryAfter ?? p.rateLimitCooldownMs), health: null },
        next: rotate(0, false),
      };

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
      // Overload is the upstream's, not the account's: no cooldown, but give it room before hitting it
      // again, and allow the same account back when it is the only one.
      const exponent = Math.max(0, attempt - 1);
      const backoff = Math.min(duration(p.overloadBaseMs) * 2 ** exponent, duration(p.overloadMaxMs));
      return { account: UNTOUCHED, next: rotate(Math.min(retryAfter ?? backoff, duration(p.overloadMaxMs)), true) };
    }

    case 'server':
    case 'network':
    case 'timeout':
    case 'stream':
      return { account: UNTOUCHED, next: rotate(0, true) };

    default: {
      const unknown: never = failure.kind;
      throw new Error(`unknown failure kind: ${String(unknown)}`);
    }
  }
}

export function decideRetry(
  failure: FailureFacts,
  attempt: number /* 1-based number of the attempt that just failed */,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  const n = Number.isNaN(attempt) ? 1 : Math.max(1, Math.floor(attempt));
  // A bad limit must not turn the attempt loop into an endless one.
  const max = Number.isFinite(policy.maxAttempts) ? Math.max(1, Math.floor(policy.maxAttempts)) : DEFAULT_RETRY_POLICY.maxAttempts;
  const decision = decide(failure, n, policy);
  // The account's consequences stand even on the last attempt: other requests must not hit it.
  if (n >= max) return { account: decision.account, next: { action: 'fail' } };
  return decision;
}
