import { z } from 'zod';
import { FailureKindSchema } from './providers.js';

export const AUTH_SCHEMES = ['x-api-key', 'bearer'] as const;
export const AuthSchemeSchema = z.enum(AUTH_SCHEMES);
export type AuthScheme = z.infer<typeof AuthSchemeSchema>;

/** Options of an Anthropic-compatible API-key account (Anthropic, z.ai, Kimi, DeepSeek, MiniMax ...). */
export const AnthropicOptionsSchema = z.object({
  /** Base URL without `/v1`, e.g. `https://api.anthropic.com` or `https://api.z.ai/api/anthropic`. */
  base_url: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
    .transform((u) => u.replace(/\/+$/, '').replace(/\/v1$/, '')),
  /** How the key is sent upstream. */
  auth_scheme: AuthSchemeSchema.default('x-api-key'),
  /** Some compatible upstreams reject `cache_control`; strip it for them. */
  strip_cache_control: z.boolean().default(false),
  /** Forward count_tokens to the upstream; when false the gateway estimates locally. */
  count_tokens: z.boolean().default(true),
});
export type AnthropicOptions = z.infer<typeof AnthropicOptionsSchema>;

/** Google's public Gemini API origin; the provider adds the version path. */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** Options of a Gemini API-key account. */
export const GeminiOptionsSchema = z.object({
  /** Origin of the Gemini API without the version path (tests and proxies point it elsewhere). */
  base_url: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
    .transform((u) => u.replace(/\/+$/, '').replace(/\/v1(beta)?$/, ''))
    .default(GEMINI_DEFAULT_BASE_URL),
  /** Ask the upstream's countTokens for count_tokens; when false the gateway estimates locally. */
  count_tokens: z.boolean().default(true),
});
export type GeminiOptions = z.infer<typeof GeminiOptionsSchema>;

/** Options of a Google account served over Code Assist `v1internal`. */
export const AntigravityOptionsSchema = z.object({
  /** A Code Assist project to use instead of the one discovered for the account. */
  project_id: z.string().trim().min(1).optional(),
});
export type AntigravityOptions = z.infer<typeof AntigravityOptionsSchema>;

/**
 * Every account kind in one place: the options it keeps and the shape of its secret. A kind added here
 * and to the account union below is known to the runtime, the CLI and the console alike.
 */
export const ACCOUNT_KINDS = {
  anthropic: { options: AnthropicOptionsSchema, secret: 'api_key' },
  gemini: { options: GeminiOptionsSchema, secret: 'api_key' },
  /** A Google account: its secret is an OAuth refresh token, obtained by signing in. */
  antigravity: { options: AntigravityOptionsSchema, secret: 'refresh_token' },
} as const;
export type AccountKind = keyof typeof ACCOUNT_KINDS;
export const ACCOUNT_KIND_NAMES = Object.keys(ACCOUNT_KINDS) as AccountKind[];

export function isAccountKind(kind: string): kind is AccountKind {
  return Object.hasOwn(ACCOUNT_KINDS, kind);
}

/** `ok` accounts serve traffic; `invalid` (401) waits for a new key; `forbidden` (403) cools down. */
export const ACCOUNT_HEALTH = ['ok', 'invalid', 'forbidden'] as const;
export const AccountHealthSchema = z.enum(ACCOUNT_HEALTH);
export type AccountHealth = z.infer<typeof AccountHealthSchema>;

/** A cooldown for one upstream model on one account, or for the whole account (`model: "*"`). */
export const CooldownSchema = z.object({
  model: z.string(),
  until: z.number(),
  reason: FailureKindSchema,
});
export type Cooldown = z.infer<typeof CooldownSchema>;
export const ALL_MODELS = '*';

export const AccountStatsSchema = z.object({
  requests: z.number().int().nonnegative().default(0),
  failures: z.number().int().nonnegative().default(0),
  input_tokens: z.number().int().nonnegative().default(0),
  output_tokens: z.number().int().nonnegative().default(0),
  last_used_at: z.number().nullable().default(null),
});
export type AccountStats = z.infer<typeof AccountStatsSchema>;

/** Remaining quota for one upstream model, as the upstream reports it. */
export const ModelQuotaSchema = z.object({
  model: z.string(),
  /** 0..1 of the quota left. */
  remaining: z.number().min(0).max(1),
  /** When the quota resets (epoch ms), when known. */
  resets_at: z.number().nullable(),
});
export type ModelQuota = z.infer<typeof ModelQuotaSchema>;

/** What a provider learned about an account while using it (recorded through AccountStatePort). */
export const LearnedStateSchema = z.object({
  /** An upstream project the account works in (Code Assist accounts get one on first use). */
  project_id: z.string().nullable().default(null),
  /** Why the upstream will not serve this account, in the upstream's words; null while it serves. */
  disabled_reason: z.string().nullable().default(null),
  quota: z.array(ModelQuotaSchema).default([]),
  /** When any of the above was last learned (epoch ms). */
  updated_at: z.number().nullable().default(null),
});
export type LearnedState = z.infer<typeof LearnedStateSchema>;

