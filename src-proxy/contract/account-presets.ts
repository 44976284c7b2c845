// Where the common Anthropic-compatible providers and the Gemini API take requests, and how they want the
// key: the starting points the console's Add account form offers. Each base URL is the one the provider
// documents for Anthropic clients (Claude Code's ANTHROPIC_BASE_URL), without /v1; the scheme follows
// the variable its guide sets (ANTHROPIC_AUTH_TOKEN: bearer; ANTHROPIC_API_KEY: x-api-key).

import { GEMINI_DEFAULT_BASE_URL, type AccountKind, type AnthropicOptions, type GeminiOptions } from './account-kinds.js';

export type AccountPreset =
  | { id: string; kind: 'anthropic'; options: Pick<AnthropicOptions, 'base_url' | 'auth_scheme'> }
  | { id: string; kind: 'gemini'; options: Pick<GeminiOptions, 'base_url'> };

export const ACCOUNT_PRESETS = [
  { id: 'anthropic', kind: 'anthropic', options: { base_url: 'https://api.anthropic.com', auth_scheme: 'x-api-key' } },
  { id: 'zai', kind: 'anthropic', options: { base_url: 'https://api.z.ai/api/anthropic', auth_scheme: 'bearer' } },
  { id: 'kimi', kind: 'anthropic', options: { base_url: 'https://api.moonshot.ai/anthropic', auth_scheme: 'bearer' } },
  { id: 'deepseek', kind: 'anthropic', options: { base_url: 'https://api.deepseek.com/anthropic', auth_scheme: 'x-api-key' } },
  { id: 'minimax', kind: 'anthropic', options: { base_url: 'https://api.minimax.io/anthropic', auth_scheme: 'x-api-key' } },
  { id: 'gemini', kind: 'gemini', options: { base_url: GEMINI_DEFAULT_BASE_URL } },
] as const satisfies readonly AccountPreset[];

export type AccountPresetId = (typeof ACCOUNT_PRESETS)[number]['id'];

/** The preset an account's options match, if any: an account added from one is shown by its provider's name. */
export function presetOf(kind: AccountKind, options: { base_url?: string }): AccountPresetId | null {
  const url = options.base_url?.replace(/\/+$/, '').toLowerCase();
  return ACCOUNT_PRESETS.find((p) => p.kind === kind && p.options.base_url.toLowerCase() === url)?.id ?? null;
}
