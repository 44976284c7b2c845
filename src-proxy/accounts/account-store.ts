// The account port. Accounts are read on every request (routing), so reads are synchronous from memory;
// writes go to whatever storage the adapter owns.

import type { Account } from '../contract/index.js';

export interface AccountStore {
  /** Synchronous, from memory, in insertion order. The array is replaced (never mutated) on every change, so callers may keep a snapshot. */
  list(): readonly Account[];
  get(id: string): Account | undefined;
  /** Rejects when the id is taken or the account does not validate. */
  add(account: Account): Promise<void>;
  /** Rejects when the account is missing, the result does not validate, or `change` alters the id. */
  update(id: string, change: (a: Account) => Account): Promise<Account>;
  remove(id: string): Promise<boolean>;
  /**
   * Runtime bookkeeping (cooldowns, stats, health): applied in memory at once, persisted within ~1 s,
   * coalesced. A missing id is ignored: the account may have been removed while a request was in flight.
   */
  patchRuntime(id: string, change: (a: Account) => Account): void;
  /** Persists pending runtime patches now (used at shutdown). */
  flush(): Promise<void>;
  onChange(listener: (accounts: readonly Account[]) => void): () => void;
}
