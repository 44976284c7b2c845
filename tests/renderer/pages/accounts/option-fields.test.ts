import { describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS } from '../../../../src-proxy/contract/index.js';
import { initialOptionValues, optionFields, optionValues } from '../../../../src-renderer/pages/accounts/option-fields.js';

describe('the form fields of each account kind, from its options schema', () => {
  it.each([
    [
      'anthropic',
      [
        { name: 'base_url', kind: 'text', required: true, default: undefined },
        { name: 'auth_scheme', kind: 'choice', choices: ['x-api-key', 'bearer'], default: 'x-api-key' },
        { name: 'strip_cache_control', kind: 'boolean', default: false },
        { name: 'count_tokens', kind: 'boolean', default: true },
      ],
    ],
    [
      'gemini',
      [
        { name: 'base_url', kind: 'text', required: false, default: 'https://generativelanguage.googleapis.com' },
        { name: 'count_tokens', kind: 'boolean', default: true },
      ],
    ],
    ['antigravity', [{ name: 'project_id', kind: 'text', required: false, default: undefined }]],
  ] as const)('%s', (kind, fields) => {
    expect(optionFields(ACCOUNT_KINDS[kind].options)).toEqual(fields);
  });

  it('starts from the defaults and leaves empty optional text out, so the schema default applies', () => {
    const fields = optionFields(ACCOUNT_KINDS.gemini.options);
    expect(initialOptionValues(fields)).toEqual({ base_url: 'https://generativelanguage.googleapis.com', count_tokens: true });
    expect(optionValues(fields, { base_url: '  ', count_tokens: false })).toEqual({ count_tokens: false });
    expect(optionValues(fields, { base_url: ' http://127.0.0.1:9 ', count_tokens: true })).toEqual({ base_url: 'http://127.0.0.1:9', count_tokens: true });
  });
});
