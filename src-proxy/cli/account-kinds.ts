// The account kinds as `accounts add` takes them. The flags, the secret and how an account is obtained
// come from the kinds' registry (contract/account-kinds.ts); what is the command line's own is the
// wording: an example for the usage line and a one-line description of an account's upstream.

import type { ParseArgsConfig } from 'node:util';
import {
  ACCOUNT_KIND_NAMES,
  accountKindSpec,
  NewAccountSchema,
  validationIssues,
  type Account,
  type AccountKind,
  type AccountOf,
  type ControlApi,
  type KindFlag,
  type NewAccount,
} from '../contract/index.js';
import { googleEmailOf } from './google-email.js';
import { UsageError } from './io.js';
import { describeIssues } from './wording.js';

type Flags = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface KindWording<K extends AccountKind> {
  /** An example for the usage line. */
  example: string;
  /** Where the account's requests go and how its key is sent, in one line. */
  upstream(account: AccountOf<K>): string;
}

const WORDING: { readonly [K in AccountKind]: KindWording<K> } = {
  anthropic: {
    example: '--provider anthropic --base-url https://api.anthropic.com --key-env VAR --label NAME',
    upstream: (a) => `${a.options.base_url}  key via ${a.options.auth_scheme}`,
  },
  gemini: {
    example: '--provider gemini --key-env VAR --label NAME',
    upstream: (a) => `${a.options.base_url}  key via x-goog-api-key`,
  },
  antigravity: {
    example: '--provider antigravity --refresh-token-env VAR [--label EMAIL]',
    upstream: (a) => `Code Assist v1internal${a.learned.project_id ? `  project ${a.learned.project_id}` : ''}`,
  },
};

export function kindExample(kind: AccountKind): string {
  return WORDING[kind].example;
}

export function describeUpstream(account: Account): string {
  return (WORDING[account.provider].upstream as (a: Account) => string)(account);
}

/** The flags of one kind, as node:util's parser takes them. */
export function kindFlags(kind: AccountKind): Flags {
  const flags: Flags = {};
  for (const [name, flag] of Object.entries(accountKindSpec(kind).flags)) flags[name] = { type: flag.value ? 'string' : 'boolean' };
  const secretFlag = accountKindSpec(kind).secretFlag;
  if (secretFlag) flags[secretFlag] = { type: 'string' };
  return flags;
}

/** Every kind's flags together, for one parse of the command line (a flag of another kind is refused after). */
export function allKindFlags(): Flags {
  const all: Flags = {};
  for (const kind of ACCOUNT_KIND_NAMES) Object.assign(all, kindFlags(kind));
  return all;
}

/** The flag naming the environment variable that holds this kind's secret, besides --key-env. */
export function secretFlagOf(kind: AccountKind): string | undefined {
  return accountKindSpec(kind).secretFlag;
}

/** A kind whose accounts are named by their Google email: the label can be read from the secret, and a second add of that email renews the first. */
export function isGoogleKind(kind: AccountKind): boolean {
  return accountKindSpec(kind).signIn === 'google';
}

export function labelFromSecret(kind: AccountKind, secret: string, api: ControlApi): Promise<string> | null {
  return isGoogleKind(kind) ? googleEmailOf(secret, api) : null;
}

/** The options the flags given set (and only those): a value flag its value, a switch its side. */
function optionsFromFlags(flags: Readonly<Record<string, KindFlag>>, values: Values): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const value = values[name];
    if (typeof value === 'string') options[flag.option] = value;
    else if (value === true) options[flag.option] = !flag.off;
  }
  return options;
}

/**
 * The flags `accounts edit` takes for a kind: those of `accounts add`, and for each switch its opposite
 * (`--strip-cache-control` and `--no-strip-cache-control`), since an edit may turn an option either way.
 */
export function editFlagsOf(kind: AccountKind): Readonly<Record<string, KindFlag>> {
  const out: Record<string, KindFlag> = {};
  for (const [name, flag] of Object.entries(accountKindSpec(kind).flags)) {
    out[name] = flag;
    if (flag.value !== undefined) continue;
    const opposite = flag.off ? name.replace(/^no-/, '') : `no-${name}`;
    out[opposite] = flag.off ? { option: flag.option } : { option: flag.option, off: true };
  }
  return out;
}

/** The option changes the edit flags given ask for, by option name. */
export function optionEditsFromFlags(kind: AccountKind, values: Values): Record<string, unknown> {
  return optionsFromFlags(editFlagsOf(kind), values);
}

/** The new account the flags describe; a missing or wrong option is named by its flag. */
export function newAccountFromFlags(kind: AccountKind, label: string, secret: string, values: Values): NewAccount {
  const spec = accountKindSpec(kind);
  const options = optionsFromFlags(spec.flags, values);
  const input = { provider: kind, label, [spec.secret]: secret, options };
  const parsed = NewAccountSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [issue] = validationIssues(parsed.error.issues, input);
  const [where, option] = issue!.path;
  const flag = where === 'options' ? Object.entries(spec.flags).find(([, f]) => f.option === option)?.[0] : undefined;
  if (flag && options[String(option)] === undefined) {
    throw new UsageError(`--${flag} is required for --provider ${kind}, e.g. ${WORDING[kind].example}`);
  }
  throw new UsageError(`${describeIssues([issue!], () => (flag ? `--${flag}` : undefined))}.`);
}
