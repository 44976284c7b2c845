import { describe, expect, it, vi } from 'vitest';
import { ALL_MODELS, type Cooldown, type ProviderKind } from '../../../src-proxy/contract/index.js';
import { AccountSelector, coolingUntil, type Candidate, type Selection, type SelectionQuery } from '../../../src-proxy/routing/account-selection.js';
import { MemorySessionBindings } from '../../../src-proxy/routing/session-bindings.js';

const NOW = 1_000_000;
const MODEL = 'claude-sonnet-4-6';

interface TestAccount extends Candidate {
  label: string;
}

function acct(id: string, over: Partial<TestAccount> = {}): TestAccount {
  return { id, label: `${id}@example.com`, provider: 'anthropic', enabled: true, health: 'ok', cooldowns: [], ...over };
}

const cool = (until: number, model: string = MODEL, reason: Cooldown['reason'] = 'rate_limit'): Cooldown => ({ model, until, reason });

function query(over: Partial<SelectionQuery> = {}): SelectionQuery {
  return { provider: 'anthropic', model: MODEL, sessionKey: null, exclude: new Set(), allowExcluded: false, now: NOW, ...over };
}

function idOf(s: Selection<TestAccount>): string {
  if (!s.ok) throw new Error(`expected an account, got ${s.reason}`);
  return s.account.id;
}

describe('coolingUntil', () => {
  it.each<[string, Cooldown[], number | null]>([
    ['no cooldowns', [], null],
    ['a cooldown for this model', [cool(NOW + 10)], NOW + 10],
    ['an account-wide cooldown', [cool(NOW + 10, ALL_MODELS)], NOW + 10],
    ['a cooldown for another model only', [cool(NOW + 10, 'claude-haiku-4-5')], null],
    ['a cooldown that has passed', [cool(NOW - 1)], null],
    ['a cooldown ending exactly now', [cool(NOW)], null],
    ['the latest of several that apply', [cool(NOW + 10), cool(NOW + 30, ALL_MODELS), cool(NOW + 20)], NOW + 30],
    ['the latest ignores other models', [cool(NOW + 10), cool(NOW + 99, 'other')], NOW + 10],
  ])('%s', (_title, cooldowns, expected) => {
    expect(coolingUntil(acct('a', { cooldowns }), MODEL, NOW)).toBe(expected);
  });
});

describe('round-robin without a session key', () => {
  it('spreads six requests evenly over three accounts, in array order', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b'), acct('c')];
    const picks = Array.from({ length: 6 }, () => idOf(selector.select(accounts, query())));
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('skips accounts of other providers without losing its place', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('g', { provider: 'gemini' }), acct('b'), acct('c')];
    const picks = Array.from({ length: 6 }, () => idOf(selector.select(accounts, query())));
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('keeps one cursor per provider', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('g1', { provider: 'gemini' }), acct('b'), acct('g2', { provider: 'gemini' })];
    const picks = (['anthropic', 'gemini', 'anthropic', 'gemini', 'anthropic'] as ProviderKind[]).map((provider) =>
      idOf(selector.select(accounts, query({ provider }))),
    );
    expect(picks).toEqual(['a', 'g1', 'b', 'g2', 'a']);
  });

  it('stays even while one account cools down and comes back', () => {
    const selector = new AccountSelector();
    const b = acct('b');
    const accounts = [acct('a'), b, acct('c'), acct('d')];
    const picks: string[] = [];
    for (let i = 0; i < 12; i++) {
      b.cooldowns = i >= 2 && i < 6 ? [cool(NOW + 1)] : [];
      picks.push(idOf(selector.select(accounts, query())));
    }
    expect(picks).toEqual(['a', 'b', 'c', 'd', 'a', 'c', 'd', 'a', 'b', 'c', 'd', 'a']);
    const counts = Object.fromEntries(['a', 'b', 'c', 'd'].map((id) => [id, picks.filter((p) => p === id).length]));
    expect(counts).toEqual({ a: 4, b: 2, c: 3, d: 3 });
  });

  it('resumes after the last chosen account when the list is reordered', () => {
    const selector = new AccountSelector();
    expect(idOf(selector.select([acct('a'), acct('b'), acct('c')], query()))).toBe('a');
    expect(idOf(selector.select([acct('c'), acct('a'), acct('b')], query()))).toBe('b');
    expect(idOf(selector.select([acct('b'), acct('c'), acct('a')], query()))).toBe('c');
  });

  it('resumes with the successor when the last chosen account is removed', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b'), acct('c'), acct('d')];
    expect(idOf(selector.select(accounts, query()))).toBe('a');
    expect(idOf(selector.select(accounts, query()))).toBe('b');
    const withoutB = accounts.filter((a) => a.id !== 'b');
    expect([1, 2, 3].map(() => idOf(selector.select(withoutB, query())))).toEqual(['c', 'd', 'a']);
  });

  it('starts over when the list shrinks below the cursor', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b'), acct('c'), acct('d')];
    for (let i = 0; i < 4; i++) selector.select(accounts, query());
    expect(idOf(selector.select([acct('a'), acct('b')], query()))).toBe('a');
  });

  it('spreads load evenly over many requests', () => {
    const selector = new AccountSelector();
    const accounts = ['a', 'b', 'c', 'd', 'e'].map((id) => acct(id));
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      const id = idOf(selector.select(accounts, query()));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([100, 100, 100, 100, 100]);
  });
});

