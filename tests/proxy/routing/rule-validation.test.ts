import { describe, expect, it } from 'vitest';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { ruleProblems, type RuleProblem } from '../../../src-proxy/routing/rule-validation.js';

const accounts = [
  { provider: 'anthropic' as const, label: 'zai', group: null },
  { provider: 'anthropic' as const, label: 'deepseek', group: 'china' },
  { provider: 'gemini' as const, label: 'studio', group: 'google' },
];

describe('ruleProblems', () => {
  it.each<[string, ModelRule[], RuleProblem[]]>([
    ['no rules', [], []],
    ['a rule for every account of a provider', [{ match: '*', provider: 'anthropic' }], []],
    ['a label and a group that exist, in any case', [{ match: 'glm-*', provider: 'anthropic', accounts: ['ZAI', 'China'] }], []],
    [
      'a name no account of the provider carries',
      [{ match: 'glm-*', provider: 'anthropic', accounts: ['zai', 'kimi'] }],
      [{ path: 'model_rules.0.accounts', message: 'no anthropic account or group is named "kimi"' }],
    ],
    [
      "another provider's account is not this provider's",
      [{ match: 'x', provider: 'gemini', accounts: ['zai'] }],
      [{ path: 'model_rules.0.accounts', message: 'no gemini account or group is named "zai"' }],
    ],
    [
      'an unknown name in a fallback link',
      [
        {
          match: 'claude-*',
          provider: 'antigravity',
          fallback: [
            { provider: 'gemini', accounts: ['google'] },
            { provider: 'anthropic', accounts: ['nobody'] },
          ],
        },
      ],
      [{ path: 'model_rules.0.fallback.1.accounts', message: 'no anthropic account or group is named "nobody"' }],
    ],
    [
      'a fallback that repeats the rule’s own target (the requested model both times)',
      [{ match: 'claude-*', provider: 'anthropic', fallback: [{ provider: 'anthropic' }] }],
      [{ path: 'model_rules.0.fallback.0', message: "this link is the same as the rule's own target (same provider, model and accounts)" }],
    ],
    [
      'two fallbacks alike',
      [
        {
          match: 'c',
          provider: 'antigravity',
          fallback: [
            { provider: 'gemini', model: 'g' },
            { provider: 'gemini', model: 'G' },
          ],
        },
      ],
      [{ path: 'model_rules.0.fallback.1', message: 'this link is the same as fallback 0 (same provider, model and accounts)' }],
    ],
    [
      'the same provider with another model, or other accounts, is another link',
      [
        {
          match: 'c',
          provider: 'anthropic',
          accounts: ['zai'],
          fallback: [
            { provider: 'anthropic', accounts: ['china'] },
            { provider: 'anthropic', model: 'glm-4.6' },
          ],
        },
      ],
      [],
    ],
  ])('%s', (_title, rules, expected) => {
    expect(ruleProblems(rules, accounts)).toEqual(expected);
  });
});
