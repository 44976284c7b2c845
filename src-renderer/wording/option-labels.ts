// Labels and hints for account options and kinds; an option without an entry gets its name in words.

import type { AccountKind } from '../../src-proxy/contract/index.js';

const LABELS: Readonly<Record<string, { label: string; hint?: string }>> = {
  base_url: { label: 'Base URL', hint: 'Without /v1, e.g. https://api.anthropic.com' },
  auth_scheme: { label: 'Send the key as' },
  strip_cache_control: { label: 'Strip cache_control', hint: 'For upstreams that reject prompt caching fields.' },
  count_tokens: { label: 'Ask the upstream to count tokens', hint: 'Off: the gateway estimates locally.' },
  project_id: { label: 'Code Assist project', hint: 'Leave empty to use the one Google assigns.' },
};

const CHOICES: Readonly<Record<string, string>> = {
  'x-api-key': 'x-api-key header',
  bearer: 'Authorization: Bearer',
};

export function optionLabel(name: string): { label: string; hint?: string } {
  return LABELS[name] ?? { label: name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) };
}

export function choiceLabel(value: string): string {
  return CHOICES[value] ?? value;
}

export const KIND_LABELS: Readonly<Record<AccountKind, string>> = {
  anthropic: 'Anthropic-compatible',
  gemini: 'Gemini API',
  antigravity: 'Google account',
};

export const SECRET_LABELS: Readonly<Record<'api_key' | 'refresh_token', string>> = {
  api_key: 'API key',
  refresh_token: 'Refresh token',
};
