// One HTTP call to an upstream on undici's dispatcher, without `request()`'s per-call stream machinery:
// an answer the caller wants whole (a small JSON message, an error body) is gathered into one Buffer,
// and a stream is handed over as an async iterable of chunks with backpressure. This runs once per
// attempt, so it is where a gateway's per-request overhead either is or is not.

import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export type Headers = IncomingHttpHeaders;

export interface UpstreamCall {
  /** POST unless said otherwise (a GET sends no body). */
  method?: 'GET' | 'POST';
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** JSON text is written as it is; undici encodes it, so no copy of a large body is made first. */
  body: Buffer | string;
  /** Registers what to do when the attempt is abandoned; returns an unsubscribe (AttemptContext.onAbort). */
  onAbort(listener: () => void): () => void;
  /** 0: no limit of its own (the abort bounds the wait). */
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  /** Whether a response with this status and headers is read as a stream rather than gathered. */
  streams(status: number, headers: Headers): boolean;
  /** Bytes gathered at most from a response that is not streamed and not 2xx; the rest is dropped. */
  errorBodyLimit: number;
}

export type UpstreamAnswer =
  { status: number; headers: Headers; streamed: false; body: Buffer } | { status: number; headers: Headers; streamed: true; body: AsyncIterable<Buffer> };

/** Resolves at the response headers (streams) or at its end (everything else); rejects with undici's error. */
export function callUpstream(dispatcher: Dispatcher, call: UpstreamCall): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new CallHandler(call, resolve, reject);
    if (handler.abandoned) return;
    try {
      handler.dispatched = true;
      dispatcher.dispatch(
        {
          origin: call.origin,
          path: call.path,
          method: call.method ?? 'POST',
          headers: call.headers,
          body: call.method === 'GET' ? null : call.body,
          headersTimeout: call.headersTimeoutMs,
          bodyTimeout: call.idleTimeoutMs,
        },
        handler,
      );
    } catch (err) {
      handler.release();
      reject(err);
    }
  });
}

/** One call's state, as one object with its methods on the prototype: no closures made per call. */
class CallHandler implements Dispatcher.DispatchHandler {
  abandoned = false;
  dispatched = false;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: Headers = {};
  private stream: ChunkStream | null = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private limit = Infinity;
  readonly release: () => void;

  constructor(
    private readonly call: UpstreamCall,
    private readonly resolve: (answer: UpstreamAnswer) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    this.release = call.onAbort(() => this.abandon());
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.controller = c;
    if (this.abandoned) c.abort(abortError());
  }

  onResponseStart(c: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    if (statusCode < 200) return; // 1xx: the real answer follows
    this.status = statusCode;
    this.headers = headers;
    if (this.call.streams(statusCode, headers)) {
      this.stream = new ChunkStream(c, this.release);
      this.resolve({ status: statusCode, headers, streamed: true, body: this.stream });
    } else if (statusCode >= 300) {
      this.limit = this.call.errorBodyLimit;
    }
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream) {
      this.stream.push(chunk);
      return;
    }
    if (this.size >= this.limit) return;
    this.size += chunk.length;
    this.chunks.push(chunk);
    // An error body longer than the limit is not worth reading further.
    if (this.size >= this.limit) c.abort(new BodyLimitReached());
  }

  onResponseEnd(): void {
    if (this.stream) {
      this.stream.end();
      return;
    }
    this.release();
    this.resolve({ status: this.status, headers: this.headers, streamed: false, body: this.body() });
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.stream) {
      this.stream.fail(err);
      return;
    }
    this.release();
    if (err instanceof BodyLimitReached) this.resolve({ status: this.status, headers: this.headers, streamed: false, body: this.body() });
    else this.reject(err);
  }

  private body(): Buffer {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size);
  }

  private abandon(): void {
    this.abandoned = true;
    // Before dispatch: reject now. Dispatched but not started: onRequestStart aborts it.
    if (this.controller) this.controller.abort(abortError());
    else if (!this.dispatched) this.reject(abortError());
  }
}

class BodyLimitReached extends Error {}

function abortError(): Error {
  return Object.assign(new Error('the request was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** Chunks queued beyond this pause the upstream socket until the consumer catches up. */
const HIGH_WATER_CHUNKS = 16;
/**
 * What a reader that stopped early lets the upstream still send, read and dropped, so the connection
 * can be kept. A stream usually has only its last bytes left after `message_stop`; more than this is not
 * worth reading, and the connection is cut instead.
 */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * The body of a streamed response as an async iterable. The upstream that fails ends it for the reader;
 * a reader that stops early (return) lets the rest drain, so the keep-alive connection survives, or cuts
 * it when too much is left. Abandoning the attempt (onAbort) cuts it at once.
 */
class ChunkStream implements AsyncIterable<Buffer>, AsyncIterator<Buffer> {
  private queue: Buffer[] = [];
  private ended = false;
  private error: Error | null = null;
  /** Bytes left to drop after the reader stopped; null while it reads. */
  private draining: number | null = null;
  private waiting: { resolve: (r: IteratorResult<Buffer>) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly controller: Dispatcher.DispatchController,
    private readonly onDone: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  push(chunk: Buffer): void {
    if (this.draining !== null) {
      this.draining -= chunk.length;
      if (this.draining < 0) this.controller.abort(new Error('the reader stopped and the upstream kept sending'));
      return;
    }
    const waiter = this.waiting;
    if (waiter) {
      this.waiting = null;
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.queue.push(chunk);
    if (this.queue.length >= HIGH_WATER_CHUNKS && !this.controller.paused) this.controller.pause();
  }

  end(): void {
    this.ended = true;
    this.onDone();
    this.settleWaiter();
  }

  fail(err: Error): void {
    this.error = err;
    this.onDone();
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      if (this.queue.length === 0 && this.controller.paused) this.controller.resume();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<Buffer>> {
    this.queue = [];
    if (!this.ended && !this.error && this.draining === null) {
      this.draining = DRAIN_LIMIT_BYTES;
      if (this.controller.paused) this.controller.resume();
    }
    return { value: undefined, done: true };
  }

  private settleWaiter(): void {
    const waiter = this.waiting;
    if (!waiter) return;
    this.waiting = null;
    if (this.error) waiter.reject(this.error);
    else waiter.resolve({ value: undefined, done: true });
  }
}
