// The account pool as the request pipeline sees it: the selector's choice over the store's current
// accounts, their keys, and the consequences of each attempt written back as runtime bookkeeping.

import { ALL_MODELS, type Account, type AccountOf, type AccountTest, type Cooldown, type FailureKind, type ProviderKind } from '../contract/index.js';
import { AccountSelector, type Selection } from '../routing/account-selection.js';
import type { RetryDecision } from '../routing/retry-policy.js';
import { inTarget } from '../routing/target-accounts.js';
import type { AccountStore } from './account-store.js';
import type { AccountCredentials, AccountPool, AccountStatePort, PoolQuery, UsageReport } from './pool-ports.js';
import type { SecretStore } from './secret-store.js';

/** How long successes' counters wait before they reach the account (the console redraws as often). */
export const STATS_FLUSH_MS = 250;

interface PendingStats {
  requests: number;
  input: number;
  output: number;
  lastUsed: number;
}

export class StoreAccountPool implements AccountPool, AccountStatePort {
  // A success changes nothing selection depends on, only counters: they are added up here and written
  // to the account a few times a second, instead of replacing the account on every request.
  private readonly pending = new Map<string, PendingStats>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: AccountStore,
    private readonly secrets: SecretStore,
    private readonly selector = new AccountSelector(),
    private readonly now: () => number = Date.now,
  ) {}

  select(q: PoolQuery): Selection<Account> {
    return this.selector.select(this.store.list(), { ...q, now: this.now() });
  }

  available(q: Omit<PoolQuery, 'sessionKey' | 'allowExcluded'>): number {
    return this.selector.available(this.store.list(), { ...q, now: this.now() });
  }

  serves(provider: ProviderKind, accounts: readonly string[] | null = null): boolean {
    return this.store.list().some((a) => a.provider === provider && a.enabled && a.health !== 'invalid' && inTarget(a, accounts));
  }

  get(id: string): Account | undefined {
    return this.store.get(id);
  }

  credentials(account: Account): AccountCredentials | null {
    const secret = this.secrets.get(account.id);
    return secret ? { account, secret } : null;
  }

  begin(accountId: string): () => void {
    return this.selector.inFlight.begin(accountId);
  }

  /** Every enabled account of a kind that has its secret, for a provider's background work. */
  credentialsOf<K extends ProviderKind>(provider: K): AccountCredentials<AccountOf<K>>[] {
    const out: AccountCredentials<AccountOf<K>>[] = [];
    for (const account of this.store.list()) {
      if (account.provider !== provider || !account.enabled) continue;
      const secret = this.secrets.get(account.id);
      if (secret) out.push({ account: account as AccountOf<K>, secret });
    }
    return out;
  }

  /** The models the accounts of each kind report they offer (as quota), for the models list. */
  offeredModels(): Array<{ provider: ProviderKind; model: string }> {
    const seen = new Set<string>();
    const out: Array<{ provider: ProviderKind; model: string }> = [];
    for (const account of this.store.list()) {
      if (!account.enabled || account.health === 'invalid') continue;
      for (const q of account.learned.quota) {
        const key = `${account.provider}\u0000${q.model}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ provider: account.provider, model: q.model });
      }
    }
    return out;
  }

  offeredBy(provider: ProviderKind, accounts: readonly string[] | null = null): string[] | null {
    let out: string[] | null = null;
    for (const account of this.store.list()) {
      if (account.provider !== provider || !account.enabled || account.health === 'invalid' || !inTarget(account, accounts)) continue;
      if (account.learned.quota.length === 0) continue;
      out ??= [];
      for (const q of account.learned.quota) out.push(q.model);
    }
    return out;
  }

  learned(accountId: string, patch: Parameters<AccountStatePort['learned']>[1]): void {
    const now = this.now();
    this.store.patchRuntime(accountId, (a) => {
      const next: Account = { ...a, learned: { ...a.learned, ...patch, updated_at: now } };
      if (patch.quota) {
        // The upstream says a model has quota again: a cooldown its earlier 429 set ends now, however far
        // off that 429 put the reset.
        const back = new Set(patch.quota.filter((q) => q.remaining > 0).map((q) => q.model.toLowerCase()));
        const kept = a.cooldowns.filter((c) => !((c.reason === 'quota' || c.reason === 'rate_limit') && back.has(c.model.toLowerCase())));
        if (kept.length !== a.cooldowns.length) next.cooldowns = kept;
      }
      return next;
    });
  }

  recordSuccess(accountId: string, usage: UsageReport): void {
    const now = this.now();
    const account = this.store.get(accountId);
    // What selection reads changes at once: a connection streak ends, a 403 proves to have passed (a
    // wrong key, `invalid`, is only cleared by a new key).
    if (account && (account.network_failures !== 0 || account.health === 'forbidden')) {
      this.store.patchRuntime(accountId, (a) => {
        const next: Account = { ...a, network_failures: 0 };
        if (a.health === 'forbidden') {
          next.health = 'ok';
          next.health_message = null;
          next.health_at = now;
        }
        return next;
      });
    }
    let p = this.pending.get(accountId);
    if (!p) {
      p = { requests: 0, input: 0, output: 0, lastUsed: now };
      this.pending.set(accountId, p);
    }
    p.requests++;
    p.input += usage.input_tokens ?? 0;
    p.output += usage.output_tokens ?? 0;
    p.lastUsed = now;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flushStats(), STATS_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes the counters of the successes since the last flush to their accounts. */
  flushStats(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [id, p] of this.pending) {
      this.store.patchRuntime(id, (a) => ({
        ...a,
        stats: {
          requests: a.stats.requests + p.requests,
          failures: a.stats.failures,
          input_tokens: a.stats.input_tokens + p.input,
          output_tokens: a.stats.output_tokens + p.output,
          last_used_at: Math.max(a.stats.last_used_at ?? 0, p.lastUsed),
        },
      }));
    }
    this.pending.clear();
  }

  /**
   * Keeps the outcome of a Test the user asked for. An answer proves the key works and lifts a refused
   * key's or a 403's mark; a refused key or a 403 marks the account as a request would. A test is not
   * traffic: the request counters stay as they are.
   */
  recordTest(accountId: string, test: AccountTest): void {
    this.store.patchRuntime(accountId, (a) => {
      const next: Account = { ...a, last_test: test };
      if (test.failure === null) {
        next.network_failures = 0;
        if (a.health !== 'ok') Object.assign(next, { health: 'ok', health_message: null, health_at: test.at });
      } else if (test.failure === 'auth' || test.failure === 'forbidden') {
        Object.assign(next, { health: test.failure === 'auth' ? 'invalid' : 'forbidden', health_message: test.message, health_at: test.at });
      }
      return next;
    });
  }

  recordFailure(accountId: string, model: string, kind: FailureKind, message: string, consequence: RetryDecision['account']): void {
    const now = this.now();
    this.store.patchRuntime(accountId, (a) => {
      const next: Account = {
        ...a,
        // Any answer from the upstream proves the connection works; only a failed connection counts.
        network_failures: kind === 'network' ? a.network_failures + 1 : 0,
        stats: { ...a.stats, requests: a.stats.requests + 1, failures: a.stats.failures + 1, last_used_at: now },
      };
      if (consequence.cooldown) {
        const scope = consequence.cooldown.scope === 'account' ? ALL_MODELS : model;
        next.cooldowns = withCooldown(a.cooldowns, { model: scope, until: now + consequence.cooldown.ms, reason: kind }, now);
      }
      if (consequence.health) {
        next.health = consequence.health;
        next.health_message = message.slice(0, 500);
        next.health_at = now;
      }
      return next;
    });
  }
}

/** Replaces any cooldown for the same scope and drops the expired ones, so the list stays short. */
function withCooldown(cooldowns: readonly Cooldown[], added: Cooldown, now: number): Cooldown[] {
  const kept = cooldowns.filter((c) => c.model !== added.model && c.until > now);
  return [...kept, added];
}
