import { describe, expect, it } from 'vitest';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { DEFAULT_RULES, resolveRoute, type Route } from '../../../src-proxy/routing/model-mapping.js';

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
      { provider: 'antigravity', model: 'claude-sonnet-4-6', rule: 'claude-3-5-haiku-20241022' },
    ],
    [
      'wildcards are tried in the order the user wrote them (not by specificity)',
      'claude-haiku-4-5',
      { provider: 'anthropic', model: 'claude-sonnet-4-6', rule: 'claude-*' },
    ],
    ['a wildcard on both sides matches inside the id', 'my-haiku-model', { provider: 'gemini', model: 'gemini-2.5-flash', rule: '*haiku*' }],
    [
      'exact matching ignores case, and the first exact rule for an id wins',
      'claude-opus-4-6',
      { provider: 'antigravity', model: 'claude-opus-4-6-thinking', rule: 'CLAUDE-OPUS-4-6' },
    ],
    ['wildcard matching ignores case', 'Claude-Sonnet-4-5', { provider: 'anthropic', model: 'claude-sonnet-4-6', rule: 'claude-*' }],
    ['a rule without `model` keeps the inbound model as sent', 'Gemini-2.5-Flash', { provider: 'gemini', model: 'Gemini-2.5-Flash', rule: 'gemini-2.5-flash' }],
    ['no user rule matches: the defaults apply', 'gpt-4o', { provider: 'anthropic', model: 'gpt-4o', rule: '*' }],
    [
      "Claude Code's [1m] context marker is dropped before matching",
      'claude-opus-4-6[1m]',
      { provider: 'antigravity', model: 'claude-opus-4-6-thinking', rule: 'CLAUDE-OPUS-4-6' },
    ],
    [
      '...and never reaches the upstream as part of the model',
      'claude-sonnet-4-5[1M]',
      { provider: 'anthropic', model: 'claude-sonnet-4-6', rule: 'claude-*' },
    ],
    ['...even where the model goes on unchanged', 'gpt-5[1m]', { provider: 'anthropic', model: 'gpt-5', rule: '*' }],
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
    [
      'DEFAULT_RULES send everything to Anthropic unchanged',
      [],
      undefined,
      'claude-sonnet-4-6',
      { provider: 'anthropic', model: 'claude-sonnet-4-6', rule: '*' },
    ],
    [
      'defaults are one ordered list: an earlier wildcard default beats a later exact one',
      [],
      [
        { match: 'claude-*', provider: 'gemini' },
        { match: 'claude-haiku-4-5', provider: 'antigravity' },
      ],
      'claude-haiku-4-5',
      { provider: 'gemini', model: 'claude-haiku-4-5', rule: 'claude-*' },
    ],
    ['defaults apply in their own order', [], defaults, 'claude-haiku-4-5', { provider: 'antigravity', model: 'claude-sonnet-4-6', rule: 'claude-haiku-4-5' }],
    [
      'a user wildcard beats an exact default',
      [{ match: '*haiku*', provider: 'anthropic' }],
      defaults,
      'claude-haiku-4-5',
      { provider: 'anthropic', model: 'claude-haiku-4-5', rule: '*haiku*' },
    ],
    [
      'nothing matches and there are no defaults: Anthropic, model unchanged',
      [{ match: 'gpt-*', provider: 'gemini' }],
      [],
      'claude-opus-4-6',
      { provider: 'anthropic', model: 'claude-opus-4-6', rule: 'default' },
    ],
    ['nothing matches in the user rules nor the defaults', [], defaults, 'gpt-4o', { provider: 'anthropic', model: 'gpt-4o', rule: 'default' }],
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