describe('stickiness per session', () => {
  it('keeps a conversation on its account while it stays healthy, while others rotate', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b'), acct('c')];
    const s1 = query({ sessionKey: 'session:1' });
    const first = selector.select(accounts, s1);
    expect(first).toMatchObject({ ok: true, sticky: false, account: { id: 'a' } });
    const rest = Array.from({ length: 5 }, (_, i) => selector.select(accounts, i % 2 === 0 ? s1 : query()));
    expect(rest.map((s) => [idOf(s), s.ok && s.sticky])).toEqual([
      ['a', true],
      ['b', false],
      ['a', true],
      ['c', false],
      ['a', true],
    ]);
  });

  it('spreads new conversations like any other request', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b'), acct('c')];
    const picks = ['s1', 's2', 's3', 's4', 's1', 's2', 's3', 's4'].map((k) => idOf(selector.select(accounts, query({ sessionKey: k }))));
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'a', 'b', 'c', 'a']);
  });

  it.each<[string, Partial<TestAccount>]>([
    ['cooling for this model', { cooldowns: [cool(NOW + 60_000)] }],
    ['cooling account-wide', { cooldowns: [cool(NOW + 60_000, ALL_MODELS, 'forbidden')], health: 'forbidden' }],
    ['disabled', { enabled: false }],
    ['invalid', { health: 'invalid' }],
  ])('replaces a sticky account that is %s, and the session follows the new one', (_title, change) => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b'), acct('c')];
    const s = query({ sessionKey: 'session:1' });
    expect(idOf(selector.select(accounts, s))).toBe('a');

    Object.assign(accounts[0]!, change);
    expect(selector.select(accounts, s)).toMatchObject({ ok: true, sticky: false, account: { id: 'b' } });

    // Even once `a` is back, the conversation stays on `b`, where its cache now is.
    Object.assign(accounts[0]!, acct('a'));
    expect(selector.select(accounts, s)).toMatchObject({ ok: true, sticky: true, account: { id: 'b' } });
  });

  it('keeps the main model on its account when a side model cools down there', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a'), acct('b')];
    const sonnet = query({ sessionKey: 'session:1' });
    const haiku = query({ sessionKey: 'session:1', model: 'claude-haiku-4-5' });
    expect(idOf(selector.select(accounts, sonnet))).toBe('a');
    accounts[0]!.cooldowns = [cool(NOW + 60_000, 'claude-haiku-4-5')];
    expect(idOf(selector.select(accounts, haiku))).toBe('b');
    expect(selector.select(accounts, sonnet)).toMatchObject({ sticky: true, account: { id: 'a' } });
  });
});

