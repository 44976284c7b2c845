// Anthropic-compatible upstreams (Anthropic, z.ai, Kimi, DeepSeek, MiniMax ...) over API keys. The
// request goes out as the client shaped it (only the model may change); the answer comes back byte for
// byte. Streams are split into frames without being re-encoded so the gateway can still see the first
// event, the usage and the stop reason.

import type { Dispatcher } from 'undici';
import type { AccountOf } from '../../contract/index.js';
import { PreparedRequest } from '../../anthropic/prepared-request.js';
import { SseSplitter, type Frame, type FrameBatch } from '../../anthropic/sse.js';
import { stripCacheControl } from '../../anthropic/cleanup.js';
import type { CountTokensRequest, Message, RequestBase, StreamEvent } from '../../anthropic/types.js';
import type { AccountCredentials, AccountStatePort } from '../../accounts/pool-ports.js';
import {
  UpstreamError,
  type AttemptContext,
  type AttemptResult,
  type CountTokensResult,
  type Provider,
  type ProviderCapabilities,
  type UpstreamFailure,
} from '../types.js';
import { streamFailure, type TimeoutSettings } from '../shared/network-errors.js';
import { asksForStream } from '../shared/answer-shape.js';
import type { UpstreamAnswer } from '../shared/upstream-call.js';
import { UpstreamClient, type UpstreamPost } from '../shared/upstream-client.js';
import { classifyHttpFailure, type Headers } from './classify.js';
import { anthropicHistory } from './history.js';
import { readRateLimits } from './rate-limit-headers.js';
import { SignatureOrigins } from './signature-origins.js';

type AnthropicAccount = AccountOf<'anthropic'>;

const DEFAULT_VERSION = '2023-06-01';
const RELAYED_PREFIX = 'anthropic-ratelimit-';

export interface AnthropicProviderOptions {
  /** Injected for tests; by default one keep-alive pool per upstream origin. */
  dispatcher?: Dispatcher;
  /** Where the rate-limit windows each answer reports are kept, per account. */
  state?: AccountStatePort;
  userAgent?: string;
  now?: () => number;
  /** Which upstream signed each thinking block seen; one per gateway by default. */
  origins?: SignatureOrigins;
}

export class AnthropicProvider implements Provider<AnthropicAccount> {
  readonly kind = 'anthropic' as const;
  private readonly http: UpstreamClient;
  private readonly userAgent: string;

  private readonly state: AccountStatePort | undefined;
  private readonly origins: SignatureOrigins;

  constructor(opts: AnthropicProviderOptions = {}) {
    this.state = opts.state;
    this.origins = opts.origins ?? new SignatureOrigins();
    this.http = new UpstreamClient(opts.dispatcher, opts.now);
    this.userAgent = opts.userAgent ?? 'switchyard';
  }

  capabilities(account: AnthropicAccount): ProviderCapabilities {
    return { countTokens: account.options.count_tokens };
  }

  prepare<R extends RequestBase>(req: PreparedRequest<R>, account: AnthropicAccount): PreparedRequest<R> {
    // Thinking another model family or another upstream wrote cannot be verified here; the conversion is
    // made once per request and upstream.
    const origin = account.options.base_url;
    const history = req.variant(`anthropic-history ${origin}`, (r) => anthropicHistory(r, (signature) => this.origins.foreignTo(signature, origin)));
    // Some compatible upstreams answer 400 to any cache_control field; Anthropic itself takes them.
    if (!account.options.strip_cache_control) return history;
    return history.variant('no-cache-control', (r) => r.with(stripCacheControl(r.body)));
  }

  async send(req: PreparedRequest, creds: AccountCredentials<AnthropicAccount>, ctx: AttemptContext): Promise<AttemptResult> {
    const upstreamModel = req.body.model;
    // A non-streaming client's answer may still be asked for as a stream and collected by the gateway,
    // when it may take longer than the headers wait allows (answer-shape.ts). Either way, what comes back
    // is read by its content type: some compatible upstreams ignore `stream: true` and answer with one
    // JSON message, which is still an answer, gathered here.
    const sent = asksForStream(req.body, ctx.headersTimeoutMs) ? asStream(req) : req;
    const res = await this.post('/v1/messages', sent.toBuffer(), creds, ctx, notJson);
    if ('failure' in res) return { ok: false, failure: res.failure };
    const limits = readRateLimits(res.headers);
    if (limits.length > 0) this.state?.learned(creds.account.id, { rate_limits: limits });
    const relayHeaders = relayed(res.headers);
    const origin = creds.account.options.base_url;
    if (res.streamed) {
      return { ok: true, kind: 'stream', batches: sseBatches(res.body, ctx, this.origins, origin), upstreamModel, relayHeaders, notes: req.notes };
    }
    let message: Message | null = null;
    try {
      message = JSON.parse(res.body.toString('utf8')) as Message;
    } catch {
      // Reported below with the same words as any other body that is not a message.
    }
    if (message?.type !== 'message' || !Array.isArray(message.content)) {
      return {
        ok: false,
        failure: { kind: 'server', status: res.status, message: 'upstream answered 200 with something that is not an Anthropic message', retryAfterMs: null },
      };
    }
    for (const block of message.content) if (block?.type === 'thinking' && typeof block.signature === 'string') this.origins.remember(block.signature, origin);
    return { ok: true, kind: 'message', message, raw: res.body, upstreamModel, relayHeaders, notes: req.notes };
  }

