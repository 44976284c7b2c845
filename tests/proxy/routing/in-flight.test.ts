import { describe, expect, it } from 'vitest';
import { AccountSelector, type Candidate } from '../../../src-proxy/routing/account-selection.js';
import { leastBusy, LocalInFlight } from '../../../src-proxy/routing/in-flight.js';

const acct = (id: string): Candidate => ({ id, provider: 'anthropic', enabled: true, health: 'ok', cooldowns: [], label: id, group: null });

describe('attempts under way on one gateway', () => {
  it('counts each attempt until it ends, and an end called twice ends it once', () => {
    const changes: string[] = [];
    const inFlight = new LocalInFlight((id) => changes.push(id));
    const first = inFlight.begin('a');
    const second = inFlight.begin('a');
    expect(inFlight.count('a')).toBe(2);
    first();
    first();
    expect(inFlight.count('a')).toBe(1);
    second();
    expect(inFlight.count('a')).toBe(0);
    expect(inFlight.snapshot()).toEqual({});
    expect(changes).toEqual(['a', 'a', 'a', 'a']);
  });
});

describe('least busy', () => {
  const accounts = ['a', 'b', 'c'].map(acct);
  const counts = (c: Record<string, number>) => ({ count: (id: string) => c[id] ?? 0 });
  it.each<{ busy: Record<string, number>; expected: number[] }>([
    { busy: {}, expected: [0, 1, 2] },
    { busy: { a: 1 }, expected: [1, 2] },
    { busy: { a: 2, b: 1, c: 1 }, expected: [1, 2] },
    { busy: { a: 3, b: 2, c: 1 }, expected: [2] },
  ])('keeps the accounts with the fewest attempts under way: $busy', ({ busy, expected }) => {
    expect(leastBusy(accounts, [0, 1, 2], counts(busy))).toEqual(expected);
  });
});

describe('selection with attempts under way', () => {
  const query = { provider: 'anthropic' as const, model: 'm', sessionKey: null, exclude: new Set<string>(), allowExcluded: false, now: 0 };
  it('passes over a busy account in the rotation, and takes turns again once it is free', () => {
    const inFlight = new LocalInFlight();
    const selector = new AccountSelector({ inFlight });
    const accounts = ['a', 'b', 'c'].map(acct);
    const end = inFlight.begin('a');
    const picked = () => {
      const s = selector.select(accounts, query);
      return s.ok ? s.account.id : null;
    };
    expect([picked(), picked(), picked()]).toEqual(['b', 'c', 'b']);
    end();
    expect([picked(), picked(), picked()]).toEqual(['c', 'a', 'b']);
  });

  it('keeps a conversation on its account however busy that account is', () => {
    const inFlight = new LocalInFlight();
    const selector = new AccountSelector({ inFlight });
    const accounts = ['a', 'b'].map(acct);
    const first = selector.select(accounts, { ...query, sessionKey: 's' });
    expect(first.ok && first.account.id).toBe('a');
    inFlight.begin('a');
    const again = selector.select(accounts, { ...query, sessionKey: 's' });
    expect(again.ok && again.account.id).toBe('a');
  });
});
