// One request's walk through the account pool: select an account, fetch its credentials, run one attempt
// (whatever the caller does with it: send and deliver a message, count tokens), classify, decide, record.
// The decision is the policy's; this module only carries it out, within the request's deadline, and
// stops the moment the client is gone.

import type { Account } from '../contract/index.js';
import type { AccountCredentials, AccountPool } from '../accounts/pool-ports.js';
import type { UpstreamFailure } from '../providers/types.js';
import type { Route } from '../routing/model-mapping.js';
import type { AttemptFacts, FailureFacts, RetryDecision } from '../routing/retry-policy.js';
import { sleep } from './http.js';
import type { RequestRecord } from './request-record.js';
import type { RequestScope } from './request-scope.js';

/**
 * How one attempt ended. `accepted`: the upstream said 200, whatever happened to its answer after.
 * `skipped`: the account turned out to have nothing to ask (no attempt is logged).
 */
export type AttemptOutcome<T> = { ok: true; value: T; skipped?: boolean } | { ok: false; failure: UpstreamFailure; committed: boolean; accepted: boolean };

export type Attempt<T> = (account: Account, creds: AccountCredentials) => Promise<AttemptOutcome<T>>;

export type RunResult<T> =
  | { ok: true; account: Account; value: T }
  /** The last attempt failed and the policy gave up; `committed`: the client already has a 200. */
  | { ok: false; kind: 'failed'; failure: UpstreamFailure; account: Account; committed: boolean }
  /** No account could take the first attempt (or the next one, after a failure the client should not see). */
  | {
      ok: false;
      kind: 'no_account';
      reason: 'no_accounts' | 'all_cooling' | 'exhausted';
      retryAt: number | null;
      cooldownReason?: UpstreamFailure['kind'];
      /** With `no_accounts`: enabled accounts out of service because their upstream refused their key. */
      refused?: readonly Account[];
      /** The account the last attempt failed on, if there was one. */
      account: Account | null;
    }
  | { ok: false; kind: 'client_gone'; account: Account | null };

export interface RunnerOptions {
  pool: AccountPool;
  route: Route;
  sessionKey: string | null;
  record: RequestRecord;
  scope: RequestScope;
  decide(failure: FailureFacts, facts: AttemptFacts): RetryDecision;
  /** Whether attempts leave marks on the accounts (stats, cooldowns, health). */
  bookkeeping: boolean;
}

const NO_KEY: UpstreamFailure = { kind: 'auth', status: null, message: 'no API key is stored for this account', retryAfterMs: null };

export async function runAttempts<T>(o: RunnerOptions, attempt: Attempt<T>): Promise<RunResult<T>> {
  const { pool, route, record, scope } = o;
  const tried = new Set<string>();
  let allowRetried = false;
  let retrySame: Account | null = null;
  let last: { failure: UpstreamFailure; account: Account } | null = null;

  for (let n = 1; ; n++) {
    let account: Account;
    if (retrySame) {
      account = pool.get(retrySame.id) ?? retrySame;
      retrySame = null;
    } else {
      const sel = pool.select({ provider: route.provider, model: route.model, sessionKey: o.sessionKey, exclude: tried, allowExcluded: allowRetried });
      if (!sel.ok) {
        // After a failed attempt the client learns what that attempt met, unless the pool's own answer
        // says more (every account cooling after rate limits: when the first is back).
        const coolingAfterLimits = sel.reason === 'all_cooling' && sel.cooldownReason === 'rate_limit';
        if (last && !coolingAfterLimits) return { ok: false, kind: 'failed', failure: last.failure, account: last.account, committed: false };
        return {
          ok: false,
          kind: 'no_account',
          reason: sel.reason,
          retryAt: sel.retryAt,
          cooldownReason: sel.cooldownReason,
          refused: sel.refused,
          account: last?.account ?? null,
        };
      }
      account = sel.account;
    }
    tried.add(account.id);

    const startedAt = performance.now();
    const creds = pool.credentials(account);
    const outcome: AttemptOutcome<T> = creds ? await attempt(account, creds) : { ok: false, failure: NO_KEY, committed: false, accepted: false };

    if (scope.clientGone) {
      if (!record.succeededOn(account.id)) record.attempted(account, startedAt, null, null, 'client went away');
      return { ok: false, kind: 'client_gone', account };
    }
    if (outcome.ok && outcome.skipped) return { ok: true, account, value: outcome.value };
    if (outcome.ok) {
      record.attempted(account, startedAt, 200, null, null);
      if (o.bookkeeping) pool.recordSuccess(account.id, record.tokens);
      return { ok: true, account, value: outcome.value };
    }

    const failure = scope.deadlinePassed && !outcome.committed ? deadlineFailure(scope.deadlineMs) : outcome.failure;
    record.attempted(account, startedAt, failure.status ?? (outcome.accepted ? 200 : null), failure.kind, failure.message);
    last = { failure, account };
    const alternatives = pool.available({ provider: route.provider, model: route.model, exclude: tried }) > 0;
    const decision = o.decide(failure, { attempt: n, alternatives, networkStreak: account.network_failures + 1 });
    if (o.bookkeeping) pool.recordFailure(account.id, route.model, failure.kind, failure.message, decision.account);

    const next = decision.next;
    if (outcome.committed || scope.deadlinePassed || next.action === 'fail') {
      return { ok: false, kind: 'failed', failure, account, committed: outcome.committed };
    }
    // A wait that would outlast the deadline is not worth starting: the client gets the failure now.
    if (next.delayMs >= scope.remainingMs()) return { ok: false, kind: 'failed', failure, account, committed: false };
    if (next.action === 'retry_same') retrySame = account;
    else allowRetried = next.allowRetried;
    await sleep(next.delayMs, scope.signal);
    if (scope.clientGone) return { ok: false, kind: 'client_gone', account };
  }
}

function deadlineFailure(deadlineMs: number): UpstreamFailure {
  return {
    kind: 'timeout',
    status: null,
    message: `no complete answer within the request deadline of ${Math.round(deadlineMs / 100) / 10} s (setting request_deadline_ms)`,
    retryAfterMs: null,
  };
}