  async countTokens(req: PreparedRequest<CountTokensRequest>, creds: AccountCredentials<AnthropicAccount>, ctx: AttemptContext): Promise<CountTokensResult> {
    const res = await this.post('/v1/messages/count_tokens', req.toBuffer(), creds, ctx, false);
    if ('failure' in res) return { ok: false, failure: res.failure };
    try {
      const body = JSON.parse(res.body.toString('utf8')) as { input_tokens?: unknown };
      if (typeof body.input_tokens === 'number' && body.input_tokens >= 0) return { ok: true, inputTokens: body.input_tokens };
    } catch {
      // Reported below.
    }
    return { ok: false, failure: { kind: 'server', status: res.status, message: 'upstream count_tokens answer has no input_tokens', retryAfterMs: null } };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private post(
    path: string,
    body: Buffer,
    { account, secret }: AccountCredentials<AnthropicAccount>,
    ctx: AttemptContext,
    streams: UpstreamPost['streams'],
  ): Promise<UpstreamAnswer | { failure: UpstreamFailure }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'anthropic-version': ctx.forwardHeaders['anthropic-version'] ?? DEFAULT_VERSION,
      'user-agent': this.userAgent,
    };
    const beta = ctx.forwardHeaders['anthropic-beta'];
    if (beta) headers['anthropic-beta'] = beta;
    if (account.options.auth_scheme === 'bearer') headers.authorization = `Bearer ${secret}`;
    else headers['x-api-key'] = secret;
    return this.http.post(
      {
        baseUrl: account.options.base_url,
        path,
        headers,
        body,
        streams,
        secret,
        classify: classifyHttpFailure,
      },
      ctx,
    );
  }
}

/**
 * The request with `stream: true`. A request without a `stream` field keeps the client's bytes, the field
 * appended, and so does one whose last field is `"stream": false` (as a client that names it mostly
 * writes it), the value turned: what the upstream gets is still what the client wrote, and a long
 * conversation is not written anew.
 */
function asStream(req: PreparedRequest): PreparedRequest {
  if (req.body.stream === true) return req;
  return req.variant('streamed', (r) => {
    const body = { ...r.body, stream: true };
    if ('stream' in r.body) return streamTurnedOn(r, body) ?? r.with(body);
    const bytes = r.toBuffer();
    const end = bytes.lastIndexOf('}');
    return new PreparedRequest(body, Buffer.concat([bytes.subarray(0, end), Buffer.from(',"stream":true'), bytes.subarray(end)]), r.notes);
  });
}

/** `"stream": false` and the object's end, with the whitespace JSON allows, at the end of the text. */
const STREAM_FALSE_AT_END = /"stream"\s*:\s*false\s*\}\s*$/;

/**
 * The client's bytes with `"stream": false` made `true`, when it is the last field: only then is its text
 * at the very end, where nothing inside a string can stand (the object's `}` would have to follow it).
 * A request whose fields parse in another order, or that spells the name with escapes, is written anew.
 */
function streamTurnedOn(r: PreparedRequest, body: PreparedRequest['body']): PreparedRequest | null {
  const keys = Object.keys(r.body);
  if (r.body.stream !== false || keys[keys.length - 1] !== 'stream') return null;
  const bytes = r.toBuffer();
  const from = Math.max(0, bytes.length - 64);
  const tail = STREAM_FALSE_AT_END.exec(bytes.toString('latin1', from));
  if (!tail) return null;
  return new PreparedRequest(body, Buffer.concat([bytes.subarray(0, from + tail.index), Buffer.from('"stream":true}')]), r.notes);
}

/** Some compatible upstreams answer a streaming request with one JSON message: that is gathered instead. */
function notJson(headers: Headers): boolean {
  const type = headers['content-type'];
  return !(typeof type === 'string' && type.toLowerCase().startsWith('application/json'));
}

function relayed(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    if (name.startsWith(RELAYED_PREFIX)) out[name] = value;
    else if (name === 'request-id') out['x-upstream-request-id'] = value;
  }
  return out;
}

const SIGNATURE_DELTA = '"signature_delta"';

function rememberSignature(frame: Frame, origins: SignatureOrigins, origin: string): void {
  let event: StreamEvent;
  try {
    event = frame.event;
  } catch {
    return; // Not JSON: relayed as it came, the client's to judge.
  }
  if (event.type === 'content_block_delta' && typeof event.delta.signature === 'string') origins.remember(event.delta.signature, origin);
}

/** The batches as they arrive; the signature of each thinking block is remembered with its upstream on the way. */
async function* sseBatches(body: AsyncIterable<Buffer>, timeouts: TimeoutSettings, origins: SignatureOrigins, origin: string): AsyncGenerator<FrameBatch> {
  const splitter = new SseSplitter();
  try {
    for await (const chunk of body) {
      const batch = splitter.pushBatch(chunk);
      if (!batch) continue;
      for (const frame of batch.frames) {
        // One byte search per delta; the event is parsed only when it carries a signature.
        if (frame.type === 'content_block_delta' && frame.raw.includes(SIGNATURE_DELTA)) rememberSignature(frame, origins, origin);
      }
      yield batch;
    }
  } catch (err) {
    throw new UpstreamError(streamFailure(err, timeouts));
  }
}
