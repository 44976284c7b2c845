import { describe, expect, it } from 'vitest';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { DEFAULT_RULES, resolveRoute, sameLink, type Route } from '../../../src-proxy/routing/model-mapping.js';

/** A route of one link, as every rule without fallbacks gives. */
function route(provider: Route['provider'], model: string, rule: string): Route {
  return { provider, model, rule, links: [{ provider, model, accounts: null }] };
}

const rules: readonly ModelRule[] = [
  { match: 'claude-*', provider: 'anthropic', model: 'claude-sonnet-4-6' },
  { match: '*haiku*', provider: 'gemini', model: 'gemini-2.5-flash' },
  { match: 'claude-3-5-haiku-20241022', provider: 'antigravity', model: 'claude-sonnet-4-6' },
  { match: 'claude-*-haiku-*', provider: 'antigravity' },
  { match: 'gemini-2.5-flash', provider: 'gemini' },
  { match: 'CLAUDE-OPUS-4-6', provider: 'antigravity', model: 'claude-opus-4-6-thinking' },
  { match: 'claude-opus-4-6', provider: 'anthropic', model: 'shadowed-by-the-earlier-exact-rule' },
];

describe('resolveRoute with user rules', () => {
  it.each<[string, string, Route]>([
    [
      'an exact rule beats every wildcard, wherever it sits in the list',
      'claude-3-5-haiku-20241022',
      route('antigravity', 'claude-sonnet-4-6', 'claude-3-5-haiku-20241022'),
    ],
    ['wildcards are tried in the order the user wrote them (not by specificity)', 'claude-haiku-4-5', route('anthropic', 'claude-sonnet-4-6', 'claude-*')],
    ['a wildcard on both sides matches inside the id', 'my-haiku-model', route('gemini', 'gemini-2.5-flash', '*haiku*')],
    [
      'exact matching ignores case, and the first exact rule for an id wins',
      'claude-opus-4-6',
      route('antigravity', 'claude-opus-4-6-thinking', 'CLAUDE-OPUS-4-6'),
    ],
    ['wildcard matching ignores case', 'Claude-Sonnet-4-5', route('anthropic', 'claude-sonnet-4-6', 'claude-*')],
    ['a rule without `model` keeps the inbound model as sent', 'Gemini-2.5-Flash', route('gemini', 'Gemini-2.5-Flash', 'gemini-2.5-flash')],
    ['no user rule matches: the defaults apply', 'gpt-4o', route('anthropic', 'gpt-4o', '*')],
    [
      "Claude Code's [1m] context marker is dropped before matching",
      'claude-opus-4-6[1m]',
      route('antigravity', 'claude-opus-4-6-thinking', 'CLAUDE-OPUS-4-6'),
    ],
    ['...and never reaches the upstream as part of the model', 'claude-sonnet-4-5[1M]', route('anthropic', 'claude-sonnet-4-6', 'claude-*')],
    ['...even where the model goes on unchanged', 'gpt-5[1m]', route('anthropic', 'gpt-5', '*')],
  ])('%s (%s)', (_title, model, expected) => {
    expect(resolveRoute(model, rules)).toEqual(expected);
  });
});

describe('resolveRoute: only `*` is special in a pattern', () => {
  it.each<[string, string, boolean]>([
    ['gemini-2.5-*', 'gemini-2.5-flash', true],
    ['gemini-2.5-*', 'gemini-2x5-flash', false], // `.` is a literal dot
    ['gemini-2.5-flash', 'gemini-2x5-flash', false],
    ['claude-*-haiku-*', 'claude-3-5-haiku-20241022', true],
    ['claude-*-haiku-*', 'claude-haiku-4-5', false],
    ['a+b*', 'a+bc', true],
    ['a+b*', 'aab', false],
    ['(x)|[y]?{1}^$\\/*', '(x)|[y]?{1}^$\\/z', true],
    ['(x)|[y]?{1}^$\\/*', 'x', false],
    ['*', '', true],
    ['**', 'anything', true],
    ['exact-*', 'prefix-exact-x', false], // anchored at both ends
  ])('%j matches %j: %s', (match, model, matches) => {
    const route = resolveRoute(model, [{ match, provider: 'gemini' }], []);
    expect(route.rule).toBe(matches ? match : 'default');
  });
});

