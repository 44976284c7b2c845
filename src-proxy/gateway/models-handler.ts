// GET /v1/models (and /v1/models/claude, the path the reference product documents): the Claude models
// clients may ask for, every exact model id the user's mapping rules name, and the models accounts
// report they offer, in the Anthropic list shape with its paging parameters.

import type { ModelRule, ProviderKind } from '../contract/index.js';
import { resolveRoute } from '../routing/model-mapping.js';
import { GatewayError } from '../anthropic/errors.js';

export interface ModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

const KNOWN_MODELS: ReadonlyArray<[id: string, name: string, created: string]> = [
  ['claude-opus-4-6', 'Claude Opus 4.6', '2026-02-01'],
  ['claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-01'],
  ['claude-opus-4-5-20251101', 'Claude Opus 4.5', '2025-11-01'],
  ['claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-01'],
  ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29'],
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1', '2025-08-05'],
];

export interface OfferedModel {
  provider: ProviderKind;
  model: string;
}

/**
 * The models a client may ask for here: the Claude models, every exact id the rules name, and the ids
 * accounts offer, each only when its route leads to a provider that has an account to serve it
 * (`canServe`; everything when absent); an offered id only when its route leads to the provider offering it.
 */
export function listModels(
  rules: readonly ModelRule[],
  canServe: (provider: ProviderKind) => boolean = () => true,
  offered: readonly OfferedModel[] = [],
): ModelInfo[] {
  const out: ModelInfo[] = [];
  for (const [id, display_name, created] of KNOWN_MODELS) {
    if (canServe(resolveRoute(id, rules).provider)) out.push({ type: 'model', id, display_name, created_at: `${created}T00:00:00Z` });
  }
  const seen = new Set(KNOWN_MODELS.map(([id]) => id));
  for (const rule of rules) {
    if (rule.match.includes('*') || seen.has(rule.match) || !canServe(rule.provider)) continue;
    seen.add(rule.match);
    out.push({ type: 'model', id: rule.match, display_name: rule.match, created_at: '2026-01-01T00:00:00Z' });
  }
  for (const { provider, model } of offered) {
    if (seen.has(model) || resolveRoute(model, rules).provider !== provider || !canServe(provider)) continue;
    seen.add(model);
    out.push({ type: 'model', id: model, display_name: model, created_at: '2026-01-01T00:00:00Z' });
  }
  return out;
}

export interface ModelPage {
  object: 'list';
  data: ModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** Pages like the API: `limit` (1-1000, default 20), `after_id`, `before_id`. */
export function pageModels(models: ModelInfo[], query: Record<string, unknown>): ModelPage {
  const limitRaw = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > 1000) {
    throw new GatewayError(400, 'limit: Input should be an integer between 1 and 1000');
  }
  let start = 0;
  let end = models.length;
  if (typeof query.after_id === 'string') start = models.findIndex((m) => m.id === query.after_id) + 1;
  const lower = start;
  const backward = typeof query.before_id === 'string';
  if (backward) {
    const i = models.findIndex((m) => m.id === query.before_id);
    end = i < 0 ? models.length : i;
    start = Math.max(start, end - limitRaw);
  }
  const data = models.slice(start, Math.min(end, start + limitRaw));
  return {
    object: 'list',
    data,
    // More in the direction of paging: before the page when paging back with before_id, as the SDK expects.
    has_more: backward ? start > lower : start + data.length < end,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}
