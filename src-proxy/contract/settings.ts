import { z } from 'zod';
import { patchOf } from './patch-schema.js';
import { PriceRowsSchema } from './prices.js';
import { ProviderKindSchema } from './providers.js';

export const AUTH_MODES = ['off', 'strict', 'all-except-health'] as const;
export const AuthModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof AuthModeSchema>;

export const DEFAULT_PORT = 8045;
/** The headless console and its control API listen here, apart from the gateway. */
export const DEFAULT_CONSOLE_PORT = 8046;
export const DEFAULT_HOST = '127.0.0.1';
/** The Anthropic API's own request cap. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Account labels or group names a target is narrowed to (an account matches by its label or its group).
 * Omitted: every account of the target's provider.
 */
const TargetAccountsSchema = z
  .array(z.string().trim().min(1).max(200))
  .min(1, 'name at least one account or group, or leave accounts out')
  .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, {
    message: 'an account or group is named twice',
    params: { code: 'duplicate_name' },
  })
  .optional();

const targetFields = {
  provider: ProviderKindSchema,
  /** The upstream model to send; omitted: the requested model unchanged. */
  model: z.string().trim().min(1).optional(),
  accounts: TargetAccountsSchema,
};

/** Where a request may go: a provider kind, an upstream model, optionally only some of its accounts. */
export const ModelTargetSchema = z.strictObject(targetFields);
export type ModelTarget = z.infer<typeof ModelTargetSchema>;

/**
 * One model mapping rule. `match` is an exact model id or a pattern with `*` wildcards; the rule's own
 * target comes first, then its `fallback` targets in order, each entered when the one before has no
 * account left that can serve the request. Unknown keys are refused, not dropped: a misspelt
 * `fallback` would otherwise leave a chain silently without its links.
 */
export const ModelRuleSchema = z.strictObject({
  match: z.string().trim().min(1),
  ...targetFields,
  fallback: z.array(ModelTargetSchema).max(16).optional(),
});
export type ModelRule = z.infer<typeof ModelRuleSchema>;

export const DEFAULT_HEADERS_TIMEOUT_MS = 120_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
export const DEFAULT_REQUEST_DEADLINE_MS = 600_000;

export const SETTINGS_VERSION = 2;

/** Google's own OAuth endpoints; settings so tests and users behind a corporate proxy can point them elsewhere. */
export const GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_USERINFO_URL = 'https://www.googleapis.com/oauth2/v2/userinfo';
/** Code Assist `v1internal` hosts, tried in this order on 404, 5xx and network errors. */
export const ANTIGRAVITY_BASE_URLS = [
  'https://daily-cloudcode-pa.sandbox.googleapis.com',
  'https://daily-cloudcode-pa.googleapis.com',
  'https://cloudcode-pa.googleapis.com',
] as const;

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL', params: { code: 'not_http_url' } })
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * How Google accounts sign in. The OAuth client is the user's to give (headless: also from the
 * environment); nothing of it is a constant in the code.
 */
export const GoogleSettingsSchema = z.object({
  client_id: z.string().trim().default(''),
  client_secret: z.string().trim().default(''),
  auth_url: httpUrl.default(GOOGLE_AUTH_URL),
  token_url: httpUrl.default(GOOGLE_TOKEN_URL),
  userinfo_url: httpUrl.default(GOOGLE_USERINFO_URL),
});
export type GoogleSettings = z.infer<typeof GoogleSettingsSchema>;

/**
 * The OAuth client secret as the core hands it out (getSettings, the settings event): at most its first
 * four characters, enough to tell which one is set, then a fixed mask; '' when none is set. Sent back
 * unchanged in a settings change, it keeps the secret that is set.
 */
export function maskedClientSecret(secret: string): string {
  if (secret === '') return '';
  return `${secret.length >= 16 ? secret.slice(0, 4) : ''}********`;
}

export const AntigravitySettingsSchema = z.object({
  /** Code Assist origins without `/v1internal`, tried in order. */
  base_urls: z
    .array(httpUrl.transform((u) => u.replace(/\/v1internal$/, '')))
    .min(1)
    .default([...ANTIGRAVITY_BASE_URLS]),
});
export type AntigravitySettings = z.infer<typeof AntigravitySettingsSchema>;

/**
 * Team mode: this gateway shares its pool with others through a Redis store. Kept by each gateway for
 * itself, never in the store.
 */
