import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AnthropicOptionsSchema, NewAccountSchema, SettingsPatchSchema, validationIssues } from '../../../src-proxy/contract/index.js';

function codes(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return validationIssues(r.error.issues, input);
}

describe("a schema's refusal as typed codes", () => {
  it.each([
    ['an empty label', { provider: 'anthropic', label: ' ', api_key: 'k', options: { base_url: 'https://a.example' } }, { path: ['label'], code: 'empty' }],
    ['a missing key', { provider: 'anthropic', label: 'a', options: { base_url: 'https://a.example' } }, { path: ['api_key'], code: 'required' }],
    [
      'a base URL that is no URL',
      { provider: 'anthropic', label: 'a', api_key: 'k', options: { base_url: 'api.z.ai' } },
      { path: ['options', 'base_url'], code: 'not_url' },
    ],
    [
      'a base URL of another scheme',
      { provider: 'anthropic', label: 'a', api_key: 'k', options: { base_url: 'ftp://a.example' } },
      { path: ['options', 'base_url'], code: 'not_http_url' },
    ],
    ['a label too long', { provider: 'gemini', label: 'x'.repeat(201), api_key: 'k' }, { path: ['label'], code: 'too_long', limit: 200 }],
    [
      'an unknown kind',
      { provider: 'openai', label: 'a', api_key: 'k' },
      { path: ['provider'], code: 'not_one_of', choices: ['anthropic', 'gemini', 'antigravity'] },
    ],
  ])('%s', (_name, input, issue) => {
    expect(codes(NewAccountSchema, input)).toContainEqual(issue);
  });

  it.each([
    ['a port too high', { port: 70000 }, { path: ['port'], code: 'too_big', limit: 65535 }],
    ['a port with a fraction', { port: 80.5 }, { path: ['port'], code: 'not_integer' }],
    ['a port as text', { port: '80' }, { path: ['port'], code: 'not_number' }],
    ['an auth mode it does not have', { auth_mode: 'sometimes' }, { path: ['auth_mode'], code: 'not_one_of', choices: ['off', 'strict', 'all-except-health'] }],
    [
      'a rule naming an account twice',
      { model_rules: [{ match: 'a', provider: 'anthropic', accounts: ['x', 'X'] }] },
      { path: ['model_rules', 0, 'accounts'], code: 'duplicate_name' },
    ],
    [
      'a rule with a misspelt key',
      { model_rules: [{ match: 'a', provider: 'anthropic', fallbak: [] }] },
      { path: ['model_rules', 0, 'fallbak'], code: 'unknown_field', field: 'fallbak' },
    ],
  ])('%s', (_name, input, issue) => {
    expect(codes(SettingsPatchSchema, input)).toContainEqual(issue);
  });

  it('tells a wrong type from a missing value only when it sees the input', () => {
    expect(codes(AnthropicOptionsSchema, { base_url: 5 })).toContainEqual({ path: ['base_url'], code: 'not_text' });
    expect(codes(AnthropicOptionsSchema, {})).toContainEqual({ path: ['base_url'], code: 'required' });
  });
});
