// One request's walk through its route: the rule's target first, then each fallback link in turn. Within
// a link: select an account, fetch its credentials, run one attempt (whatever the caller does with it:
// send and deliver a message, count tokens), classify, decide, record. A link none of whose accounts can
// take an attempt is skipped without one; a link whose accounts have all failed with a failure that moves
// on hands over to the next; a client error never does. The decisions are the policy's; this module
// only carries them out, within the request's deadline, and stops the moment the client is gone.

import type { Account, FailureKind, LinkRecord } from '../contract/index.js';
import type { AccountCredentials, AccountPool } from '../accounts/pool-ports.js';
import type { Redact } from '../lib/redactor.js';
import type { UpstreamFailure } from '../providers/types.js';
import type { Route, RouteLink } from '../routing/model-mapping.js';
import type { AttemptFacts, FailureFacts, RetryDecision } from '../routing/retry-policy.js';
import { redactFailure } from './error-responses.js';
import { sleep } from './http.js';
import type { RequestRecord } from './request-record.js';
import type { RequestScope } from './request-scope.js';

/**
 * How one attempt ended. `accepted`: the upstream said 200, whatever happened to its answer after.
 * `skipped`: the account turned out to have nothing to ask (no attempt is logged).
 */
export type AttemptOutcome<T> = { ok: true; value: T; skipped?: boolean } | { ok: false; failure: UpstreamFailure; committed: boolean; accepted: boolean };

/** The link an attempt runs on, with what became of the links before it (for the answer's headers). */
export interface LinkInfo {
  link: RouteLink;
  index: number;
  /** The links before this one, each skipped or failed. */
  passed: readonly LinkRecord[];
}

export type Attempt<T> = (account: Account, creds: AccountCredentials, link: LinkInfo) => Promise<AttemptOutcome<T>>;

export type NoAccountReason = 'no_accounts' | 'all_cooling' | 'exhausted';

export type RunResult<T> =
  | { ok: true; account: Account; value: T; link: number }
  /** The last attempt failed and the request gave up; `committed`: the client already has a 200. */
  | { ok: false; kind: 'failed'; failure: UpstreamFailure; account: Account; committed: boolean; link: number }
  /** No account of any link could take an attempt (or the next one, after a failure the client should not see). */
  | {
      ok: false;
      kind: 'no_account';
      reason: NoAccountReason;
      retryAt: number | null;
      cooldownReason?: UpstreamFailure['kind'];
      /** With `no_accounts`: enabled accounts out of service because their upstream refused their key. */
      refused?: readonly Account[];
      /** The account the last attempt failed on, if there was one. */
      account: Account | null;
      link: number;
    }
  | { ok: false; kind: 'client_gone'; account: Account | null; link: number };

export interface RunnerOptions {
  pool: AccountPool;
  route: Route;
  sessionKey: string | null;
  record: RequestRecord;
  scope: RequestScope;
  decide(failure: FailureFacts, facts: AttemptFacts): RetryDecision;
  /** Whether attempts leave marks on the accounts (stats, cooldowns, health). */
  bookkeeping: boolean;
  /** Whether a link whose attempts failed hands over to the next (a skipped link always does). Default true. */
  fallThrough?: boolean;
  /** Cuts the secrets the gateway holds out of what an upstream said, before it is logged, kept or answered. */
  redact: Redact;
}

const NO_KEY: UpstreamFailure = { kind: 'auth', status: null, message: 'no API key is stored for this account', retryAfterMs: null };

/** How a walk through one link ended, when the request goes on to the next link or stops. */
type LinkEnd<T> = { done: RunResult<T> } | { done: null; skipped: Skip } | { done: null; failed: { failure: UpstreamFailure; account: Account } };

/** Why a link had no account to try: the pool's answer. */
interface Skip {
  reason: NoAccountReason;
  retryAt: number | null;
  cooldownReason?: FailureKind;
  refused?: readonly Account[];
}

interface Walk {
  records: LinkRecord[];
  last: { failure: UpstreamFailure; account: Account; link: number } | null;
}