describe('exclude and allowExcluded (accounts already tried by this request)', () => {
  const accounts = [acct('a'), acct('b'), acct('c', { cooldowns: [cool(NOW + 500)] })];

  it.each<[string, string[], boolean, string | null, Selection<TestAccount> | string]>([
    ['an excluded account is skipped', ['a'], false, null, 'b'],
    ['an excluded sticky account is skipped', ['b'], false, 's', 'a'],
    ['everything ready excluded, retries not allowed: exhausted', ['a', 'b'], false, null, { ok: false, reason: 'exhausted', retryAt: null }],
    ['everything ready excluded, retries allowed: round-robin over them', ['a', 'b'], true, null, 'a'],
    // The binding points at what this request just failed on; the rotation picks the retry.
    ['everything ready excluded, retries allowed: the rotation decides, not the binding', ['a', 'b'], true, 's', 'a'],
    ['allowExcluded never brings back a cooling account', ['a', 'b'], true, null, 'a'],
    ['allowExcluded is not used while something is eligible', ['a'], true, null, 'b'],
  ])('%s', (_title, exclude, allowExcluded, sessionKey, expected) => {
    const selector = new AccountSelector();
    if (sessionKey) {
      // Bind the session to `b` first (the cursor then sits past `b`).
      selector.select(accounts, query({ exclude: new Set(['a']) }));
      selector.select(accounts, query({ sessionKey, exclude: new Set(['a']) }));
    } else {
      selector.select(accounts, query({ exclude: new Set(['a', 'b']), allowExcluded: true })); // cursor past `a`
      selector.select(accounts, query({ exclude: new Set(['a']) })); // cursor past `b`
    }
    const result = selector.select(accounts, query({ exclude: new Set(exclude), allowExcluded, sessionKey }));
    if (typeof expected === 'string') expect(idOf(result)).toBe(expected);
    else expect(result).toEqual(expected);
  });

  it('with one account, a retried request may go back to it only when allowed', () => {
    const selector = new AccountSelector();
    const one = [acct('only')];
    expect(selector.select(one, query({ exclude: new Set(['only']) }))).toEqual({ ok: false, reason: 'exhausted', retryAt: null });
    expect(idOf(selector.select(one, query({ exclude: new Set(['only']), allowExcluded: true })))).toBe('only');
  });
});

describe('when no account can serve', () => {
  it.each<[string, TestAccount[], Selection<TestAccount>]>([
    ['an empty pool', [], { ok: false, reason: 'no_accounts', retryAt: null, refused: [] }],
    ['only disabled accounts', [acct('a', { enabled: false })], { ok: false, reason: 'no_accounts', retryAt: null, refused: [] }],
    [
      'only invalid accounts: they are named as refused',
      [acct('a', { health: 'invalid' })],
      { ok: false, reason: 'no_accounts', retryAt: null, refused: [acct('a', { health: 'invalid' })] },
    ],
    [
      'a disabled invalid account is not named as refused: it is disabled',
      [acct('a', { health: 'invalid', enabled: false })],
      { ok: false, reason: 'no_accounts', retryAt: null, refused: [] },
    ],
    [
      'only accounts of another provider',
      [acct('g', { provider: 'gemini' }), acct('x', { provider: 'antigravity', health: 'invalid' })],
      { ok: false, reason: 'no_accounts', retryAt: null, refused: [] },
    ],
    [
      'every usable account cooling: retryAt is the earliest end, with the reason of that cooldown',
      [
        acct('a', { cooldowns: [cool(NOW + 30_000)] }),
        acct('b', { cooldowns: [cool(NOW + 5_000), cool(NOW + 90_000, ALL_MODELS)] }),
        acct('c', { cooldowns: [cool(NOW + 20_000, ALL_MODELS, 'network')] }),
        acct('d', { enabled: false }),
        acct('e', { health: 'invalid' }),
      ],
      { ok: false, reason: 'all_cooling', retryAt: NOW + 20_000, cooldownReason: 'network' },
    ],
  ])('%s', (_title, accounts, expected) => {
    const s = new AccountSelector().select(accounts, query({ exclude: new Set(['a']), allowExcluded: true }));
    expect(s).toEqual(expected);
  });

  it('an excluded account that is not cooling makes it "exhausted", not "all_cooling"', () => {
    const accounts = [acct('a'), acct('b', { cooldowns: [cool(NOW + 1000)] })];
    expect(new AccountSelector().select(accounts, query({ exclude: new Set(['a']) }))).toEqual({
      ok: false,
      reason: 'exhausted',
      retryAt: null,
    });
  });
});

