import { z } from 'zod';
import { ACCOUNT_KIND_NAMES, ACCOUNT_KINDS, type AccountKind, type AccountKinds } from './account-kinds.js';
import { FailureKindSchema } from './providers.js';

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

/** The request and token windows an Anthropic-compatible upstream reports (`anthropic-ratelimit-*`). */
export const RATE_LIMIT_WINDOWS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;
export const RateLimitWindowSchema = z.enum(RATE_LIMIT_WINDOWS);
export type RateLimitWindow = z.infer<typeof RateLimitWindowSchema>;

/** One window as the upstream last reported it: how much of it is left, and when it fills again. */
export const RateLimitSchema = z.object({
  window: RateLimitWindowSchema,
  limit: z.number().nonnegative().nullable(),
  remaining: z.number().nonnegative().nullable(),
  /** When the window is full again (epoch ms), when known. */
  resets_at: z.number().nullable(),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

/** What a provider learned about an account while using it (recorded through AccountStatePort). */
export const LearnedStateSchema = z.object({
  /** An upstream project the account works in (Code Assist accounts get one on first use). */
  project_id: z.string().nullable().default(null),
  /** Why the upstream will not serve this account, in the upstream's words; null while it serves. */
  disabled_reason: z.string().nullable().default(null),
  quota: z.array(ModelQuotaSchema).default([]),
  /** The latest rate-limit windows the upstream reported with an answer (API-key accounts). */
  rate_limits: z.array(RateLimitSchema).default([]),
  /** When any of the above was last learned (epoch ms). */
  updated_at: z.number().nullable().default(null),
});
export type LearnedState = z.infer<typeof LearnedStateSchema>;

/** How a Test reached the upstream: its token counter where it has one, else a message of one token. */
export const ACCOUNT_TEST_METHODS = ['count_tokens', 'message'] as const;

/** The outcome of the last Test of an account: one cheap real request through it, at the user's asking. */
export const AccountTestSchema = z.object({
  at: z.number(),
  method: z.enum(ACCOUNT_TEST_METHODS),
  /** The upstream model the request named. */
  model: z.string(),
  /** Why it failed, as a code the shells put into words; null when the upstream answered as it should. */
  failure: FailureKindSchema.nullable(),
  /** The upstream's HTTP status, when there was an answer. */
  status: z.number().int().nullable(),
  /** The upstream's own words for a failure (never the secret); null on success. */
  message: z.string().nullable(),
  latency_ms: z.number().nonnegative(),
});
export type AccountTest = z.infer<typeof AccountTestSchema>;

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
  learned: LearnedStateSchema.default({ project_id: null, disabled_reason: null, quota: [], rate_limits: [], updated_at: null }),
  stats: AccountStatsSchema.default({ requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, last_used_at: null }),
  /** The last Test the user asked for; null until one was made. */
  last_test: AccountTestSchema.nullable().default(null),
  created_at: z.number(),
};

/** The schema of one kind's accounts: the common fields, the kind, and the kind's own options. */
type AccountSchemaOf<K extends AccountKind> = z.ZodObject<typeof accountCommon & { provider: z.ZodLiteral<K>; options: AccountKinds[K]['options'] }>;

const newAccountCommon = {
  label: z.string().trim().min(1).max(200),
  group: AccountGroupSchema.optional(),
  enabled: z.boolean().optional(),
};
/** A new account of one kind: a label, its secret under the kind's name for it, and options (defaults when left out). */
type NewAccountSchemaOf<K extends AccountKind> = z.ZodObject<
  typeof newAccountCommon & { [S in AccountKinds[K]['secret']]: z.ZodString } & {
    provider: z.ZodLiteral<K>;
    options: z.ZodPrefault<AccountKinds[K]['options']>;
  }
>;

/** The schemas of every kind, for a union discriminated by `provider`. */
function everyKind<S extends { [K in AccountKind]: z.ZodObject }>(build: (kind: AccountKind) => z.ZodObject): readonly [S[AccountKind], ...S[AccountKind][]] {
  return ACCOUNT_KIND_NAMES.map(build) as unknown as readonly [S[AccountKind], ...S[AccountKind][]];
}

/** An account as stored and shown. Secrets are kept apart, in a SecretStore. */
export const AccountSchema = z.discriminatedUnion(
  'provider',
  everyKind<{ [K in AccountKind]: AccountSchemaOf<K> }>((kind) =>
    z.object({ ...accountCommon, provider: z.literal(kind), options: ACCOUNT_KINDS[kind].options }),
  ),
);
export type Account = z.infer<typeof AccountSchema>;
export type AccountOf<K extends Account['provider']> = Extract<Account, { provider: K }>;

/** A new account, as the console, the CLI and an import file bring it. */
export const NewAccountSchema = z.discriminatedUnion(
  'provider',
  everyKind<{ [K in AccountKind]: NewAccountSchemaOf<K> }>((kind) =>
    z.object({
      ...newAccountCommon,
      [ACCOUNT_KINDS[kind].secret]: z.string().trim().min(1),
      provider: z.literal(kind),
      // Options left out are the kind's defaults; a kind with a required option names the one missing.
      options: (ACCOUNT_KINDS[kind].options as z.ZodObject).prefault({}),
    }),
  ),
);
export type NewAccount = z.input<typeof NewAccountSchema>;

/** The secret a new account brings, whatever its kind calls it. */
export function newAccountSecret(input: z.infer<typeof NewAccountSchema>): string {
  return (input as unknown as Record<string, string>)[ACCOUNT_KINDS[input.provider].secret]!;
}

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
    /** Replace a file that exists at `path` (never a symbolic link); without it an existing file is refused. */
    overwrite: z.boolean().optional(),
  })
  .strict();
export type AccountsExportRequest = z.infer<typeof AccountsExportRequestSchema>;
export interface AccountsExportResult {
  path: string;
  count: number;
}

/** An export for the console to offer as a download. Secrets only when asked for. */
export const AccountsDownloadRequestSchema = z.object({ include_secrets: z.boolean() }).strict();
export type AccountsDownloadRequest = z.infer<typeof AccountsDownloadRequestSchema>;
export interface AccountsDownload {
  /** A name to save it under, e.g. switchyard-accounts-2026-12-06.json. */
  file_name: string;
  /** The export file's text, as `accounts export` writes it. */
  content: string;
  count: number;
}

/** The most an uploaded export may hold: inside the control API's 1 MiB body, with room for JSON escapes. */
export const MAX_ACCOUNTS_UPLOAD_CHARS = 768 * 1024;
/** An export file the console read from the user's machine (a file picked or dropped). */
export const AccountsUploadSchema = z.object({ content: z.string().min(1).max(MAX_ACCOUNTS_UPLOAD_CHARS) }).strict();
export type AccountsUpload = z.infer<typeof AccountsUploadSchema>;

export const AccountsImportRequestSchema = z.object({ path: z.string().trim().min(1) }).strict();
export type AccountsImportRequest = z.infer<typeof AccountsImportRequestSchema>;
export interface AccountsImportResult {
  added: number;
  /** Entries already present (same kind and label) or without a secret to serve with. */
  skipped: number;
}
