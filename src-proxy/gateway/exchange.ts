// One request, from its first byte to its log entry. The exchange owns the answer being built (Reply),
// the log entry (RequestRecord) and, once upstreams are to be asked, the request's scope and the one
// AttemptContext its attempts share. It has the only ways a request ends: a JSON answer, an event
// stream (opened, then closed), a failure, or a client that left. Each writes what the client gets and
// finishes the log entry with the status that was actually sent, so no handler finishes a record.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, GatewayError, withRetryAdvice } from '../anthropic/errors.js';
import type { ProviderKind, RequestLogEntry } from '../contract/index.js';
import type { Redact } from '../lib/redactor.js';
import type { AttemptContext } from '../providers/types.js';
import type { RunResult } from './attempt-runner.js';
import { ClientClosedError } from './body.js';
import type { Route } from '../routing/model-mapping.js';
import { failureResponse, noAccountResponse, streamErrorEvent } from './error-responses.js';
import { forwardHeaders } from './forward-headers.js';
import { Reply, type HeaderMap } from './reply.js';
import { CLIENT_CLOSED, RequestRecord } from './request-record.js';
import { RequestScope } from './request-scope.js';
import { failedLinks } from './route-summary.js';
import { SseResponse } from './sse-response.js';

export interface ExchangeOptions {
  /** Where the finished log entry goes. */
  publish(entry: RequestLogEntry): void;
  /** Keep-alive ping period of the event streams. */
  pingIntervalMs: number;
  /** Unexpected exceptions (bugs), for the shell to report; never sent to clients in detail. */
  onInternalError?(err: unknown): void;
  /** Cuts the secrets the gateway holds out of text an upstream sent. */
  redact: Redact;
}

/** How long the request's attempts may take, as a whole and per upstream call. */
export interface AttemptLimits {
  deadlineMs: number;
  /** 0 leaves the wait for response headers to the deadline. */
  headersTimeoutMs: number;
  idleTimeoutMs: number;
}

/** A run the attempt loop gave up on before the client got what it asked for. */
export type FailedRun = Extract<RunResult<unknown>, { kind: 'failed' | 'no_account' }>;

interface AccountRef {
  id: string;
  label: string;
}

export class Exchange {
  readonly record: RequestRecord;
  private readonly reply: Reply;
  private scopeOf: RequestScope | null = null;
  private context: AttemptContext | null = null;
  private stream: SseResponse | null = null;
  private mappedModel: string | null = null;
  private mappedProvider: ProviderKind | null = null;
  private done = false;

  constructor(
    readonly id: string,
    /** `params`: what the route's path captured (Express sets them). */
    readonly req: IncomingMessage & { params?: Record<string, string | string[]> },
    readonly res: ServerResponse,
    readonly method: string,
    /** Without its query and without a trailing slash. */
    readonly path: string,
    /** The raw query string, without `?`. */
    readonly query: string,
    route: RequestLogEntry['route'],
    private readonly options: ExchangeOptions,
  ) {
    this.reply = new Reply(res, id);
    this.record = new RequestRecord(id, method, path, route, options.publish);
  }

  /** Cuts the secrets the gateway holds out of text an upstream sent, before it goes anywhere. */
  get redact(): Redact {
    return this.options.redact;
  }

  /** Whether the request has ended one of the ways below. */
  get ended(): boolean {
    return this.done;
  }

  /** The upstream model (and provider) the request goes to, in the log and in `X-Mapped-Model` alike. */
  mapped(route: { provider: ProviderKind; model: string }): void {
    // A fallback link may send the same model id to another provider: both count.
    if (route.model === this.mappedModel && route.provider === this.mappedProvider) return;
    this.mappedModel = route.model;
    this.mappedProvider = route.provider;
    this.record.routed(route);
    this.reply.set('x-mapped-model', route.model);
  }

  /** The account serving the current attempt, or the one that failed last: in the log and in `X-Account-Email`. */
  servedBy(account: AccountRef): void {
    this.record.servedBy(account);
    this.reply.set('x-account-email', account.label);
  }

  /** The context every upstream attempt of this request runs in; its scope starts with the first call. */
  attemptContext(limits: AttemptLimits): AttemptContext {
    if (this.context) return this.context;
    const scope = new RequestScope(this.res, limits.deadlineMs);
    this.scopeOf = scope;
    this.context = {
      get signal() {
        return scope.signal;
      },
      onAbort: (listener) => scope.onEnd(listener),
      forwardHeaders: forwardHeaders(this.req),
      requestId: this.id,
      headersTimeoutMs: limits.headersTimeoutMs,
      idleTimeoutMs: limits.idleTimeoutMs,
    };
    return this.context;
  }