describe('a forbidden account', () => {
  it.each<[string, number, string[]]>([
    ['stays out while its cooldown runs', NOW + 599_999, ['b', 'b']],
    ['returns once its cooldown has passed', NOW + 600_000, ['a', 'b']],
  ])('%s', (_title, now, expected) => {
    const selector = new AccountSelector();
    const accounts = [acct('a', { health: 'forbidden', cooldowns: [cool(NOW + 600_000, ALL_MODELS, 'forbidden')] }), acct('b')];
    const picks = [1, 2].map(() => idOf(selector.select(accounts, query({ now }))));
    expect(picks).toEqual(expected);
  });
});

describe('session bindings are bounded (least recently used evicted)', () => {
  it('evicts the least recently used conversation, not the oldest bound', () => {
    const selector = new AccountSelector({ maxSessions: 2 });
    const accounts = [acct('a'), acct('b'), acct('c')];
    const pick = (sessionKey: string): [string, boolean] => {
      const s = selector.select(accounts, query({ sessionKey }));
      return [idOf(s), s.ok && s.sticky];
    };
    expect(pick('s1')).toEqual(['a', false]);
    expect(pick('s2')).toEqual(['b', false]);
    expect(pick('s1')).toEqual(['a', true]); // s1 is now the most recent
    expect(pick('s3')).toEqual(['c', false]); // evicts s2
    expect(pick('s1')).toEqual(['a', true]);
    expect(pick('s3')).toEqual(['c', true]);
    expect(pick('s2')).toEqual(['a', false]); // forgotten: rotates and binds anew, evicting s1
    expect(pick('s1')).toEqual(['b', false]);
  });

  it.each([[-1], [1.5], [Number.NaN]])('rejects maxSessions %s', (maxSessions) => {
    expect(() => new AccountSelector({ maxSessions })).toThrow(RangeError);
  });

  it('maxSessions 0 turns stickiness off', () => {
    const selector = new AccountSelector({ maxSessions: 0 });
    const accounts = [acct('a'), acct('b')];
    const picks = [1, 2, 3].map(() => selector.select(accounts, query({ sessionKey: 's' })));
    expect(picks.map((s) => [idOf(s), s.ok && s.sticky])).toEqual([
      ['a', false],
      ['b', false],
      ['a', false],
    ]);
  });
});

describe('select returns the caller’s own account objects', () => {
  it('with their extra fields intact', () => {
    const accounts = [acct('a')];
    const s = new AccountSelector().select(accounts, query());
    expect(s.ok && s.account).toBe(accounts[0]);
    expect(s.ok && s.account.label).toBe('a@example.com');
  });
});

