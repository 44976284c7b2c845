// The console's words for the account kinds, their options and their secrets. Each table is keyed by
// kind (and by each kind's own options), so a kind or an option added to the contract does not compile
// until it has its words here.

import type { AccountKind, AuthScheme, OptionNameOf, SecretField } from '../../src-proxy/contract/index.js';

export interface OptionWording {
  label: string;
  hint?: string;
}

export type OptionWordingTable = { readonly [K in AccountKind]: { readonly [O in OptionNameOf<K>]: OptionWording } };

const countTokens: OptionWording = { label: 'Ask the upstream to count tokens', hint: 'Off: the gateway estimates locally.' };

export const OPTION_LABELS: OptionWordingTable = {
  anthropic: {
    base_url: { label: 'Base URL', hint: 'Without /v1, e.g. https://api.anthropic.com' },
    auth_scheme: { label: 'Send the key as' },
    strip_cache_control: { label: 'Strip cache_control', hint: 'For upstreams that reject prompt caching fields.' },
    count_tokens: countTokens,
  },
  gemini: {
    base_url: { label: 'Base URL', hint: "Without the version path; leave as it is for Google's Gemini API." },
    count_tokens: countTokens,
  },
  antigravity: {
    project_id: { label: 'Code Assist project', hint: 'Leave empty to use the one Google assigns.' },
  },
};

const CHOICES: Readonly<Record<AuthScheme, string>> = {
  'x-api-key': 'x-api-key header',
  bearer: 'Authorization: Bearer',
};

export function optionLabel(kind: AccountKind, name: string): OptionWording {
  return (OPTION_LABELS[kind] as Readonly<Record<string, OptionWording>>)[name] ?? { label: name };
}

export function choiceLabel(value: string): string {
  return (CHOICES as Readonly<Record<string, string>>)[value] ?? value;
}

export const KIND_LABELS: Readonly<Record<AccountKind, string>> = {
  anthropic: 'Anthropic-compatible',
  gemini: 'Gemini API',
  antigravity: 'Google account',
};

export const SECRET_LABELS: Readonly<Record<SecretField, string>> = {
  api_key: 'API key',
  refresh_token: 'Refresh token',
};
