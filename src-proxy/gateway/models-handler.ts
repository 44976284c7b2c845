// GET /v1/models (and /v1/models/claude, the path the reference product documents): the Claude models
// clients may ask for, every exact model id the user's mapping rules name, and the models accounts
// report they offer, in the Anthropic list shape with its paging parameters.

import type { ModelRule, ProviderKind } from '../contract/index.js';
import { resolveRoute, type RouteLink } from '../routing/model-mapping.js';
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

/** What the accounts can serve, as the models list needs to know it. */
export interface ModelSource {
  /** Whether an enabled account with a usable key can serve the link (of its provider, among its accounts). */
  serves(link: RouteLink): boolean;
  /** The models the link's accounts report they offer; null when none of them reports any. */
  offered(link: RouteLink): readonly string[] | null;
  /** Every model some account reports it offers, with the account's provider. */
  allOffered(): readonly OfferedModel[];
}

/** A source for when nothing is known about the accounts: every link serves, nobody reports models. */
export const ANY_ACCOUNT: ModelSource = { serves: () => true, offered: () => null, allOffered: () => [] };

const THINKING_SUFFIX = '-thinking';

/** The ids the Gemini API serves: its own models (Gemini, Gemma), never another family's. */
const GEMINI_API_MODEL = /^(models\/)?(gemini|gemma)-/;

/**
 * Whether a link would answer a request for its model: an account can take it, and where the accounts
 * say what they offer, they offer the model or its thinking variant (which serves the plain id). Where
 * they do not say, an id of another family sent to the Gemini API (a Claude id, `glm-4.6`) is known to
 * fail; an Anthropic-compatible upstream names its own models, which the user's rules spell out.
 */
export function linkServesModel(link: RouteLink, source: ModelSource): boolean {
  if (!source.serves(link)) return false;
  const model = link.model.toLowerCase();
  const offered = source.offered(link);
  if (offered === null) return link.provider !== 'gemini' || GEMINI_API_MODEL.test(model);
  return offered.some((m) => {
    const o = m.toLowerCase();
    return o === model || o === `${model}${THINKING_SUFFIX}`;
  });
}

/**
 * The models a client may ask for here: the Claude models, every exact id the rules name, the ids
 * accounts offer (and the plain id of a thinking variant offered alone), each only when some link of
 * its route serves it, so no listed id is then answered 404.
 */
export function listModels(rules: readonly ModelRule[], source: ModelSource = ANY_ACCOUNT): ModelInfo[] {
  const out: ModelInfo[] = [];
  const seen = new Set<string>();
  // An offered id is listed only when its route leads to the kind of account that offers it.
  const add = (id: string, display_name: string, created = '2026-01-01', from?: ProviderKind) => {
    if (seen.has(id)) return;
    const served = resolveRoute(id, rules).links.some((link) => (from === undefined || link.provider === from) && linkServesModel(link, source));
    if (!served) return;
    seen.add(id);
    out.push({ type: 'model', id, display_name, created_at: `${created}T00:00:00Z` });
  };
  for (const [id, display_name, created] of KNOWN_MODELS) add(id, display_name, created);
  for (const rule of rules) if (!rule.match.includes('*')) add(rule.match, rule.match);
  for (const { provider, model } of source.allOffered()) {
    add(model, model, undefined, provider);
    if (model.toLowerCase().endsWith(THINKING_SUFFIX)) {
      const plain = model.slice(0, -THINKING_SUFFIX.length);
      add(plain, plain, undefined, provider);
    }
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
