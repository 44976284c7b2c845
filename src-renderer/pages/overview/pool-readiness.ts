// Whether the pool can answer at all: no account, or every account out of service until the user acts
// (a refused key, switched off), is what the Overview must not show as healthy.

import type { Account } from '../../../src-proxy/contract/index.js';
import { accountState } from '../accounts/account-state.js';

export type PoolReadiness =
  | { kind: 'ready' }
  | { kind: 'empty' }
  /** Every account needs the user: `invalid` ones want a new key or sign-in, `disabled` ones switching on. */
  | { kind: 'blocked'; invalid: Account[]; disabled: Account[] };

export function poolReadiness(accounts: readonly Account[], now: number): PoolReadiness {
  if (accounts.length === 0) return { kind: 'empty' };
  const invalid: Account[] = [];
  const disabled: Account[] = [];
  for (const a of accounts) {
    const kind = accountState(a, now).kind;
    if (kind === 'invalid') invalid.push(a);
    else if (kind === 'disabled') disabled.push(a);
    // Any other state serves, or will once a cooldown passes: the pool is not blocked.
    else return { kind: 'ready' };
  }
  return { kind: 'blocked', invalid, disabled };
}
