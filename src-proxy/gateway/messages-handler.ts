// POST /v1/messages: validate, answer warmups locally, clean up, route, then try accounts until one
// answers or the retry policy gives up. Response headers are committed only once the upstream's first
// event is in hand, so every failure before that can still go to another account.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account } from '../contract/index.js';
import { collectMessage, messageToEvents, IncompleteStreamError, StreamErrorEvent } from '../anthropic/collector.js';
import { GatewayError } from '../anthropic/errors.js';
import type { PreparedRequest } from '../anthropic/prepared-request.js';
import { Frame, FrameBatch, framesOf } from '../anthropic/sse.js';
import { stripCacheControl } from '../anthropic/cleanup.js';
import type { Message, MessagesRequest, Usage } from '../anthropic/types.js';
import { validateMessagesRequest } from '../anthropic/validate.js';
import { isWarmupRequest, warmupEvents, warmupMessage } from '../anthropic/warmup.js';
import { providerFor, UpstreamError, type AttemptSuccess, type Provider, type UpstreamFailure } from '../providers/types.js';
import type { Route } from '../routing/model-mapping.js';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../routing/retry-policy.js';
import { sessionKeyOf } from '../routing/session-key.js';
import { readJsonBody } from './body.js';
import type { GatewayDeps } from './deps.js';
import { forwardHeaders } from './forward-headers.js';
import { failureFromErrorEvent, failureResponse, streamErrorEvent } from './failures.js';
import { sendError, sendJson, sendRaw, sleep } from './http.js';
import type { RequestRecord } from './request-record.js';
import { prepareUpstream, routeModel } from './route.js';
import { SseResponse } from './sse-response.js';

const DEFAULT_PING_MS = 15_000;
/** Status logged for a request whose client went away before the answer (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** How delivering an upstream answer ended. */
type Delivery =
  | { ok: true }
  | { ok: false; failure: UpstreamFailure; committed: false }
  | { ok: false; failure: UpstreamFailure; committed: true };

export async function handleMessages(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps, record: RequestRecord): Promise<void> {
  const settings = deps.settings();
  const body = await readJsonBody(req, settings.max_body_bytes);
  const request = validateMessagesRequest(body.json);
  record.entry.inbound_model = request.model;
  record.entry.stream = request.stream === true;

  if (settings.warmup_interception && isWarmupRequest(request)) {
    answerWarmup(res, request, record);
    return;
  }

  const route = routeModel(request.model, settings, record, res);
  const provider = providerFor(deps.providers, route.provider);
  if (!provider) {
    throw new GatewayError(501, `Model "${request.model}" routes to provider "${route.provider}", which this gateway does not serve yet.`, {}, 'api_error');
  }

  const prepared = prepareUpstream(request, body.raw, route.model);
  await new Exchange(req, res, deps, record, route, provider, prepared, settings.session_affinity ? sessionKeyOf(request) : null).run();
}

function answerWarmup(res: ServerResponse, request: MessagesRequest, record: RequestRecord): void {
  record.entry.local = 'warmup';
  const headers = { 'x-warmup-intercepted': 'true' };
  const usage = { input_tokens: 1, output_tokens: 1 };
  record.entry.input_tokens = usage.input_tokens;
  record.entry.output_tokens = usage.output_tokens;
  record.entry.stop_reason = 'end_turn';
  record.firstByte();
  if (request.stream === true) {
    const sse = new SseResponse(res, DEFAULT_PING_MS, () => {});
    sse.commit(headers);
    sse.writeRaw(FrameBatch.of(warmupEvents(request.model)).bytes);
    sse.end();
  } else {
    sendJson(res, 200, warmupMessage(request.model), headers);
  }
  record.finish(200);
}

