// POST /v1/messages/count_tokens: asked of an upstream that can count, estimated locally otherwise.
// Never the placeholder 0: Claude Code sizes its context (and decides when to compact) from this.
// The answer says where the number came from in `x-token-count-source`.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreparedRequest } from '../anthropic/prepared-request.js';
import { stripCacheControl } from '../anthropic/cleanup.js';
import { estimateInputTokens } from '../anthropic/token-estimate.js';
import type { CountTokensRequest } from '../anthropic/types.js';
import { validateCountTokensRequest } from '../anthropic/validate.js';
import { providerFor, type Provider } from '../providers/types.js';
import { sessionKeyOf } from '../routing/session-key.js';
import { readJsonBody } from './body.js';
import type { GatewayDeps } from './deps.js';
import { forwardHeaders } from './forward-headers.js';
import { sendJson } from './http.js';
import type { RequestRecord } from './request-record.js';
import { prepareUpstream, routeModel } from './route.js';

export const TOKEN_COUNT_SOURCE = 'x-token-count-source';

export async function handleCountTokens(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps, record: RequestRecord): Promise<void> {
  const settings = deps.settings();
  const body = await readJsonBody(req, settings.max_body_bytes);
  const request = validateCountTokensRequest(body.json);
  record.entry.inbound_model = request.model;
  const route = routeModel(request.model, settings, record, res);
  const provider = providerFor(deps.providers, route.provider);
  const prepared = prepareUpstream(request, body.raw, route.model);
  const counted = provider ? await countUpstream(req, res, prepared, provider, deps, record) : null;

  const inputTokens = counted ?? estimateInputTokens(request);
  if (counted === null) record.entry.local = 'estimate';
  record.entry.input_tokens = inputTokens;
  record.firstByte();
  sendJson(res, 200, { input_tokens: inputTokens }, { [TOKEN_COUNT_SOURCE]: counted === null ? 'estimate' : 'upstream' });
  record.finish(200);
}

/**
 * One try on the conversation's account (or the next in turn) if it can count. Any failure falls back
 * to the estimate: a token count is advice, never worth an error, a retry storm or a cooldown.
 */
async function countUpstream(
  req: IncomingMessage,
  res: ServerResponse,
  prepared: PreparedRequest<CountTokensRequest>,
  provider: Provider,
  deps: GatewayDeps,
  record: RequestRecord,
): Promise<number | null> {
  const sel = deps.pool.select({
    provider: provider.kind,
    model: prepared.body.model,
    sessionKey: deps.settings().session_affinity ? sessionKeyOf(prepared.body) : null,
    exclude: new Set(),
    allowExcluded: false,
  });
  if (!sel.ok) return null;
  const account = sel.account;
  const creds = deps.pool.credentials(account);
  const capabilities = provider.capabilities(account);
  if (!creds || !capabilities.countTokens) return null;

  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const startedAt = performance.now();
  const outbound = capabilities.acceptsCacheControl ? prepared : prepared.with(stripCacheControl(prepared.body));
  const result = await provider.countTokens(outbound, creds, {
    signal: abort.signal,
    forwardHeaders: forwardHeaders(req),
    requestId: record.id,
    timeoutMs: Math.min(deps.settings().upstream_timeout_ms, 30_000),
  });
  record.attempt(
    account,
    startedAt,
    result.ok ? { status: 200, failure: null, message: null } : { status: result.failure.status, failure: result.failure.kind, message: result.failure.message },
  );
  if (!result.ok) return null;
  record.entry.account_id = account.id;
  record.entry.account_label = account.label;
  return result.inputTokens;
}
