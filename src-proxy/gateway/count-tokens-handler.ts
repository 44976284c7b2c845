// POST /v1/messages/count_tokens: asked of an upstream that can count, estimated locally otherwise.
// Never the placeholder 0: Claude Code sizes its context (and decides when to compact) from this.
// The answer says where the number came from in `x-token-count-source`.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PreparedRequest } from '../anthropic/prepared-request.js';
import { mergeConsecutiveSameRole, stripCacheControl } from '../anthropic/cleanup.js';
import { estimateInputTokens } from '../anthropic/token-estimate.js';
import type { CountTokensRequest } from '../anthropic/types.js';
import { validateCountTokensRequest } from '../anthropic/validate.js';
import { providerFor, type Provider } from '../providers/types.js';
import { DEFAULT_RULES, resolveRoute } from '../routing/model-mapping.js';
import { sessionKeyOf } from '../routing/session-key.js';
import { readJsonBody } from './body.js';
import type { GatewayDeps } from './deps.js';
import { forwardHeaders } from './forward-headers.js';
import { sendJson } from './http.js';
import type { RequestRecord } from './request-record.js';

export const TOKEN_COUNT_SOURCE = 'x-token-count-source';

export async function handleCountTokens(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps, record: RequestRecord): Promise<void> {
  const settings = deps.settings();
  const body = await readJsonBody(req, settings.max_body_bytes);
  const request = validateCountTokensRequest(body.json);
  record.entry.inbound_model = request.model;
  const route = resolveRoute(request.model, settings.model_rules, DEFAULT_RULES);
  record.entry.mapped_model = route.model;
  record.entry.provider = route.provider;
  res.setHeader('x-mapped-model', route.model);

  const provider = providerFor(deps.providers, route.provider);
  const upstream = provider ? await countUpstream(req, request, body.raw, route.model, provider, deps, record) : null;
  if (upstream !== null) {
    record.entry.input_tokens = upstream;
    record.firstByte();
    sendJson(res, 200, { input_tokens: upstream }, { [TOKEN_COUNT_SOURCE]: 'upstream' });
    record.finish(200);
    return;
  }
  const estimate = estimateInputTokens(request);
  record.entry.local = 'estimate';
  record.entry.input_tokens = estimate;
  record.firstByte();
  sendJson(res, 200, { input_tokens: estimate }, { [TOKEN_COUNT_SOURCE]: 'estimate' });
  record.finish(200);
}

/**
 * One try on the conversation's account (or the next in turn) if it can count. Any failure falls back
 * to the estimate: a token count is advice, never worth an error, a retry storm or a cooldown.
 */
async function countUpstream(
  req: IncomingMessage,
  request: CountTokensRequest,
  raw: Buffer,
  model: string,
  provider: Provider,
  deps: GatewayDeps,
  record: RequestRecord,
): Promise<number | null> {
  const sel = deps.pool.select({
    provider: provider.kind,
    model,
    sessionKey: deps.settings().session_affinity ? sessionKeyOf({ ...request, max_tokens: 1 }) : null,
    exclude: new Set(),
    allowExcluded: false,
  });
  if (!sel.ok) return null;
  const account = sel.account;
  const creds = deps.pool.credentials(account);
  const capabilities = provider.capabilities(account);
  if (!creds || !capabilities.countTokens) return null;

  let body: CountTokensRequest = mergeConsecutiveSameRole(request);
  if (!capabilities.acceptsCacheControl) body = stripCacheControl(body);
  if (model !== request.model) body = { ...body, model };
  const abort = new AbortController();
  const startedAt = performance.now();
  const result = await provider.countTokens(new PreparedRequest(body, body === request ? raw : null), creds, {
    signal: abort.signal,
    forwardHeaders: forwardHeaders(req),
    requestId: record.id,
    timeoutMs: Math.min(deps.settings().upstream_timeout_ms, 30_000),
  });
  record.entry.attempts.push({
    account_id: account.id,
    account_label: account.label,
    status: result.ok ? 200 : result.failure.status,
    failure: result.ok ? null : result.failure.kind,
    message: result.ok ? null : result.failure.message,
    latency_ms: Math.round(performance.now() - startedAt),
  });
  if (!result.ok) return null;
  record.entry.account_id = account.id;
  record.entry.account_label = account.label;
  return result.inputTokens;
}

