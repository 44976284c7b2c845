// The ports of the account pool: what the request pipeline asks of it and what a provider tells it.
// They sit beside the pool, under everything that uses it, so the pool depends on nothing above it.

import type { Account, FailureKind, LearnedState, ProviderKind } from '../contract/index.js';
import type { Selection } from '../routing/account-selection.js';
import type { RetryDecision } from '../routing/retry-policy.js';

/** What a provider needs about the account it sends on: the stored record and its secret. */
export interface AccountCredentials<A extends Account = Account> {
  account: A;
  secret: string;
}

export interface PoolQuery {
  provider: ProviderKind;
  model: string;
  /** Only accounts with one of these labels or groups; null or absent: every account of the provider. */
  accounts?: readonly string[] | null;
  sessionKey: string | null;
  exclude: ReadonlySet<string>;
  allowExcluded: boolean;
}

export interface UsageReport {
  input_tokens: number | null;
  output_tokens: number | null;
}

/** Accounts as the request pipeline sees them: pick one, get its key, report how it went. */
export interface AccountPool {
  select(q: PoolQuery): Selection<Account>;
  /** How many accounts could serve now, leaving out `exclude`; chooses nothing. */
  available(q: Omit<PoolQuery, 'sessionKey' | 'allowExcluded'>): number;
  /** Whether the provider has an enabled account with a usable key (cooling or not), among `accounts` when named. */
  serves(provider: ProviderKind, accounts?: readonly string[] | null): boolean;
  /** Current state of one account (cooldowns and health change while a request waits). */
  get(id: string): Account | undefined;
  credentials(account: Account): AccountCredentials | null;
  /** Marks an attempt on the account as under way until the returned function is called (selection prefers the least busy). */
  begin(accountId: string): () => void;
  /** Models the accounts report they offer (upstreams that list them per account); none when absent. */
  offeredModels?(): ReadonlyArray<{ provider: ProviderKind; model: string }>;
  /** The models the provider's accounts (among `accounts` when named) report they offer; null when none reports. */
  offeredBy?(provider: ProviderKind, accounts?: readonly string[] | null): readonly string[] | null;
  recordSuccess(accountId: string, usage: UsageReport): void;
  recordFailure(accountId: string, model: string, kind: FailureKind, message: string, consequence: RetryDecision['account']): void;
}

/**
 * How a provider records what it learns about an account (a project id, quota left, a reason the
 * upstream refuses it), without reaching into the stores. The runtime gives each provider one.
 */
export interface AccountStatePort {
  learned(accountId: string, patch: Partial<Omit<LearnedState, 'updated_at'>>): void;
}
