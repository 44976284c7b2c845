// What every provider does to reach its upstream, once: a keep-alive pool (its own, or one injected by
// tests), base URLs parsed once, one POST per attempt within the attempt's timeouts and abort, network
// errors classified, and a non-2xx answer handed to the provider's own classifier.

import { Agent, type Dispatcher } from 'undici';
import type { AttemptContext, UpstreamFailure } from '../types.js';
import { BaseUrls } from './base-urls.js';
import { classifyNetworkError, streamFailure } from './network-errors.js';
import type { Headers } from './retry-hints.js';
import { callUpstream, type UpstreamAnswer } from './upstream-call.js';

/** Error bodies are short; anything longer is not worth holding in memory. */
const MAX_ERROR_BODY = 64 * 1024;

export interface UpstreamPost {
  /** POST unless said otherwise (a GET sends no body). */
  method?: 'GET' | 'POST';
  baseUrl: string;
  /** Appended to the base URL's path. */
  path: string;
  headers: Record<string, string>;
  /** JSON text is written as it is; undici encodes it, so no copy of a large body is made first. */
  body: Buffer | string;
  /** Whether a 2xx answer is read as a stream rather than gathered (or a test of its headers). */
  streams: boolean | ((headers: Headers) => boolean);
  /** The account's key, for the classifier to scrub from anything it keeps. */
  secret: string;
  /** The provider's reading of a non-2xx answer (status, headers, first bytes), as a failure. */
  classify: FailureClassifier;
}

export type FailureClassifier = (status: number, headers: Headers, bodyText: string, now: number, secret: string) => UpstreamFailure;

export class UpstreamClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly bases = new BaseUrls();

  constructor(
    dispatcher?: Dispatcher,
    private readonly now: () => number = Date.now,
  ) {
    this.ownsDispatcher = !dispatcher;
    this.dispatcher = dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000 });
  }

  /** A 2xx answer, or the failure the attempt met. */
  async post(p: UpstreamPost, ctx: AttemptContext): Promise<UpstreamAnswer | { failure: UpstreamFailure }> {
    const base = this.bases.of(p.baseUrl);
    let res: UpstreamAnswer;
    try {
      res = await callUpstream(this.dispatcher, {
        ...(p.method ? { method: p.method } : {}),
        origin: base.origin,
        path: base.path + p.path,
        headers: p.headers,
        body: p.body,
        onAbort: ctx.onAbort,
        headersTimeoutMs: ctx.headersTimeoutMs,
        idleTimeoutMs: ctx.idleTimeoutMs,
        streams: (status, headers) => isSuccess(status) && (typeof p.streams === 'boolean' ? p.streams : p.streams(headers)),
        errorBodyLimit: MAX_ERROR_BODY,
      });
    } catch (err) {
      // A body that broke after its headers is a broken stream, not an unreachable upstream.
      return { failure: brokeMidBody(err) ? streamFailure(err, ctx) : classifyNetworkError(err, ctx) };
    }
    if (isSuccess(res.status)) return res;
    return { failure: p.classify(res.status, res.headers, res.streamed ? '' : res.body.toString('utf8'), this.now(), p.secret) };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function brokeMidBody(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_SOCKET';
}