describe('resolveRoute with defaults', () => {
  const defaults: readonly ModelRule[] = [
    { match: 'gemini-*', provider: 'gemini' },
    { match: 'claude-haiku-4-5', provider: 'antigravity', model: 'claude-sonnet-4-6' },
    { match: 'claude-*', provider: 'antigravity' },
  ];

  it.each<[string, readonly ModelRule[], readonly ModelRule[] | undefined, string, Route]>([
    ['DEFAULT_RULES send everything to Anthropic unchanged', [], undefined, 'claude-sonnet-4-6', route('anthropic', 'claude-sonnet-4-6', '*')],
    [
      'defaults are one ordered list: an earlier wildcard default beats a later exact one',
      [],
      [
        { match: 'claude-*', provider: 'gemini' },
        { match: 'claude-haiku-4-5', provider: 'antigravity' },
      ],
      'claude-haiku-4-5',
      route('gemini', 'claude-haiku-4-5', 'claude-*'),
    ],
    ['defaults apply in their own order', [], defaults, 'claude-haiku-4-5', route('antigravity', 'claude-sonnet-4-6', 'claude-haiku-4-5')],
    [
      'a user wildcard beats an exact default',
      [{ match: '*haiku*', provider: 'anthropic' }],
      defaults,
      'claude-haiku-4-5',
      route('anthropic', 'claude-haiku-4-5', '*haiku*'),
    ],
    [
      'nothing matches and there are no defaults: Anthropic, model unchanged',
      [{ match: 'gpt-*', provider: 'gemini' }],
      [],
      'claude-opus-4-6',
      route('anthropic', 'claude-opus-4-6', 'default'),
    ],
    ['nothing matches in the user rules nor the defaults', [], defaults, 'gpt-4o', route('anthropic', 'gpt-4o', 'default')],
  ])('%s', (_title, userRules, defaultRules, model, expected) => {
    expect(resolveRoute(model, userRules, defaultRules)).toEqual(expected);
  });

  it('DEFAULT_RULES is the single catch-all Anthropic rule', () => {
    expect(DEFAULT_RULES).toEqual([{ match: '*', provider: 'anthropic' }]);
  });
});

describe('resolveRoute re-uses a rule list', () => {
  it('gives the same answers on every call with the same list', () => {
    const first = ['claude-haiku-4-5', 'claude-3-5-haiku-20241022', 'my-haiku-model'].map((m) => resolveRoute(m, rules));
    const again = ['claude-haiku-4-5', 'claude-3-5-haiku-20241022', 'my-haiku-model'].map((m) => resolveRoute(m, rules));
    expect(again).toEqual(first);
  });

  it('follows a replaced list at once', () => {
    const before: ModelRule[] = [{ match: 'claude-*', provider: 'gemini' }];
    const after: ModelRule[] = [{ match: 'claude-*', provider: 'antigravity' }];
    expect(resolveRoute('claude-x', before, []).provider).toBe('gemini');
    expect(resolveRoute('claude-x', after, []).provider).toBe('antigravity');
  });
});

describe('resolveRoute: targets and fallback chains', () => {
  it('narrows a target to the accounts or groups it names', () => {
    expect(resolveRoute('glm-4.6', [{ match: 'glm-*', provider: 'anthropic', accounts: ['zai'] }])).toEqual({
      provider: 'anthropic',
      model: 'glm-4.6',
      rule: 'glm-*',
      links: [{ provider: 'anthropic', model: 'glm-4.6', accounts: ['zai'] }],
    });
  });

  it('gives the rule’s own target first, then its fallbacks in order, each keeping the requested model unless it names one', () => {
    const chain: ModelRule[] = [
      {
        match: 'claude-*',
        provider: 'antigravity',
        fallback: [
          { provider: 'gemini', model: 'gemini-3-pro-high' },
          { provider: 'anthropic', accounts: ['work', 'backup'] },
        ],
      },
    ];
    expect(resolveRoute('claude-opus-4-6[1m]', chain).links).toEqual([
      { provider: 'antigravity', model: 'claude-opus-4-6', accounts: null },
      { provider: 'gemini', model: 'gemini-3-pro-high', accounts: null },
      { provider: 'anthropic', model: 'claude-opus-4-6', accounts: ['work', 'backup'] },
    ]);
  });
});

describe('sameLink', () => {
  const link = (provider: Route['provider'], model: string, accounts: string[] | null = null) => ({ provider, model, accounts });
  it.each<[string, ReturnType<typeof link>, ReturnType<typeof link>, boolean]>([
    ['the same provider and model', link('gemini', 'g'), link('gemini', 'g'), true],
    ['model ids differing in case only', link('gemini', 'G'), link('gemini', 'g'), true],
    ['the same accounts in another order and case', link('anthropic', 'm', ['a', 'B']), link('anthropic', 'm', ['b', 'A']), true],
    ['another provider', link('gemini', 'g'), link('antigravity', 'g'), false],
    ['another model', link('gemini', 'g'), link('gemini', 'h'), false],
    ['some accounts against all of them', link('anthropic', 'm', ['a']), link('anthropic', 'm'), false],
  ])('%s: %s', (_title, a, b, same) => {
    expect(sameLink(a, b)).toBe(same);
  });
});
