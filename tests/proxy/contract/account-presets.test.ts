import { describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS, ACCOUNT_PRESETS, presetOf } from '../../../src-proxy/contract/index.js';

describe('the providers the Add account form starts from', () => {
  it.each(ACCOUNT_PRESETS.map((p) => [p.id, p] as const))('%s: its options are valid for its kind, as they are', (_id, preset) => {
    const parsed = ACCOUNT_KINDS[preset.kind].options.parse(preset.options);
    expect(parsed).toMatchObject(preset.options);
    expect(preset.options.base_url).not.toMatch(/\/v1\/?$/);
  });

  it('names the preset an account was added from, whatever the case or trailing slash of its URL', () => {
    expect(presetOf('anthropic', { base_url: 'https://API.z.ai/api/anthropic/' })).toBe('zai');
    expect(presetOf('gemini', { base_url: 'https://generativelanguage.googleapis.com' })).toBe('gemini');
    expect(presetOf('anthropic', { base_url: 'https://gateway.example.com' })).toBeNull();
    expect(presetOf('gemini', { base_url: 'https://api.anthropic.com' })).toBeNull();
  });
});
