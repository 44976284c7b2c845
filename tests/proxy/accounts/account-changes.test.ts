import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { editAccount, freezeAccount, newAccount, parseAccount, patchAccount } from '../../../src-proxy/accounts/account-changes.js';
import type { Account } from '../../../src-proxy/contract/index.js';
import { makeAccount } from './account-fixture.js';

type Change = (a: Account) => Account;

// A secret passed along by mistake, which the schema does not know.
const stray = { api_key: 'not-a-secret' };
const withStray: Change = (a) => ({ ...a, enabled: false, ...stray });
const emptyLabel: Change = (a) => ({ ...a, label: '' });
const otherId: Change = (a) => ({ ...a, id: 'b' });
const moreRequests: Change = (a) => ({ ...a, stats: { ...a.stats, requests: a.stats.requests + 1 } });

describe('the changes every account store applies', () => {
  const cases: Array<{
    what: string;
    apply: (a: Account, c: Change) => Account;
    change: Change;
    gives?: Record<string, unknown>;
    throws?: string | typeof ZodError;
  }> = [
    { what: 'an edit keeps what the schema knows', apply: editAccount, change: moreRequests, gives: { id: 'a', stats: { requests: 1 } } },
    { what: 'an edit strips a field the schema does not know', apply: editAccount, change: withStray, gives: { enabled: false } },
    { what: 'an edit is checked against the schema', apply: editAccount, change: emptyLabel, throws: ZodError },
    { what: 'an edit cannot move the account to another id', apply: editAccount, change: otherId, throws: 'Account a cannot change its id' },
    { what: 'a runtime patch keeps what it was given', apply: patchAccount, change: moreRequests, gives: { id: 'a', stats: { requests: 1 } } },
    { what: 'a runtime patch is trusted as typed, not re-parsed', apply: patchAccount, change: emptyLabel, gives: { label: '' } },
    { what: 'a runtime patch cannot move the account to another id', apply: patchAccount, change: otherId, throws: 'Account a cannot change its id' },
  ];

  for (const { what, apply, change, gives, throws } of cases) {
    it(what, () => {
      const current = parseAccount(makeAccount('a'));
      if (throws) {
        expect(() => apply(current, change)).toThrow(throws);
        return;
      }
      const next = apply(current, change);
      expect(next).toMatchObject(gives!);
      expect(Object.isFrozen(next) && Object.isFrozen(next.stats)).toBe(true);
      expect(current.stats.requests).toBe(0);
    });
  }

  it('an edit drops the stray field itself, which a runtime patch leaves to the write that persists it', () => {
    const current = parseAccount(makeAccount('a'));
    expect(editAccount(current, withStray)).not.toHaveProperty('api_key');
    expect(patchAccount(current, withStray)).toHaveProperty('api_key', 'not-a-secret');
  });

  it('a new account is checked, stripped and frozen, and refused when its id is taken', () => {
    const added = newAccount({ ...makeAccount('a'), ...stray }, () => undefined);
    expect(added).not.toHaveProperty('api_key');
    expect(Object.isFrozen(added.options)).toBe(true);
    expect(() => newAccount(makeAccount('a'), (id) => (id === 'a' ? added : undefined))).toThrow('Account a already exists');
    expect(() => newAccount({ ...makeAccount('a'), label: '' }, () => undefined)).toThrow(ZodError);
  });

  it('a frozen account turns an in-place edit into an error', () => {
    const account = freezeAccount(makeAccount('a'));
    expect(() => {
      (account.stats as { requests: number }).requests = 9;
    }).toThrow(TypeError);
  });
});