  /** The request's life as its attempts see it; there is one once `attemptContext` was called. */
  get scope(): RequestScope {
    if (!this.scopeOf) throw new Error('the exchange has no scope before its attempt context');
    return this.scopeOf;
  }

  // ---- the ways a request ends ----

  /** Answers with `body` as JSON; bytes are sent as they are. */
  answer(status: number, body: unknown, headers?: HeaderMap): void {
    if (this.done) return this.endedTwice('answer');
    this.record.firstByte();
    if (typeof body === 'string' || Buffer.isBuffer(body)) this.reply.raw(status, body, headers);
    else this.reply.json(status, body, headers);
    this.finish(status);
  }

  /** Commits a 200 event stream. The request ends when it is closed: closeStream, fail or clientLeft. */
  openStream(headers?: HeaderMap): SseResponse {
    const sse = new SseResponse(this.reply, this.options.pingIntervalMs, () => this.record.firstByte());
    sse.commit(headers);
    this.stream = sse;
    return sse;
  }

  /** Ends the open stream after its last event. */
  closeStream(): void {
    if (this.done) return this.endedTwice('closeStream');
    this.stream?.end();
    this.finish(200);
  }

  /**
   * Ends the request with what was thrown while handling it: a GatewayError is answered as it says, a
   * client gone during its upload is a client that left, anything else is a bug of ours.
   */
  fail(err: unknown): void {
    if (err instanceof ClientClosedError) return this.clientLeft();
    if (this.done) return this.endedTwice('fail', err);
    if (err instanceof GatewayError) {
      this.record.failed(err.type, err.message);
      return this.send(err.status, errorBody(err.type, err.message, this.id), err.headers);
    }
    this.options.onInternalError?.(err);
    this.record.failed('api_error', 'internal gateway error');
    this.send(500, errorBody('api_error', `Internal gateway error while handling ${this.method} ${this.path}.`, this.id));
  }

  /** Ends a request the attempt loop gave up on, and notes in the log what the client was told. */
  failRun(result: FailedRun, route: Pick<Route, 'links'>): void {
    if (this.done) return this.endedTwice('failRun');
    if (result.account) this.servedBy(result.account);
    // A route of several links names the link the answer is about, and says what became of each.
    const link = route.links[result.link] ?? route.links[0]!;
    const chain = route.links.length > 1 ? failedLinks(this.record.linkRecords) || null : null;
    if (route.links.length > 1) this.mapped(link);
    if (result.kind === 'failed' && result.committed) {
      // The 200 is out and the stream already carries the error.
      this.record.failed(streamErrorEvent(result.failure).error.type, result.failure.message);
      this.stream?.end();
      return this.finish(200);
    }
    const err =
      result.kind === 'no_account' ? noAccountResponse(result, link, Date.now(), chain) : failureResponse(result.failure, result.account.label, chain);
    this.record.failed(err.type, err.message);
    // An upstream's own answer to a bad request is relayed as it is: it names the problem best.
    const relayed = result.kind === 'failed' && result.failure.kind === 'invalid' ? result.failure.clientBody : undefined;
    if (relayed !== undefined) this.send(err.status, relayed, err.headers);
    else this.send(err.status, errorBody(err.type, err.message, this.id), err.headers);
  }

  /** The client went away: nobody is left to answer, and the log says so (status 499). */
  clientLeft(account?: AccountRef | null): void {
    if (this.done) return;
    if (account) this.record.servedBy(account);
    this.record.clientGone();
    this.stream?.stop();
    this.res.destroy();
    this.finish(CLIENT_CLOSED);
  }

  /**
   * An error body, with the retry advice its status calls for; once an answer has begun, the connection
   * is cut instead and the log keeps its status.
   */
  private send(status: number, body: unknown, headers?: HeaderMap): void {
    if (this.reply.sent) {
      this.stream?.stop();
      this.res.destroy();
      return this.finish(this.res.statusCode);
    }
    this.reply.json(status, body, withRetryAdvice(status, headers));
    this.finish(status);
  }

  private finish(status: number): void {
    this.done = true;
    this.scopeOf?.dispose();
    this.record.finish(status);
  }

  /** A second ending is a bug: the first one stands, and the shell hears of it. */
  private endedTwice(how: string, cause?: unknown): void {
    this.options.onInternalError?.(cause ?? new Error(`${this.method} ${this.path}: ${how} after the request had ended`));
  }
}
