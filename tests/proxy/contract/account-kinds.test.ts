// The account kinds are declared once, in contract/account-kinds.ts: the account schemas, the provider
// kinds, the CLI flags and the Google sign-in all follow from that one table.

import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_KIND_NAMES,
  ACCOUNT_KINDS,
  AccountSchema,
  accountKindSpec,
  GeminiOptionsSchema,
  GOOGLE_ACCOUNT_KIND,
  NewAccountSchema,
  newAccountSecret,
  PROVIDER_KINDS,
  ProviderKindSchema,
  type AccountKindSpec,
  type AccountOf,
  type NewAccount,
} from '../../../src-proxy/contract/index.js';

describe('the account kinds', () => {
  it('are the provider kinds a rule can name, in the same order', () => {
    expect(PROVIDER_KINDS).toEqual(ACCOUNT_KIND_NAMES);
    expect(ACCOUNT_KIND_NAMES).toEqual(['anthropic', 'gemini', 'antigravity']);
    for (const kind of ACCOUNT_KIND_NAMES) expect(ProviderKindSchema.parse(kind)).toBe(kind);
    expect(ProviderKindSchema.safeParse('openai').success).toBe(false);
  });

  it.each(ACCOUNT_KIND_NAMES)('%s: a new account brings its secret under the name its entry gives it, and only that one', (kind) => {
    const field = ACCOUNT_KINDS[kind].secret;
    const other = field === 'api_key' ? 'refresh_token' : 'api_key';
    const options = kind === 'anthropic' ? { base_url: 'https://api.example.com' } : {};
    const parsed = NewAccountSchema.parse({ provider: kind, label: 'x', [field]: ' s3cret ', options });
    expect(newAccountSecret(parsed)).toBe('s3cret');
    expect(NewAccountSchema.safeParse({ provider: kind, label: 'x', [other]: 's3cret', options }).success).toBe(false);
  });

  it.each(ACCOUNT_KIND_NAMES)("%s: an account keeps its kind's options, defaults filled in", (kind) => {
    const options = kind === 'anthropic' ? { base_url: 'https://api.example.com/v1/' } : {};
    const account = AccountSchema.parse({ id: 'a1', label: 'x', provider: kind, options, created_at: 1 });
    expect(account.options).toEqual(ACCOUNT_KINDS[kind].options.parse(options));
  });

  it('leaves out options a kind can do without, and names the one it cannot', () => {
    expect(NewAccountSchema.parse({ provider: 'gemini', label: 'x', api_key: 'k' }).options).toEqual({
      base_url: 'https://generativelanguage.googleapis.com',
      count_tokens: true,
    });
    const missing = NewAccountSchema.safeParse({ provider: 'anthropic', label: 'x', api_key: 'k' });
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['options.base_url']);
  });

  it.each(ACCOUNT_KIND_NAMES)("%s: every command-line flag sets one of the kind's own options", (kind) => {
    const names = Object.keys(ACCOUNT_KINDS[kind].options.shape);
    for (const flag of Object.values(accountKindSpec(kind).flags)) expect(names).toContain(flag.option);
  });

  it('signs in Google accounts as the one kind whose entry says so', () => {
    expect(GOOGLE_ACCOUNT_KIND).toBe('antigravity');
    expect(ACCOUNT_KIND_NAMES.filter((k) => accountKindSpec(k).signIn === 'google')).toEqual([GOOGLE_ACCOUNT_KIND]);
  });

  it('types each kind apart (checked by the compiler)', () => {
    const gemini: AccountKindSpec<typeof GeminiOptionsSchema> = {
      options: GeminiOptionsSchema,
      secret: 'api_key',
      // @ts-expect-error a flag sets an option of its own kind only
      flags: { 'auth-scheme': { option: 'auth_scheme', value: 'SCHEME' } },
    };
    // @ts-expect-error a Google account's secret is a refresh token, not an API key
    const wrongSecret: NewAccount = { provider: 'antigravity', label: 'x', api_key: 'k' };
    const google = AccountSchema.parse({ id: 'g', label: 'g@example.com', provider: 'antigravity', options: {}, created_at: 1 }) as AccountOf<'antigravity'>;
    // @ts-expect-error options belong to their kind: a Google account has no base URL
    const crossed: string = google.options.base_url;
    expect([gemini, wrongSecret, crossed]).toHaveLength(3);
  });
});
