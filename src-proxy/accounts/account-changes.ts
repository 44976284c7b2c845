// The rules every account store applies to what it is handed, whatever keeps the accounts behind it.
// What the user adds or edits is checked against the schema, which also strips fields it does not know,
// such as a secret passed along by mistake; runtime bookkeeping is the core's own typed code and runs on
// every request, so it is not re-parsed. No change may move an account to another id.

import { AccountSchema, type Account } from '../contract/index.js';

/** An account read or given whole, checked and frozen. */
export function parseAccount(account: Account): Account {
  return freezeAccount(AccountSchema.parse(account));
}

/** The account to add, checked, unless `existing` already knows its id. */
export function newAccount(account: Account, existing: (id: string) => Account | undefined): Account {
  const parsed = parseAccount(account);
  if (existing(parsed.id)) throw new Error(`Account ${parsed.id} already exists`);
  return parsed;
}

/** A change the user makes to an account, checked like a new account. */
export function editAccount(current: Account, change: (a: Account) => Account): Account {
  return sameId(current, parseAccount(change(current)));
}

/** A change the core makes to an account's runtime state, trusted as typed. */
export function patchAccount(current: Account, change: (a: Account) => Account): Account {
  return sameId(current, freezeAccount(change(current)));
}

/**
 * Accounts are shared by reference with every caller holding a snapshot; freezing turns an accidental
 * in-place edit into an immediate TypeError instead of a silent change to someone else's snapshot.
 */
export function freezeAccount(account: Account): Account {
  return deepFreeze(account);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function sameId(current: Account, next: Account): Account {
  if (next.id !== current.id) throw new Error(`Account ${current.id} cannot change its id`);
  return next;
}