/** One request's walk through the account pool. */
class Exchange {
  private readonly abort = new AbortController();
  private readonly tried = new Set<string>();
  private readonly policy;
  private readonly forwardHeaders: Record<string, string>;
  private lastAccount: Account | null = null;

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly deps: GatewayDeps,
    private readonly record: RequestRecord,
    private readonly route: Route,
    private readonly provider: Provider,
    private readonly prepared: PreparedRequest,
    private readonly sessionKey: string | null,
  ) {
    this.policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.forwardHeaders = forwardHeaders(req);
    // 'close' before the response finished means the client went away: stop the upstream at once.
    res.on('close', () => {
      if (!res.writableFinished) this.abort.abort();
    });
  }

  private get clientGone(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<void> {
    const { pool } = this.deps;
    let stripped: PreparedRequest | null = null;
    let allowExcluded = false;
    let retrySame: Account | null = null;
    let lastFailure: UpstreamFailure | null = null;

    for (let attempt = 1; ; attempt++) {
      let account: Account;
      if (retrySame) {
        account = pool.get(retrySame.id) ?? retrySame;
        retrySame = null;
      } else {
        const sel = pool.select({
          provider: this.route.provider,
          model: this.route.model,
          sessionKey: this.sessionKey,
          exclude: this.tried,
          allowExcluded,
        });
        if (!sel.ok) return this.noAccount(sel.reason, sel.retryAt, lastFailure);
        account = sel.account;
      }
      this.tried.add(account.id);
      this.lastAccount = account;

      const startedAt = performance.now();
      const creds = pool.credentials(account);
      let delivery: Delivery;
      /** 200 when the upstream accepted the request, whatever happened to its answer afterwards. */
      let accepted = false;
      if (!creds) {
        delivery = { ok: false, committed: false, failure: { kind: 'auth', status: null, message: 'no API key is stored for this account', retryAfterMs: null } };
      } else {
        const outbound = this.provider.capabilities(account).acceptsCacheControl
          ? this.prepared
          : (stripped ??= this.prepared.with(stripCacheControl(this.prepared.body)));
        const result = await this.provider.send(outbound, creds, {
          signal: this.abort.signal,
          forwardHeaders: this.forwardHeaders,
          requestId: this.record.id,
          timeoutMs: this.deps.settings().upstream_timeout_ms,
        });
        if (this.clientGone) return this.clientClosed(account, startedAt);
        delivery = result.ok ? await this.deliver(result, account) : { ok: false, committed: false, failure: result.failure };
        accepted = result.ok;
        if (this.clientGone && !delivery.ok) return this.clientClosed(account, startedAt);
      }

      if (delivery.ok) {
        this.setAccount(account);
        this.record.attempt(account, startedAt, { status: 200, failure: null, message: null });
        pool.recordSuccess(account.id, { input_tokens: this.record.entry.input_tokens, output_tokens: this.record.entry.output_tokens });
        this.record.finish(200);
        return;
      }

      const { failure } = delivery;
      lastFailure = failure;
      this.record.attempt(account, startedAt, { status: failure.status ?? (accepted ? 200 : null), failure: failure.kind, message: failure.message });
      const decision = decideRetry(failure, attempt, this.policy);
      pool.recordFailure(account.id, this.route.model, failure.kind, failure.message, decision.account);

      if (delivery.committed) {
        // The 200 is out; the stream already carries the error. Nothing more can be retried.
        this.record.entry.error_type = streamErrorEvent(failure).error.type;
        this.record.entry.error_message = failure.message;
        this.record.finish(200);
        return;
      }
      const next = decision.next;
      if (next.action === 'fail') return this.fail(failure, account);
      if (next.action === 'retry_same') retrySame = account;
      else allowExcluded = next.allowRetried;
      await sleep(next.delayMs, this.abort.signal);
      if (this.clientGone) return this.clientClosed(account, null);
    }
  }

  /** Sends a successful upstream answer in the shape the client asked for. */
  private async deliver(result: AttemptSuccess, account: Account): Promise<Delivery> {
    const wantsStream = this.prepared.body.stream === true;
    if (result.kind === 'message') {
      this.observeUsage(result.message.usage, result.message.stop_reason);
      if (!wantsStream) {
        this.record.firstByte();
        sendRaw(this.res, 200, result.raw ?? JSON.stringify(result.message), this.successHeaders(account, result));
        return { ok: true };
      }
      return this.stream(result, account, oneBatch(result.message));
    }
    return wantsStream ? this.stream(result, account, result.batches) : this.collect(result, account, result.batches);
  }

  private async collect(result: AttemptSuccess, account: Account, batches: AsyncIterable<FrameBatch>): Promise<Delivery> {
    let message: Message;
    try {
      message = await collectMessage(framesOf(batches));
    } catch (err) {
      return { ok: false, committed: false, failure: failureOf(err) };
    }
    this.observeUsage(message.usage, message.stop_reason);
    this.record.firstByte();
    sendJson(this.res, 200, message, this.successHeaders(account, result));
    return { ok: true };
  }

  /**
   * Relays a stream batch by batch: each upstream chunk is one write of its own bytes, and only the type
   * of each event is looked at (plus the two that carry usage).
   */
  private async stream(result: AttemptSuccess, account: Account, batches: AsyncIterable<FrameBatch>): Promise<Delivery> {
    const it = batches[Symbol.asyncIterator]();
    let batch: FrameBatch;
    try {
      batch = await firstEventBatch(it);
    } catch (err) {
      return { ok: false, committed: false, failure: failureOf(err) };
    }
    if (batch.frames[0]!.type === 'error') {
      await it.return?.();
      return { ok: false, committed: false, failure: failureFromErrorEvent(errorOf(batch.frames[0]!)) };
    }

    const sse = new SseResponse(this.res, this.deps.pingIntervalMs ?? DEFAULT_PING_MS, () => this.record.firstByte());
    sse.commit(this.successHeaders(account, result));
    try {
      for (;;) {
        const end = this.observeBatch(batch);
        await sse.write(batch.bytes);
        if (end === 'message_stop') {
          await it.return?.();
          sse.end();
          return { ok: true };
        }
        if (end !== null) {
          // The upstream's own error event went to the client as is; the stream is over.
          sse.end();
          return { ok: false, committed: true, failure: failureFromErrorEvent(errorOf(end)) };
        }
        if (this.clientGone) break;
        const next = await it.next();
        if (next.done) break;
        batch = next.value;
      }
    } catch (err) {
      const failure = failureOf(err);
      if (!this.clientGone) sse.writeRaw(Frame.of(streamErrorEvent(failure)).raw);
      sse.end();
      return { ok: false, committed: true, failure };
    }
    if (this.clientGone) {
      sse.stop();
      return { ok: false, committed: true, failure: { kind: 'stream', status: 200, message: 'client went away', retryAfterMs: null } };
    }
    const failure: UpstreamFailure = { kind: 'stream', status: 200, message: 'upstream stream ended before message_stop', retryAfterMs: null };
    sse.writeRaw(Frame.of(streamErrorEvent(failure)).raw);
    sse.end();
    return { ok: false, committed: true, failure };
  }

  /** Notes usage and the stop reason; says whether the batch ends the stream (its stop, or an error frame). */
  private observeBatch(batch: FrameBatch): 'message_stop' | Frame | null {
    for (const frame of batch.frames) {
      switch (frame.type) {
        case 'message_start': {
          const usage = (frame.event as { message?: Message }).message?.usage;
          if (usage) this.observeUsage(usage, null);
          break;
        }
        case 'message_delta': {
          const ev = frame.event as { usage?: Partial<Usage>; delta?: { stop_reason?: string | null } };
          this.observeUsage(ev.usage ?? {}, ev.delta?.stop_reason ?? null);
          break;
        }
        case 'message_stop':
          return 'message_stop';
        case 'error':
          return frame;
      }
    }
    return null;
  }

  private successHeaders(account: Account, result: AttemptSuccess): Record<string, string> {
    return { ...result.relayHeaders, 'x-account-email': account.label, 'x-mapped-model': result.upstreamModel };
  }

  private observeUsage(usage: Partial<Usage>, stopReason: string | null): void {
    const e = this.record.entry;
    if (typeof usage.input_tokens === 'number') e.input_tokens = usage.input_tokens;
    if (typeof usage.output_tokens === 'number') e.output_tokens = usage.output_tokens;
    if (typeof usage.cache_read_input_tokens === 'number') e.cache_read_input_tokens = usage.cache_read_input_tokens;
    if (typeof usage.cache_creation_input_tokens === 'number') e.cache_creation_input_tokens = usage.cache_creation_input_tokens;
    if (stopReason) e.stop_reason = stopReason;
  }

  private setAccount(account: Account): void {
    this.record.entry.account_id = account.id;
    this.record.entry.account_label = account.label;
  }

  private fail(failure: UpstreamFailure, account: Account): void {
    this.setAccount(account);
    const err = failureResponse(failure, account.label);
    this.res.setHeader('x-account-email', account.label);
    this.record.entry.error_type = err.type;
    this.record.entry.error_message = err.message;
    if (failure.kind === 'invalid' && failure.clientBody !== undefined) {
      sendJson(this.res, err.status, failure.clientBody);
    } else {
      sendError(this.res, err, this.record.id);
    }
    this.record.finish(err.status);
  }

  private noAccount(reason: 'no_accounts' | 'all_cooling' | 'exhausted', retryAt: number | null, lastFailure: UpstreamFailure | null): void {
    // After a failed attempt, the client learns what that attempt met, not merely that the pool ran dry.
    if (reason !== 'all_cooling' && lastFailure && this.lastAccount) return this.fail(lastFailure, this.lastAccount);
    if (this.lastAccount) this.res.setHeader('x-account-email', this.lastAccount.label);
    let err: GatewayError;
    if (reason === 'all_cooling') {
      const waitMs = Math.max(0, (retryAt ?? Date.now()) - Date.now());
      const at = new Date(Date.now() + waitMs).toISOString();
      err = new GatewayError(
        429,
        `Every ${this.route.provider} account that can serve ${this.route.model} is cooling down after rate limits; the first is available again at ${at}.`,
        { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      );
    } else {
      err = new GatewayError(
        503,
        `No enabled ${this.route.provider} account can serve ${this.route.model}. Add one (switchyard accounts add) or re-enable one in the console.`,
        { 'x-should-retry': 'false' },
        'api_error',
      );
    }
    if (this.lastAccount) this.setAccount(this.lastAccount);
    this.record.entry.error_type = err.type;
    this.record.entry.error_message = err.message;
    sendError(this.res, err, this.record.id);
    this.record.finish(err.status);
  }

  private clientClosed(account: Account, startedAt: number | null): void {
    this.setAccount(account);
    if (startedAt !== null && !this.record.entry.attempts.some((a) => a.account_id === account.id && a.failure === null)) {
      this.record.attempt(account, startedAt, { status: null, failure: null, message: 'client went away' });
    }
    this.record.entry.client_aborted = true;
    this.record.finish(CLIENT_CLOSED);
  }
}

async function* oneBatch(message: Message): AsyncGenerator<FrameBatch> {
  yield FrameBatch.of(messageToEvents(message));
}

/** The first batch that carries an event; a stream that ends before one is a failed attempt. */
async function firstEventBatch(it: AsyncIterator<FrameBatch>): Promise<FrameBatch> {
  for (;;) {
    const next = await it.next();
    if (next.done) throw new IncompleteStreamError('upstream stream ended before its first event');
    if (next.value.frames.length > 0) return next.value;
  }
}

function errorOf(frame: Frame): { type?: unknown; message?: unknown } {
  const ev = frame.event as { error?: { type?: unknown; message?: unknown } };
  return ev.error ?? {};
}

function failureOf(err: unknown): UpstreamFailure {
  if (err instanceof UpstreamError) return err.failure;
  if (err instanceof StreamErrorEvent) return failureFromErrorEvent(err.error);
  if (err instanceof IncompleteStreamError) return { kind: 'stream', status: 200, message: err.message, retryAfterMs: null };
  if (err instanceof SyntaxError) return { kind: 'stream', status: 200, message: `upstream sent malformed event data (${err.message})`, retryAfterMs: null };
  return { kind: 'stream', status: null, message: err instanceof Error ? err.message : String(err), retryAfterMs: null };
}
