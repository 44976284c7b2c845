// The account kinds, declared once. Each kind's entry says which options its accounts keep, what its
// secret is called, which command-line flags set the options, and how an account of it is obtained.
// The account schemas, the CLI, the console's forms and the provider registry are all derived from
// this table; a kind added here fails to compile until the provider registry and the console's
// wording have an entry for it.

import { z } from 'zod';

export const AUTH_SCHEMES = ['x-api-key', 'bearer'] as const;
export const AuthSchemeSchema = z.enum(AUTH_SCHEMES);
export type AuthScheme = z.infer<typeof AuthSchemeSchema>;

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL', params: { code: 'not_http_url' } });

/** Options of an Anthropic-compatible API-key account (Anthropic, z.ai, Kimi, DeepSeek, MiniMax ...). */
export const AnthropicOptionsSchema = z.object({
  /** Base URL without `/v1`, e.g. `https://api.anthropic.com` or `https://api.z.ai/api/anthropic`. */
  base_url: httpUrl.transform((u) => u.replace(/\/+$/, '').replace(/\/v1$/, '')),
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
  base_url: httpUrl.transform((u) => u.replace(/\/+$/, '').replace(/\/v1(beta)?$/, '')).default(GEMINI_DEFAULT_BASE_URL),
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

/** What a kind's secret is called in a new account, an export file and the forms. */
export const SECRET_FIELDS = ['api_key', 'refresh_token'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/**
 * A command-line flag of `accounts add` that sets one option: with `value` it takes one (named so in
 * the usage line), without it is a switch that turns the option on, or off when `off` is set.
 */
export interface KindFlag<Option extends string = string> {
  option: Option;
  value?: string;
  off?: true;
}

export interface AccountKindSpec<Options extends z.ZodObject = z.ZodObject> {
  options: Options;
  secret: SecretField;
  /** The flags of this kind, besides the common --provider, --label, --key-env and --key-stdin. */
  flags: Readonly<Record<string, KindFlag<keyof z.input<Options> & string>>>;
  /** A flag naming the environment variable that holds the secret, for a secret that is not an API key. */
  secretFlag?: string;
  /**
   * How an account of this kind is obtained besides pasting its secret: `google` is a Google sign-in;
   * the account is named by its email, and a second sign-in of the same email renews the first.
   */
  signIn?: 'google';
}

/** One kind's entry; the flags are checked against the kind's own options. */
function accountKind<Options extends z.ZodObject, const Rest extends Omit<AccountKindSpec<Options>, 'options'>>(
  options: Options,
  rest: Rest,
): Rest & { options: Options } {
  return { ...rest, options };
}

export const ACCOUNT_KINDS = {
  anthropic: accountKind(AnthropicOptionsSchema, {
    secret: 'api_key',
    flags: {
      'base-url': { option: 'base_url', value: 'URL' },
      'auth-scheme': { option: 'auth_scheme', value: 'x-api-key|bearer' },
      'strip-cache-control': { option: 'strip_cache_control' },
      'no-count-tokens': { option: 'count_tokens', off: true },
    },
  }),
  gemini: accountKind(GeminiOptionsSchema, {
    secret: 'api_key',
    flags: {
      'base-url': { option: 'base_url', value: 'URL' },
      'no-count-tokens': { option: 'count_tokens', off: true },
    },
  }),
  antigravity: accountKind(AntigravityOptionsSchema, {
    secret: 'refresh_token',
    flags: {},
    secretFlag: 'refresh-token-env',
    signIn: 'google',
  }),
};

export type AccountKinds = typeof ACCOUNT_KINDS;
export type AccountKind = keyof AccountKinds;
/** The kinds in the order the shells list them. */
export const ACCOUNT_KIND_NAMES = Object.keys(ACCOUNT_KINDS) as [AccountKind, ...AccountKind[]];

export function isAccountKind(kind: string): kind is AccountKind {
  return Object.hasOwn(ACCOUNT_KINDS, kind);
}

/** A kind's entry, seen through the fields every entry may have. */
export function accountKindSpec(kind: AccountKind): AccountKindSpec {
  return ACCOUNT_KINDS[kind] as AccountKindSpec;
}

/** The names of a kind's options. */
export type OptionNameOf<K extends AccountKind> = keyof z.input<AccountKinds[K]['options']> & string;

/** The kinds whose entry has `signIn: 'google'`. */
export type GoogleAccountKind = { [K in AccountKind]: AccountKinds[K] extends { signIn: 'google' } ? K : never }[AccountKind];
/** The kind a Google sign-in adds accounts of. */
export const GOOGLE_ACCOUNT_KIND = ACCOUNT_KIND_NAMES.find((k) => accountKindSpec(k).signIn === 'google') as GoogleAccountKind;
