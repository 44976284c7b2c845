// What /v1/messages and /v1/messages/count_tokens do alike before an upstream sees a request.

import { mergeConsecutiveSameRole } from '../anthropic/cleanup.js';
import { PreparedRequest } from '../anthropic/prepared-request.js';
import type { RequestBase } from '../anthropic/types.js';
import type { Settings } from '../contract/index.js';
import { DEFAULT_RULES, resolveRoute, type Route } from '../routing/model-mapping.js';
import type { Exchange } from './exchange.js';

/** Resolves where a model goes and says so, in the log and in `X-Mapped-Model` on every answer from here on. */
export function routeModel(model: string, settings: Settings, ex: Exchange): Route {
  const route = resolveRoute(model, settings.model_rules, DEFAULT_RULES);
  ex.mapped(route);
  return route;
}

/**
 * The request as it goes upstream: same-role turns merged and the mapped model set. When neither changed
 * anything, the client's own bytes are sent.
 */
export function prepareUpstream<R extends RequestBase>(request: R, raw: Buffer, upstreamModel: string): PreparedRequest<R> {
  let cleaned = mergeConsecutiveSameRole(request);
  if (upstreamModel !== request.model) cleaned = { ...cleaned, model: upstreamModel };
  return new PreparedRequest(cleaned, cleaned === request ? raw : null);
}
