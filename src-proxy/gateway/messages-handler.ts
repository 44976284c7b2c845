// POST /v1/messages: validate, answer warmups locally, clean up, route, then let the attempt runner walk
// the account pool, each attempt delivering its answer to the client as soon as it has a first event.

import { FrameBatch } from '../anthropic/sse.js';
import type { PreparedRequest } from '../anthropic/prepared-request.js';
import type { MessagesRequest } from '../anthropic/types.js';
import { validateMessagesRequest } from '../anthropic/validate.js';
import { isWarmupRequest, warmupEvents, warmupMessage } from '../anthropic/warmup.js';
import { providerFor } from '../providers/types.js';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../routing/retry-policy.js';
import { sessionKeyOf } from '../routing/session-key.js';
import { runAttempts } from './attempt-runner.js';
import { readJsonBody } from './body.js';
import { deliver } from './delivery.js';
import type { GatewayDeps } from './deps.js';
import type { Exchange } from './exchange.js';
import { headerValue } from './header-value.js';
import { prepareUpstream, routeModel } from './route.js';
import { routeTrace } from './route-summary.js';

export async function handleMessages(ex: Exchange, deps: GatewayDeps): Promise<void> {
  const settings = deps.settings();
  const body = await readJsonBody(ex.req, settings.max_body_bytes);
  const request = validateMessagesRequest(body.json, { anthropicBeta: ex.req.headers['anthropic-beta'] });
  const wantsStream = request.stream === true;
  ex.record.received(request.model, wantsStream);

  if (settings.warmup_interception && isWarmupRequest(request)) return answerWarmup(ex, request);

  const route = routeModel(request.model, settings, ex);

  // One upstream request per link model: attempts on several accounts (and links) of one model share it.
  const prepared = upstreamRequests(request, body.raw);
  const ctx = ex.attemptContext({
    deadlineMs: settings.request_deadline_ms,
    // Upstreams are asked for a stream, whose headers come at once, unless the answer is short enough to
    // come whole within half of this (providers/shared/answer-shape.ts): a silent account is left after
    // this, streaming client or not.
    headersTimeoutMs: settings.upstream_headers_timeout_ms,
    idleTimeoutMs: settings.upstream_idle_timeout_ms,
  });
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;

  const result = await runAttempts(
    {
      pool: deps.pool,
      route,
      sessionKey: settings.session_affinity ? sessionKeyOf(request) : null,
      record: ex.record,
      scope: ex.scope,
      redact: ex.redact,
      decide: (failure, facts) => decideRetry(failure, facts, policy),
      bookkeeping: true,
    },
    async (account, creds, { link, index, passed }) => {
      const provider = providerFor(deps.providers, link.provider);
      const sent = await provider.send(provider.prepare(prepared(link.model), account), creds, ctx);
      if (!sent.ok) return { ok: false, failure: sent.failure, committed: false, accepted: false };
      // The link that serves, and the model it was sent (a provider may send a thinking variant): the answer names both.
      ex.mapped({ provider: link.provider, model: sent.upstreamModel });
      ex.servedBy(account);
      if (sent.notes) for (const note of sent.notes) ex.record.noted(note);
      const headers = sent.relayHeaders;
      if (index > 0) headers['x-route'] = headerValue(routeTrace(passed, link));
      return deliver(ex, wantsStream, sent, headers);
    },
  );
  if (result.ok) {
    const delivery = result.value;
    if (delivery.kind === 'streamed') ex.closeStream();
    else ex.answer(200, delivery.body, delivery.headers);
  } else if (result.kind === 'client_gone') {
    ex.clientLeft(result.account);
  } else {
    ex.failRun(result, route);
  }
}

/** The request as each link's model takes it, made when a link first needs it and kept for the others. */
function upstreamRequests(request: MessagesRequest, raw: Buffer): (model: string) => PreparedRequest<MessagesRequest> {
  let first: { model: string; req: PreparedRequest<MessagesRequest> } | null = null;
  let others: Map<string, PreparedRequest<MessagesRequest>> | null = null;
  return (model) => {
    if (first === null) {
      first = { model, req: prepareUpstream(request, raw, model) };
      return first.req;
    }
    if (first.model === model) return first.req;
    others ??= new Map();
    let req = others.get(model);
    if (!req) {
      req = prepareUpstream(request, raw, model);
      others.set(model, req);
    }
    return req;
  };
}

function answerWarmup(ex: Exchange, request: MessagesRequest): void {
  ex.record.answeredLocally('warmup');
  ex.record.usage({ input_tokens: 1, output_tokens: 1 }, 'end_turn');
  const headers = { 'x-warmup-intercepted': 'true' };
  if (request.stream === true) {
    ex.openStream(headers).writeRaw(FrameBatch.of(warmupEvents(request.model)).bytes);
    ex.closeStream();
  } else {
    ex.answer(200, warmupMessage(request.model), headers);
  }
}
