// POST /v1/messages: validate, answer warmups locally, clean up, route, then let the attempt runner walk
// the account pool, each attempt delivering its answer to the client as soon as it has a first event.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../anthropic/errors.js';
import { FrameBatch } from '../anthropic/sse.js';
import type { MessagesRequest } from '../anthropic/types.js';
import { validateMessagesRequest } from '../anthropic/validate.js';
import { isWarmupRequest, warmupEvents, warmupMessage } from '../anthropic/warmup.js';
import { providerFor, type AttemptContext } from '../providers/types.js';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../routing/retry-policy.js';
import { sessionKeyOf } from '../routing/session-key.js';
import { runAttempts } from './attempt-runner.js';
import { readJsonBody } from './body.js';
import { deliver, type DeliveryTarget } from './delivery.js';
import type { GatewayDeps } from './deps.js';
import { answerFailure } from './error-responses.js';
import { forwardHeaders } from './forward-headers.js';
import { headerValue } from './header-value.js';
import type { Reply } from './reply.js';
import { CLIENT_CLOSED, type RequestRecord } from './request-record.js';
import { RequestScope } from './request-scope.js';
import { prepareUpstream, routeModel } from './route.js';
import { SseResponse } from './sse-response.js';

const DEFAULT_PING_MS = 15_000;

export async function handleMessages(req: IncomingMessage, reply: Reply, deps: GatewayDeps, record: RequestRecord): Promise<void> {
  const settings = deps.settings();
  const body = await readJsonBody(req, settings.max_body_bytes);
  const request = validateMessagesRequest(body.json, { anthropicBeta: req.headers['anthropic-beta'] });
  const wantsStream = request.stream === true;
  record.received(request.model, wantsStream);

  if (settings.warmup_interception && isWarmupRequest(request)) return answerWarmup(reply, request, record);

  const route = routeModel(request.model, settings, record, reply);
  const provider = providerFor(deps.providers, route.provider);
  if (!provider) {
    throw new GatewayError(501, `Model "${request.model}" routes to provider "${route.provider}", which this gateway does not serve yet.`, {}, 'api_error');
  }

  const prepared = prepareUpstream(request, body.raw, route.model);
  const scope = new RequestScope(reply.res, settings.request_deadline_ms);
  const ctx: AttemptContext = {
    get signal() {
      return scope.signal;
    },
    onAbort: (listener) => scope.onEnd(listener),
    forwardHeaders: forwardHeaders(req),
    requestId: reply.requestId,
    // A non-streaming answer comes with its headers: its wait is bounded by the deadline alone.
    headersTimeoutMs: wantsStream ? settings.upstream_headers_timeout_ms : 0,
    idleTimeoutMs: settings.upstream_idle_timeout_ms,
  };
  const target: DeliveryTarget = { reply, record, scope, wantsStream, pingIntervalMs: deps.pingIntervalMs ?? DEFAULT_PING_MS };
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;

  try {
    const result = await runAttempts(
      {
        pool: deps.pool,
        route,
        sessionKey: settings.session_affinity ? sessionKeyOf(request) : null,
        record,
        scope,
        decide: (failure, facts) => decideRetry(failure, facts, policy),
        bookkeeping: true,
      },
      async (account, creds) => {
        const sent = await provider.send(provider.prepare(prepared, account), creds, ctx);
        if (!sent.ok) return { ok: false, failure: sent.failure, committed: false, accepted: false };
        // A provider may send a variant of the routed model (a thinking one): the log names it as the header does.
        if (sent.upstreamModel !== route.model) record.routed({ provider: route.provider, model: sent.upstreamModel });
        const headers = sent.relayHeaders;
        headers['x-account-email'] = headerValue(account.label);
        headers['x-mapped-model'] = headerValue(sent.upstreamModel);
        return deliver(target, sent, headers);
      },
    );
    if (result.ok) {
      record.servedBy(result.account);
      record.finish(200);
    } else if (result.kind === 'client_gone') {
      if (result.account) record.servedBy(result.account);
      record.clientGone();
      record.finish(CLIENT_CLOSED);
    } else {
      answerFailure(result, reply, record, route);
    }
  } finally {
    scope.dispose();
  }
}

function answerWarmup(reply: Reply, request: MessagesRequest, record: RequestRecord): void {
  record.answeredLocally('warmup');
  record.usage({ input_tokens: 1, output_tokens: 1 }, 'end_turn');
  record.firstByte();
  const headers = { 'x-warmup-intercepted': 'true' };
  if (request.stream === true) {
    const sse = new SseResponse(reply, DEFAULT_PING_MS, () => {});
    sse.commit(headers);
    sse.writeRaw(FrameBatch.of(warmupEvents(request.model)).bytes);
    sse.end();
  } else {
    reply.json(200, warmupMessage(request.model), headers);
  }
  record.finish(200);
}
