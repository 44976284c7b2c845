// Accounts that live only as long as the process: tests, and runs that must leave no files behind.

import type { Account } from '../contract/index.js';
import { BaseAccountStore } from './base-account-store.js';

export class MemoryAccountStore extends BaseAccountStore {
  /** Throws a ZodError when an initial account does not validate. */
  constructor(initial: readonly Account[] = []) {
    super(initial);
  }

  protected async persist(_accounts: readonly Account[]): Promise<void> {}
}