/** A name several accounts share, so a mapping rule can send a model to all of them (and no others). */
export const AccountGroupSchema = z.string().trim().min(1).max(100);

const accountCommon = {
  id: z.string().min(1),
  label: z.string().trim().min(1).max(200),
  group: AccountGroupSchema.nullable().default(null),
  enabled: z.boolean().default(true),
  health: AccountHealthSchema.default('ok'),
  /** The upstream's own words for the last health change (never contains the secret). */
  health_message: z.string().nullable().default(null),
  health_at: z.number().nullable().default(null),
  cooldowns: z.array(CooldownSchema).default([]),
  /** Connection failures in a row (refused, reset, DNS); each one cools the account longer. */
  network_failures: z.number().int().nonnegative().default(0),
  learned: LearnedStateSchema.default({ project_id: null, disabled_reason: null, quota: [], updated_at: null }),
  stats: AccountStatsSchema.default({ requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, last_used_at: null }),
  created_at: z.number(),
};

export const AnthropicAccountSchema = z.object({
  ...accountCommon,
  provider: z.literal('anthropic'),
  options: AnthropicOptionsSchema,
});

export const GeminiAccountSchema = z.object({
  ...accountCommon,
  provider: z.literal('gemini'),
  options: GeminiOptionsSchema,
});

export const AntigravityAccountSchema = z.object({
  ...accountCommon,
  provider: z.literal('antigravity'),
  options: AntigravityOptionsSchema,
});

/** An account as stored and shown. Secrets are kept apart, in a SecretStore. */
export const AccountSchema = z.discriminatedUnion('provider', [AnthropicAccountSchema, GeminiAccountSchema, AntigravityAccountSchema]);
export type Account = z.infer<typeof AccountSchema>;
export type AccountOf<K extends Account['provider']> = Extract<Account, { provider: K }>;

const newAccountCommon = {
  label: z.string().trim().min(1).max(200),
  group: AccountGroupSchema.optional(),
  enabled: z.boolean().optional(),
};
const apiKey = { api_key: z.string().trim().min(1) };

export const NewAccountSchema = z.discriminatedUnion('provider', [
  z.object({ ...newAccountCommon, ...apiKey, provider: z.literal('anthropic'), options: AnthropicOptionsSchema }),
  z.object({
    ...newAccountCommon,
    ...apiKey,
    provider: z.literal('gemini'),
    options: GeminiOptionsSchema.default({ base_url: GEMINI_DEFAULT_BASE_URL, count_tokens: true }),
  }),
  z.object({
    ...newAccountCommon,
    /** A Google OAuth refresh token (from a sign-in, or imported). */
    refresh_token: z.string().trim().min(1),
    provider: z.literal('antigravity'),
    options: AntigravityOptionsSchema.default({}),
  }),
]);

/** The secret a new account brings, whatever its kind calls it. */
export function newAccountSecret(input: z.infer<typeof NewAccountSchema>): string {
  return input.provider === 'antigravity' ? input.refresh_token : input.api_key;
}
export type NewAccount = z.input<typeof NewAccountSchema>;

export const AccountPatchSchema = z.object({
  label: z.string().trim().min(1).max(200).optional(),
  /** null takes the account out of its group. */
  group: AccountGroupSchema.nullable().optional(),
  enabled: z.boolean().optional(),
  /** Replaces the stored secret (API key or refresh token) and clears an `invalid` health mark. */
  api_key: z.string().trim().min(1).optional(),
  /** Options of the account's own kind; checked against that kind's schema when applied. */
  options: z.record(z.string(), z.unknown()).optional(),
  /** Forget cooldowns and health marks, e.g. after the user fixed the account upstream. */
  reset_health: z.boolean().optional(),
});
export type AccountPatch = z.input<typeof AccountPatchSchema>;

/** Where `exportAccounts` writes, on the machine running the gateway. Secrets only when asked for. */
export const AccountsExportRequestSchema = z
  .object({
    path: z.string().trim().min(1),
    include_secrets: z.boolean(),
  })
  .strict();
export type AccountsExportRequest = z.infer<typeof AccountsExportRequestSchema>;
export interface AccountsExportResult {
  path: string;
  count: number;
}

export const AccountsImportRequestSchema = z.object({ path: z.string().trim().min(1) }).strict();
export type AccountsImportRequest = z.infer<typeof AccountsImportRequestSchema>;
export interface AccountsImportResult {
  added: number;
  /** Entries already present (same kind and label) or without a secret to serve with. */
  skipped: number;
}
