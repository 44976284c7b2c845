// Which account serves an attempt. Two goals pull against each other: keep a conversation on the account
// that holds its prompt cache, and spread everything else evenly. The product we are modelled on did
// neither well (a global "last used" lock put every session on one account, and its "round-robin" was a
// random pick among five); here stickiness is per conversation and the rotation is a real round-robin.
//
// Health and cooldowns live on the accounts and are passed in on every call, so this class only keeps
// what is its own: the rotation cursors, and the session bindings through their port.

import { ALL_MODELS } from '../contract/index.js';
import type { AccountHealth, Cooldown, FailureKind, ProviderKind } from '../contract/index.js';
import { leastBusy, LocalInFlight, type InFlight } from './in-flight.js';
import { mostQuotaLeft, quotaExhaustedUntil, rateLimitedUntil, type QuotaHolder } from './quota.js';
import { MemorySessionBindings, type SessionBindings } from './session-bindings.js';
import { inTarget, type NamedAccount } from './target-accounts.js';

export interface Candidate extends QuotaHolder, NamedAccount {
  id: string;
  provider: ProviderKind;
  enabled: boolean;
  health: AccountHealth;
  cooldowns: readonly Cooldown[];
}

/** The cooldown for this model or ALL_MODELS that lasts longest and is still running, else null. */
function activeCooldown(c: Candidate, model: string, now: number): Cooldown | null {
  let found: Cooldown | null = null;
  for (const cd of c.cooldowns) {
    if ((cd.model === model || cd.model === ALL_MODELS) && cd.until > now && (found === null || cd.until > found.until)) found = cd;
  }
  return found;
}

/**
 * What keeps the account off this model now, the longest of: a running cooldown, a reported quota spent
 * until its reset, a reported rate-limit window used up until it resets.
 */
function activeBlock(c: Candidate, model: string, now: number): Cooldown | null {
  let block = activeCooldown(c, model, now);
  const spent = quotaExhaustedUntil(c, model, now);
  if (spent !== null && (block === null || spent > block.until)) block = { model, until: spent, reason: 'quota' };
  const limited = rateLimitedUntil(c, now);
  if (limited !== null && (block === null || limited > block.until)) block = { model, until: limited, reason: 'rate_limit' };
  return block;
}

/** Latest `until` among cooldowns for this model or ALL_MODELS that are still in the future, else null. */
export function coolingUntil(c: Candidate, model: string, now: number): number | null {
  return activeCooldown(c, model, now)?.until ?? null;
}

export interface SelectionQuery {
  provider: ProviderKind;
  model: string;
  /** Only accounts with one of these labels or groups; null or absent: every account of the provider. */
  accounts?: readonly string[] | null;
  sessionKey: string | null;
  exclude: ReadonlySet<string>;
  allowExcluded: boolean;
  now: number;
}

export type Selection<A> =
  | { ok: true; account: A; sticky: boolean }
  | {
      ok: false;
      reason: 'no_accounts' | 'all_cooling' | 'exhausted';
      /** With `all_cooling`: when the first account is back, and why it was cooling. */
      retryAt: number | null;
      cooldownReason?: FailureKind;
      /** With `no_accounts`: the enabled accounts of the kind that are out of service because their upstream refused their key. */
      refused?: readonly A[];
    };

interface Cursor {
  /** The account chosen last; its position in the current list is where the rotation resumes. */
  lastId: string;
  /** Its position then: if it has since been removed, its successor has moved into this slot. */
  lastIndex: number;
}

function usable(a: Candidate, q: Pick<SelectionQuery, 'provider' | 'accounts'>): boolean {
  // `forbidden` stays usable: its cooldown keeps it out for a while, then it gets another chance.
  return a.provider === q.provider && a.enabled && a.health !== 'invalid' && inTarget(a, q.accounts);
}

export class AccountSelector {
  // Bindings are per provider and upstream model, so that a conversation's side requests (Claude Code
  // sends titles and summaries to Haiku) neither drag the main model off its cached account when Haiku
  // cools down on it, nor fight over one binding when they go to another provider.
  private readonly sessions: SessionBindings;
  private readonly cursors = new Map<ProviderKind, Cursor>();
  /** Attempts under way per account (in a team, on every gateway). */
  readonly inFlight: InFlight;