/**
 * The team's Redis address as the core hands it out: its password (`redis://:PASSWORD@host` or
 * `redis://user:PASSWORD@host`) replaced by a fixed mask, the rest as set, so a console can tell which
 * team it is; an address that does not parse is masked whole. Sent back unchanged, it keeps the address.
 */
export function maskedRedisUrl(url: string): string {
  if (url === '') return '';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '********';
  }
  if (parsed.password === '') return url;
  parsed.password = '********';
  return parsed.href;
}

export const TeamSettingsSchema = z.object({
  /** `redis://HOST:PORT/DB`; empty: this gateway runs alone. */
  redis_url: z.string().trim().default(''),
  /** A file holding the team secret, when SWITCHYARD_TEAM_SECRET is not set. */
  secret_file: z.string().trim().default(''),
});
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  port: z.number().int().min(1).max(65_535).default(DEFAULT_PORT),
  host: z.string().trim().min(1).default(DEFAULT_HOST),
  /** The headless console's port (loopback only); 0 picks a free one. Applies at the next start of `serve`. */
  console_port: z.number().int().min(0).max(65_535).default(DEFAULT_CONSOLE_PORT),
  api_key: z.string().default(''),
  auth_mode: AuthModeSchema.default('off'),
  max_body_bytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(DEFAULT_MAX_BODY_BYTES),
  model_rules: z.array(ModelRuleSchema).default([]),
  /** Prices per upstream model (USD per million tokens) over the shipped table: a row replaces the shipped one of its model. */
  model_prices: PriceRowsSchema.default([]),
  /** Keep a conversation on the account that served it while that account stays healthy. */
  session_affinity: z.boolean().default(true),
  /** Answer Claude Code's warmup requests locally instead of spending an upstream call. */
  warmup_interception: z.boolean().default(true),
  /**
   * How long an attempt waits for the upstream's response headers (and for an account's setup: its token,
   * its project) before the gateway gives up on that account and tries another. Upstreams are always
   * asked for a stream, whose headers come at once, so this holds for non-streaming clients too.
   */
  upstream_headers_timeout_ms: z.number().int().min(1000).max(3_600_000).default(DEFAULT_HEADERS_TIMEOUT_MS),
  /** How long an upstream body may stay silent between two chunks. */
  upstream_idle_timeout_ms: z.number().int().min(1000).max(3_600_000).default(DEFAULT_IDLE_TIMEOUT_MS),
  /** The whole request, every attempt and every wait between them included. */
  request_deadline_ms: z
    .number()
    .int()
    .min(1000)
    .max(24 * 3_600_000)
    .default(DEFAULT_REQUEST_DEADLINE_MS),
  /** Request log entries kept on disk (and shown after a restart). */
  log_history_limit: z.number().int().min(0).max(100_000).default(2000),
  /** Look for a newer release once a day (desktop app only). Off until the user turns it on. */
  update_check: z.boolean().default(false),
  /**
   * A PEM file of certificate authorities trusted for upstream HTTPS calls besides the built-in ones (a
   * TLS-inspecting proxy's CA); empty: none. The desktop app's Node ignores NODE_EXTRA_CA_CERTS.
   */
  extra_ca_certs: z.string().trim().default(''),
  google: GoogleSettingsSchema.default(() => GoogleSettingsSchema.parse({})),
  antigravity: AntigravitySettingsSchema.default(() => AntigravitySettingsSchema.parse({})),
  team: TeamSettingsSchema.default(() => TeamSettingsSchema.parse({})),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = patchOf(SettingsSchema.omit({ version: true }));
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Settings a user may read and write one at a time (`switchyard config get|set KEY`). */
export const SCALAR_SETTING_KEYS = [
  'port',
  'host',
  'api_key',
  'auth_mode',
  'max_body_bytes',
  'session_affinity',
  'warmup_interception',
  'upstream_headers_timeout_ms',
  'upstream_idle_timeout_ms',
  'request_deadline_ms',
  'log_history_limit',
  'console_port',
  'update_check',
  'extra_ca_certs',
] as const satisfies readonly (keyof Settings)[];
export type ScalarSettingKey = (typeof SCALAR_SETTING_KEYS)[number];

export function isScalarSettingKey(key: string): key is ScalarSettingKey {
  return (SCALAR_SETTING_KEYS as readonly string[]).includes(key);
}
