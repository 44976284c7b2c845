// What the gateway needs from the rest of the core. The runtime provides it; tests can too.

import type { Account, FailureKind, ProviderKind, RequestLogEntry, Settings } from '../contract/index.js';
import type { AccountCredentials, ProviderRegistry } from '../providers/types.js';
import type { RetryDecision, RetryPolicy } from '../routing/retry-policy.js';
import type { Selection } from '../routing/account-selection.js';

export interface PoolQuery {
  provider: ProviderKind;
  model: string;
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
  /** Whether the provider has an enabled account with a usable key (cooling or not). */
  serves(provider: ProviderKind): boolean;
  /** Current state of one account (cooldowns and health change while a request waits). */
  get(id: string): Account | undefined;
  credentials(account: Account): AccountCredentials | null;
  /** Models the accounts report they offer (upstreams that list them per account); none when absent. */
  offeredModels?(): ReadonlyArray<{ provider: ProviderKind; model: string }>;
  recordSuccess(accountId: string, usage: UsageReport): void;
  recordFailure(accountId: string, model: string, kind: FailureKind, message: string, consequence: RetryDecision['account']): void;
}

export interface GatewayDeps {
  settings(): Settings;
  pool: AccountPool;
  providers: ProviderRegistry;
  recordRequest(entry: RequestLogEntry): void;
  retryPolicy?: RetryPolicy;
  /** Keep-alive ping period for silent streams; 15 s unless a test needs it shorter. */
  pingIntervalMs?: number;
  /** Unexpected exceptions (bugs), for the shell to report; never sent to clients in detail. */
  onInternalError?(err: unknown): void;
}