describe('available (how many accounts could serve, choosing none)', () => {
  const accounts = [
    acct('a'),
    acct('b', { cooldowns: [cool(NOW + 1000)] }),
    acct('c', { cooldowns: [cool(NOW + 1000, 'claude-haiku-4-5')] }),
    acct('d', { health: 'invalid' }),
    acct('e', { enabled: false }),
    acct('f', { health: 'forbidden' }),
    acct('g', { provider: 'gemini' }),
  ];

  it.each<[string, string[], number]>([
    ['counts the ready accounts of the provider, cooling for another model or not', [], 3],
    ['leaves out the accounts already tried', ['a', 'f'], 1],
    ['is 0 when every ready account was tried', ['a', 'c', 'f'], 0],
  ])('%s', (_title, exclude, expected) => {
    expect(new AccountSelector().available(accounts, { provider: 'anthropic', model: MODEL, exclude: new Set(exclude), now: NOW })).toBe(expected);
  });

  it('moves neither the rotation nor a binding', () => {
    const selector = new AccountSelector();
    const two = [acct('a'), acct('b')];
    selector.available(two, { provider: 'anthropic', model: MODEL, exclude: new Set(), now: NOW });
    expect(idOf(selector.select(two, query({ sessionKey: 's' })))).toBe('a');
  });
});

describe('quota reported by the upstream', () => {
  const QMODEL = MODEL;
  const quota = (remaining: number, resets_at: number | null = NOW + 60_000) => ({ quota: [{ model: QMODEL, remaining, resets_at }] });

  it('skips an account whose quota for the model is spent, until its reset', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a', { learned: quota(0, NOW + 5000) }), acct('b', { learned: quota(0.5) })];
    expect([1, 2, 3].map(() => idOf(selector.select(accounts, query())))).toEqual(['b', 'b', 'b']);
    expect(idOf(selector.select(accounts, query({ now: NOW + 5000, model: QMODEL })))).toBe('a');
  });

  it('reports every account spent as cooling until the first reset, for quota', () => {
    const accounts = [acct('a', { learned: quota(0, NOW + 9000) }), acct('b', { learned: quota(0, NOW + 4000) })];
    expect(new AccountSelector().select(accounts, query())).toEqual({ ok: false, reason: 'all_cooling', retryAt: NOW + 4000, cooldownReason: 'quota' });
  });

  it('a spent quota without a reset keeps the account out with no time to name', () => {
    const accounts = [acct('a', { learned: quota(0, null) })];
    expect(new AccountSelector().select(accounts, query())).toMatchObject({ ok: false, reason: 'all_cooling', retryAt: null });
  });

  it('a cooldown that outlasts the quota reset still holds', () => {
    const accounts = [acct('a', { learned: quota(0, NOW + 1000), cooldowns: [cool(NOW + 8000)] })];
    expect(new AccountSelector().select(accounts, query())).toMatchObject({ ok: false, retryAt: NOW + 8000, cooldownReason: 'rate_limit' });
  });

  it('prefers the account with the most quota left, and rotates among equals', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a', { learned: quota(0.2) }), acct('b', { learned: quota(0.8) }), acct('c', { learned: quota(0.8) })];
    expect([1, 2, 3, 4].map(() => idOf(selector.select(accounts, query())))).toEqual(['b', 'c', 'b', 'c']);
  });

  it('keeps round-robin for accounts without quota data', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a', { learned: { quota: [] } }), acct('b'), acct('c')];
    expect([1, 2, 3].map(() => idOf(selector.select(accounts, query())))).toEqual(['a', 'b', 'c']);
  });

  it('a conversation stays on its account while that account has quota', () => {
    const selector = new AccountSelector();
    const accounts = [acct('a', { learned: quota(0.9) }), acct('b', { learned: quota(0.1) })];
    const first = idOf(selector.select(accounts, query({ sessionKey: 's' })));
    accounts[0] = acct('a', { learned: quota(0.05) });
    expect(idOf(selector.select(accounts, query({ sessionKey: 's' })))).toBe(first);
    accounts[0] = acct('a', { learned: quota(0) });
    expect(idOf(selector.select(accounts, query({ sessionKey: 's' })))).toBe('b');
  });

  it('counts a spent account as unavailable', () => {
    const accounts = [acct('a', { learned: quota(0) }), acct('b', { learned: quota(0.3) })];
    expect(new AccountSelector().available(accounts, { provider: 'anthropic', model: QMODEL, exclude: new Set(), now: NOW })).toBe(1);
  });
});

