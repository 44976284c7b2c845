// No sentence of the schema library reaches the screen: every code has the console's own sentence, and
// refusals of every form's schema, and of the core over a transport, are told in those sentences.

import { describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS, AccountPatchSchema, ControlError, NewAccountSchema, SettingsSchema, VALIDATION_CODES, validationIssues } from '../contract.js';
import { issuesByField } from '../../../src-renderer/forms/schema-issues.js';
import { describeError } from '../../../src-renderer/wording/errors.js';
import { describeIssue, describeIssues } from '../../../src-renderer/wording/validation.js';

/** The schema library's phrasing, which must never be shown. */
const RAW =
  /Too (small|big)|Invalid (input|URL|option|discriminator|string)|expected (string|number|int|boolean|array|one of|object)|received|Unrecognized key|>=|<=/i;
/** The contract's own notes for programmers, which are turned into codes as well. */
const NOTES = /must be an http\(s\) URL|each model may have one price only|name at least one account/;

describe('validation in the console’s words', () => {
  it.each(VALIDATION_CODES.map((c) => [c]))('%s has a sentence of its own', (code) => {
    const text = describeIssue({ path: ['x'], code, limit: 3, choices: ['a', 'b'], field: 'x' });
    expect(text).toMatch(/^[A-Z"].+\.$/);
    {
      expect(text).not.toMatch(RAW);
      expect(text).not.toMatch(NOTES);
    }
  });

  const badAccounts: unknown[] = [
    {},
    { provider: 'anthropic' },
    { provider: 'anthropic', label: '', api_key: '', options: { base_url: '' } },
    { provider: 'anthropic', label: 'x'.repeat(300), api_key: 3, options: { base_url: 'not a url', auth_scheme: 'basic', strip_cache_control: 'yes' } },
    { provider: 'anthropic', label: 'a', api_key: 'k', options: { base_url: 'ftp://x.example' } },
    { provider: 'gemini', label: ' ', api_key: ' ', options: { base_url: 'x' } },
    { provider: 'antigravity', label: 'a', refresh_token: '', options: { project_id: '' } },
    { provider: 'openai', label: 'a' },
  ];
  const badSettings: unknown[] = [
    { port: 0 },
    { port: 70000, console_port: -1 },
    { port: 'eighty', auth_mode: 'sometimes', host: '' },
    { model_rules: [{ match: '', provider: 'x' }] },
    { model_rules: [{ match: 'a', provider: 'anthropic', accounts: [] }] },
    { model_rules: [{ match: 'a', provider: 'anthropic', accounts: ['x', 'X'], fallbak: [] }] },
    { google: { auth_url: 'nope' }, antigravity: { base_urls: ['ftp://x'] } },
    {
      model_prices: [
        { model: 'a', input: -1, output: 1, cache_write: 1, cache_read: 1 },
        { model: 'A', input: 1, output: 1, cache_write: 1, cache_read: 1 },
      ],
    },
    { max_body_bytes: 1.5, log_history_limit: -5 },
  ];

  it.each(badAccounts.map((a) => [JSON.stringify(a).slice(0, 80), a]))('the Add account form tells %s in its own words', (_n, input) => {
    const r = NewAccountSchema.safeParse(input);
    expect(r.success).toBe(false);
    const shown = Object.values(issuesByField(r.error!.issues, input));
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) {
      expect(text).not.toMatch(RAW);
      expect(text).not.toMatch(NOTES);
    }
  });

  it.each(badSettings.map((s) => [JSON.stringify(s).slice(0, 80), s]))('the Settings forms tell %s in their own words', (_n, patch) => {
    const candidate = { ...SettingsSchema.parse({}), ...(patch as object) };
    const r = SettingsSchema.safeParse(candidate);
    expect(r.success).toBe(false);
    for (const text of Object.values(issuesByField(r.error!.issues, candidate))) {
      expect(text).not.toMatch(RAW);
      expect(text).not.toMatch(NOTES);
    }
  });

  it('the Edit form and the core’s refusals over a transport are told the same way, never in the message the core logs', () => {
    const patch = AccountPatchSchema.safeParse({ label: '', group: '' });
    for (const text of Object.values(issuesByField(patch.error!.issues, { label: '', group: '' }))) {
      expect(text).not.toMatch(RAW);
      expect(text).not.toMatch(NOTES);
    }
    const options = ACCOUNT_KINDS.anthropic.options.safeParse({ base_url: 'api.z.ai' });
    const issues = validationIssues(options.error!.issues, { base_url: 'api.z.ai' });
    const err = new ControlError('invalid_argument', 'base_url: Invalid URL', issues);
    const text = describeError(err);
    expect(text).toBe('Switchyard did not accept this value. Base URL: Enter a full address, such as https://api.example.com.');
    expect(describeIssues([{ path: ['model_rules', 0, 'fallbak'], code: 'unknown_field', field: 'fallbak' }])).toBe(
      'Model rules: "fallbak" is not something Switchyard knows here.',
    );
  });
});
