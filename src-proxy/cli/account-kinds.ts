// What the command line knows about each account kind: the flags `accounts add` takes for it, how they
// become the kind's options, and how an account of the kind is described. One entry per kind of
// contract/accounts.ts ACCOUNT_KINDS; the command itself names no kind.

import type { ParseArgsConfig } from 'node:util';
import type { Account, AccountKind, ControlApi, NewAccount } from '../contract/index.js';
import { googleEmailOf } from './google-email.js';
import { UsageError } from './io.js';

type Flags = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

export interface CliAccountKind {
  /** Flags of this kind, besides the common --provider, --label, --key-env, --key-stdin. */
  flags: Flags;
  /** An example for the usage line. */
  example: string;
  newAccount(label: string, key: string, values: Values): NewAccount;
  /** Where the account's requests go and how its key is sent, in one line. */
  upstream(account: Account): string;
  /** A flag of this kind naming the environment variable that holds its secret, like --key-env. */
  secretEnvFlag?: string;
  /** The label, read from the secret itself, when --label is not given (a Google account's email). */
  labelFromSecret?(secret: string, api: ControlApi, env: NodeJS.ProcessEnv): Promise<string>;
  /** An account of this kind with the same label is the same account: it gets the new secret instead of a twin. */
  renewsByLabel?: boolean;
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export const CLI_ACCOUNT_KINDS: Readonly<Record<AccountKind, CliAccountKind>> = {
  anthropic: {
    flags: {
      'base-url': { type: 'string' },
      'auth-scheme': { type: 'string', default: 'x-api-key' },
      'strip-cache-control': { type: 'boolean', default: false },
      'no-count-tokens': { type: 'boolean', default: false },
    },
    example: '--provider anthropic --base-url https://api.anthropic.com --key-env VAR --label NAME',
    newAccount(label, key, values) {
      const baseUrl = str(values, 'base-url');
      if (!baseUrl) throw new UsageError('--base-url is required for --provider anthropic, e.g. https://api.anthropic.com');
      return {
        provider: 'anthropic',
        label,
        api_key: key,
        options: {
          base_url: baseUrl,
          auth_scheme: str(values, 'auth-scheme') as 'x-api-key' | 'bearer',
          strip_cache_control: values['strip-cache-control'] === true,
          count_tokens: values['no-count-tokens'] !== true,
        },
      };
    },
    upstream: (a) => (a.provider === 'anthropic' ? `${a.options.base_url}  key via ${a.options.auth_scheme}` : ''),
  },
  gemini: {
    flags: {
      'base-url': { type: 'string' },
      'no-count-tokens': { type: 'boolean', default: false },
    },
    example: '--provider gemini --key-env VAR --label NAME',
    newAccount(label, key, values) {
      const baseUrl = str(values, 'base-url');
      return {
        provider: 'gemini',
        label,
        api_key: key,
        options: { ...(baseUrl ? { base_url: baseUrl } : {}), count_tokens: values['no-count-tokens'] !== true },
      } as NewAccount;
    },
    upstream: (a) => (a.provider === 'gemini' ? `${a.options.base_url}  key via x-goog-api-key` : ''),
  },
  antigravity: {
    flags: { 'refresh-token-env': { type: 'string' } },
    example: '--provider antigravity --refresh-token-env VAR [--label EMAIL]',
    secretEnvFlag: 'refresh-token-env',
    labelFromSecret: googleEmailOf,
    renewsByLabel: true,
    newAccount: (label, refreshToken) => ({ provider: 'antigravity', label, refresh_token: refreshToken, options: {} }),
    upstream: (a) => (a.provider === 'antigravity' ? `Code Assist v1internal${a.learned.project_id ? `  project ${a.learned.project_id}` : ''}` : ''),
  },
};

/** Every kind's flags together, for one parse of the command line (a flag of another kind is refused after). */
export function allKindFlags(): Flags {
  const all: Flags = {};
  for (const kind of Object.values(CLI_ACCOUNT_KINDS)) Object.assign(all, kind.flags);
  return all;
}