export async function runAttempts<T>(o: RunnerOptions, attempt: Attempt<T>): Promise<RunResult<T>> {
  const links = o.route.links;
  const walk: Walk = { records: links.map(notReached), last: null };
  let firstSkip: (Skip & { link: number }) | null = null;
  let soonest: { retryAt: number; cooldownReason?: FailureKind; link: number } | null = null;

  try {
    for (let i = 0; i < links.length; i++) {
      const end = await runLink(o, attempt, walk, i);
      if (end.done) {
        const r = end.done;
        if (!r.ok && r.kind === 'failed') walk.records[i] = { ...walk.records[i]!, outcome: 'failed', reason: r.failure.kind };
        if (!r.ok && r.kind === 'no_account')
          walk.records[i] = { ...walk.records[i]!, outcome: 'failed', reason: r.cooldownReason ?? 'exhausted', until: r.retryAt };
        return r;
      }
      if ('skipped' in end) {
        const s = end.skipped;
        walk.records[i] = {
          ...walk.records[i]!,
          outcome: 'skipped',
          reason: s.reason === 'all_cooling' ? (s.cooldownReason ?? 'rate_limit') : s.reason === 'exhausted' ? 'exhausted' : 'no_accounts',
          until: s.retryAt,
        };
        firstSkip ??= { reason: s.reason, retryAt: s.retryAt, cooldownReason: s.cooldownReason, refused: s.refused, link: i };
        if (s.reason === 'all_cooling' && s.retryAt !== null && (soonest === null || s.retryAt < soonest.retryAt)) {
          soonest = { retryAt: s.retryAt, cooldownReason: s.cooldownReason, link: i };
        }
      } else {
        walk.records[i] = { ...walk.records[i]!, outcome: 'failed', reason: end.failed.failure.kind };
      }
    }

    // No link served. The client learns what the last attempt met; when nothing was tried, why not: the
    // soonest a cooling link is back, else why the first link had no account.
    const last = walk.last;
    if (last) return { ok: false, kind: 'failed', failure: last.failure, account: last.account, committed: false, link: last.link };
    if (soonest)
      return {
        ok: false,
        kind: 'no_account',
        reason: 'all_cooling',
        retryAt: soonest.retryAt,
        cooldownReason: soonest.cooldownReason,
        account: null,
        link: soonest.link,
      };
    const skip: Skip & { link: number } = firstSkip ?? { reason: 'no_accounts', retryAt: null, link: 0 };
    return {
      ok: false,
      kind: 'no_account',
      reason: skip.reason,
      retryAt: skip.retryAt,
      cooldownReason: skip.cooldownReason,
      refused: skip.refused,
      account: null,
      link: skip.link,
    };
  } finally {
    o.record.linked(walk.records);
  }
}