describe('session bindings behind a port', () => {
  it('continues a conversation on its account in another selector that shares the bindings', () => {
    const bindings = new MemorySessionBindings();
    const accounts = [acct('a'), acct('b'), acct('c')];
    const first = new AccountSelector({ bindings });
    first.select(accounts, query());
    const bound = idOf(first.select(accounts, query({ sessionKey: 'session:1' })));
    // Another gateway's selector, whose own rotation would start at `a`.
    const other = new AccountSelector({ bindings });
    const s = other.select(accounts, query({ sessionKey: 'session:1' }));
    expect(bound).toBe('b');
    expect(s).toMatchObject({ ok: true, account: { id: 'b' }, sticky: true });
  });

  it('writes a binding only when it changes', () => {
    const set = vi.fn();
    const store = new MemorySessionBindings();
    const bindings = { get: (k: string) => store.get(k), set: (...args: [string, string, string]) => (set(...args), store.set(...args)) };
    const selector = new AccountSelector({ bindings });
    const accounts = [acct('a'), acct('b')];
    for (let i = 0; i < 3; i++) selector.select(accounts, query({ sessionKey: 'session:1' }));
    expect(set).toHaveBeenCalledTimes(1);
    expect(set).toHaveBeenCalledWith('session:1', `anthropic\u0000${MODEL}`, 'a');
  });
});

describe('a link narrowed to some accounts', () => {
  const accounts = [
    acct('a', { label: 'zai' }),
    acct('b', { label: 'deepseek', group: 'china' }),
    acct('c', { label: 'kimi', group: 'China' }),
    acct('d', { label: 'main' }),
  ];

  it.each<[string, readonly string[] | null | undefined, string[]]>([
    ['no names: every account of the provider', undefined, ['a', 'b', 'c', 'd', 'a']],
    ['null: every account of the provider', null, ['a', 'b', 'c', 'd', 'a']],
    ['a label: that account only', ['zai'], ['a', 'a', 'a', 'a', 'a']],
    ['a group: its members, whatever case it is written in', ['CHINA'], ['b', 'c', 'b', 'c', 'b']],
    ['a label and a group together', ['main', 'china'], ['b', 'c', 'd', 'b', 'c']],
  ])('%s', (_title, names, expected) => {
    const selector = new AccountSelector();
    expect(Array.from({ length: 5 }, () => idOf(selector.select(accounts, query({ accounts: names }))))).toEqual(expected);
  });

  it('has no account when nothing of its provider carries the name', () => {
    const selector = new AccountSelector();
    expect(selector.select(accounts, query({ accounts: ['nobody'] }))).toEqual({ ok: false, reason: 'no_accounts', retryAt: null, refused: [] });
    expect(selector.select([acct('g', { provider: 'gemini', label: 'zai' })], query({ accounts: ['zai'] }))).toMatchObject({ reason: 'no_accounts' });
  });

  it('counts only its own accounts as available', () => {
    const selector = new AccountSelector();
    const cooling = [acct('a', { label: 'zai', cooldowns: [cool(NOW + 60_000)] }), acct('d', { label: 'main' })];
    expect(selector.available(cooling, { provider: 'anthropic', model: MODEL, accounts: ['zai'], exclude: new Set(), now: NOW })).toBe(0);
    expect(selector.available(cooling, { provider: 'anthropic', model: MODEL, exclude: new Set(), now: NOW })).toBe(1);
    expect(selector.select(cooling, query({ accounts: ['zai'] }))).toEqual({
      ok: false,
      reason: 'all_cooling',
      retryAt: NOW + 60_000,
      cooldownReason: 'rate_limit',
    });
  });
});