  constructor(opts: { maxSessions?: number /* default 10_000, least-recently-used evicted */; bindings?: SessionBindings; inFlight?: InFlight } = {}) {
    this.sessions = opts.bindings ?? new MemorySessionBindings({ maxSessions: opts.maxSessions });
    this.inFlight = opts.inFlight ?? new LocalInFlight();
  }

  select<A extends Candidate>(accounts: readonly A[], q: SelectionQuery): Selection<A> {
    const usableIdx: number[] = [];
    for (let i = 0; i < accounts.length; i++) if (usable(accounts[i]!, q)) usableIdx.push(i);
    if (usableIdx.length === 0) {
      const refused = accounts.filter((a) => a.provider === q.provider && a.enabled && a.health === 'invalid' && inTarget(a, q.accounts));
      return { ok: false, reason: 'no_accounts', retryAt: null, refused };
    }

    let earliest: Cooldown | null = null;
    const ready: number[] = [];
    for (const i of usableIdx) {
      const cd = activeBlock(accounts[i]!, q.model, q.now);
      if (cd === null) ready.push(i);
      else if (earliest === null || cd.until < earliest.until) earliest = cd;
    }

    const eligible = ready.filter((i) => !q.exclude.has(accounts[i]!.id));
    if (eligible.length > 0) return this.pick(accounts, eligible, q, true);
    // A retry round over accounts this request already tried: the conversation's binding is what just
    // failed, so the rotation decides, not the binding.
    if (q.allowExcluded && ready.length > 0) return this.pick(accounts, ready, q, false);

    if (ready.length === 0) {
      const retryAt = earliest !== null && Number.isFinite(earliest.until) ? earliest.until : null;
      return { ok: false, reason: 'all_cooling', retryAt, cooldownReason: earliest?.reason };
    }
    return { ok: false, reason: 'exhausted', retryAt: null };
  }

  /** How many accounts could serve the query now, without choosing one (no rotation, no binding). */
  available(accounts: readonly Candidate[], q: Omit<SelectionQuery, 'sessionKey' | 'allowExcluded'>): number {
    let n = 0;
    for (const a of accounts) {
      if (usable(a, q) && !q.exclude.has(a.id) && activeBlock(a, q.model, q.now) === null) n++;
    }
    return n;
  }

  private pick<A extends Candidate>(accounts: readonly A[], pool: readonly number[], q: SelectionQuery, honourBinding: boolean): Selection<A> {
    const bindingKey = `${q.provider}\u0000${q.model}`;
    const bindings = q.sessionKey === null ? undefined : this.sessions.get(q.sessionKey);
    const boundId = honourBinding ? bindings?.get(bindingKey) : undefined;
    if (boundId !== undefined) {
      const bound = pool.find((i) => accounts[i]!.id === boundId);
      if (bound !== undefined) return { ok: true, account: accounts[bound]!, sticky: true };
    }

    // Where the upstream reports quota, the accounts with the most left take turns; without reports
    // every account is a candidate, as before. Among those, the ones with the fewest attempts under way
    // (on any gateway of a team) take turns, so a long stream on one account does not queue another behind it.
    const candidates = leastBusy(accounts, mostQuotaLeft(accounts, pool, q.model, q.now), this.inFlight);
    const chosen = this.nextInRotation(accounts, candidates, q.provider);
    const account = accounts[chosen]!;
    if (q.sessionKey !== null && bindings?.get(bindingKey) !== account.id) this.sessions.set(q.sessionKey, bindingKey, account.id);
    return { ok: true, account, sticky: false };
  }

  // The first pool member at or after the cursor, in array order. Resuming from the last chosen
  // account's position (not from a counter modulo the pool size) keeps the spread even while the pool
  // shrinks and grows as accounts cool down and come back.
  private nextInRotation(accounts: readonly Candidate[], pool: readonly number[], provider: ProviderKind): number {
    const n = accounts.length;
    const cursor = this.cursors.get(provider);
    let start = 0;
    if (cursor) {
      const last = accounts.findIndex((a) => a.id === cursor.lastId);
      start = last >= 0 ? (last + 1) % n : cursor.lastIndex < n ? cursor.lastIndex : 0;
    }
    let chosen = pool[0]!;
    let best = Infinity;
    for (const i of pool) {
      const distance = (i - start + n) % n;
      if (distance < best) {
        best = distance;
        chosen = i;
      }
    }
    this.cursors.set(provider, { lastId: accounts[chosen]!.id, lastIndex: chosen });
    return chosen;
  }
}