/** Attempts on one link until one serves, the link has no account left, or the request must stop. */
async function runLink<T>(o: RunnerOptions, attempt: Attempt<T>, walk: Walk, index: number): Promise<LinkEnd<T>> {
  const { pool, record, scope } = o;
  const link = o.route.links[index]!;
  const query = { provider: link.provider, model: link.model, accounts: link.accounts };
  const fallThrough = o.fallThrough !== false;
  const tried = new Set<string>();
  let allowRetried = false;
  let retrySame: Account | null = null;
  let lastHere: { failure: UpstreamFailure; account: Account } | null = null;
  const info: LinkInfo = { link, index, passed: walk.records.slice(0, index) };

  for (let n = 1; ; n++) {
    let account: Account;
    if (retrySame) {
      account = pool.get(retrySame.id) ?? retrySame;
      retrySame = null;
    } else {
      const sel = pool.select({ ...query, sessionKey: o.sessionKey, exclude: tried, allowExcluded: allowRetried });
      if (!sel.ok) {
        if (!lastHere) return { done: null, skipped: sel };
        // Every account of this link is spent for this request: the next link may serve.
        if (fallThrough && laterLinkCanServe(o, index)) return { done: null, failed: lastHere };
        // After a failed attempt the client learns what that attempt met, unless the pool's own answer
        // says more (every account cooling after rate limits: when the first is back).
        if (sel.reason === 'all_cooling' && sel.cooldownReason === 'rate_limit') {
          return {
            done: {
              ok: false,
              kind: 'no_account',
              reason: sel.reason,
              retryAt: sel.retryAt,
              cooldownReason: sel.cooldownReason,
              refused: sel.refused,
              account: lastHere.account,
              link: index,
            },
          };
        }
        return { done: null, failed: lastHere };
      }
      account = sel.account;
    }
    tried.add(account.id);

    const startedAt = performance.now();
    const creds = pool.credentials(account);
    let outcome: AttemptOutcome<T> = { ok: false, failure: NO_KEY, committed: false, accepted: false };
    if (creds) {
      // Under way until its answer is delivered or it failed: a long stream keeps its account busy.
      const end = pool.begin(account.id);
      try {
        outcome = await attempt(account, creds, info);
      } finally {
        end();
      }
    }

    if (scope.clientGone) {
      if (!record.succeededOn(account.id)) record.attempted(account, startedAt, null, null, 'client went away', index);
      return { done: { ok: false, kind: 'client_gone', account, link: index } };
    }
    if (outcome.ok && outcome.skipped) {
      walk.records[index] = { ...walk.records[index]!, outcome: 'served' };
      return { done: { ok: true, account, value: outcome.value, link: index } };
    }
    if (outcome.ok) {
      record.attempted(account, startedAt, 200, null, null, index);
      walk.records[index] = { ...walk.records[index]!, outcome: 'served' };
      if (o.bookkeeping) pool.recordSuccess(account.id, record.tokens);
      return { done: { ok: true, account, value: outcome.value, link: index } };
    }

    const failure = redactFailure(scope.deadlinePassed && !outcome.committed ? deadlineFailure(scope.deadlineMs) : outcome.failure, o.redact);
    record.attempted(account, startedAt, failure.status ?? (outcome.accepted ? 200 : null), failure.kind, failure.message, index);
    lastHere = { failure, account };
    walk.last = { failure, account, link: index };
    const movesOn = fallThrough && failure.kind !== 'invalid';
    const alternatives = pool.available({ ...query, exclude: tried }) > 0 || (movesOn && laterLinkCanServe(o, index));
    const decision = o.decide(failure, { attempt: n, alternatives, networkStreak: account.network_failures + 1 });
    if (o.bookkeeping) pool.recordFailure(account.id, link.model, failure.kind, failure.message, decision.account);

    const stop = (): LinkEnd<T> => ({ done: { ok: false, kind: 'failed', failure, account, committed: outcome.committed, link: index } });
    if (outcome.committed || scope.deadlinePassed) return stop();
    const next = decision.next;
    if (next.action === 'fail') return movesOn ? { done: null, failed: lastHere } : stop();
    // A wait that would outlast the deadline is not worth starting: the next link, or the failure now.
    if (next.delayMs >= scope.remainingMs()) return movesOn ? { done: null, failed: lastHere } : stop();
    if (next.action === 'retry_same') retrySame = account;
    else allowRetried = next.allowRetried;
    await sleep(next.delayMs, scope.signal);
    if (scope.clientGone) return { done: { ok: false, kind: 'client_gone', account, link: index } };
  }
}

/** Whether a link after `index` has an account that could take an attempt now. */
function laterLinkCanServe(o: RunnerOptions, index: number): boolean {
  const links = o.route.links;
  for (let i = index + 1; i < links.length; i++) {
    const l = links[i]!;
    if (o.pool.available({ provider: l.provider, model: l.model, accounts: l.accounts, exclude: NONE }) > 0) return true;
  }
  return false;
}

const NONE: ReadonlySet<string> = new Set();

function notReached(link: RouteLink): LinkRecord {
  return {
    provider: link.provider,
    model: link.model,
    accounts: link.accounts === null ? null : [...link.accounts],
    outcome: 'not_reached',
    reason: null,
    until: null,
  };
}

function deadlineFailure(deadlineMs: number): UpstreamFailure {
  return {
    kind: 'timeout',
    status: null,
    message: `no complete answer within the request deadline of ${Math.round(deadlineMs / 100) / 10} s (setting request_deadline_ms)`,
    retryAfterMs: null,
  };
}
