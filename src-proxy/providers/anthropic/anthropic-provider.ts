// Anthropic-compatible upstreams (Anthropic, z.ai, Kimi, DeepSeek, MiniMax ...) over API keys. The
// request goes out as the client shaped it (only the model may change); the answer comes back byte for
// byte. Streams are split into frames without being re-encoded so the gateway can still see the first
// event, the usage and the stop reason.

import { Agent, request, type Dispatcher } from 'undici';
import type { AccountOf } from '../../contract/index.js';
import type { PreparedRequest } from '../../anthropic/prepared-request.js';
import { SseSplitter, type FrameBatch } from '../../anthropic/sse.js';
import type { CountTokensRequest, Message } from '../../anthropic/types.js';
import {
  UpstreamError,
  type AccountCredentials,
  type AttemptContext,
  type AttemptResult,
  type CountTokensResult,
  type Provider,
  type ProviderCapabilities,
} from '../types.js';
import { classifyHttpFailure, classifyNetworkError, type Headers, type TimeoutSettings } from './classify.js';

type AnthropicAccount = AccountOf<'anthropic'>;

const DEFAULT_VERSION = '2023-06-01';
/** Error bodies are short; anything longer is not worth holding in memory. */
const MAX_ERROR_BODY = 64 * 1024;
const RELAYED_PREFIX = 'anthropic-ratelimit-';

export interface AnthropicProviderOptions {
  /** Injected for tests; by default one keep-alive pool per upstream origin. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  now?: () => number;
}

export class AnthropicProvider implements Provider<AnthropicAccount> {
  readonly kind = 'anthropic' as const;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly userAgent: string;
  private readonly now: () => number;

  constructor(opts: AnthropicProviderOptions = {}) {
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000 });
    this.userAgent = opts.userAgent ?? 'switchyard';
    this.now = opts.now ?? Date.now;
  }

  capabilities(account: AnthropicAccount): ProviderCapabilities {
    return { acceptsCacheControl: !account.options.strip_cache_control, countTokens: account.options.count_tokens };
  }

  async send(req: PreparedRequest, creds: AccountCredentials<AnthropicAccount>, ctx: AttemptContext): Promise<AttemptResult> {
    const upstreamModel = req.body.model;
    const res = await this.post('/v1/messages', req.toBuffer(), creds, ctx);
    if ('failure' in res) return { ok: false, failure: res.failure };
    const relayHeaders = relayed(res.headers);
    // Some compatible upstreams ignore `stream: true` and answer with one JSON message; that is still an
    // answer, and the gateway streams it to the client itself.
    if (req.body.stream === true && !isJson(res.headers)) {
      return { ok: true, kind: 'stream', batches: sseBatches(res.body, ctx), upstreamModel, relayHeaders };
    }
    let raw: Buffer;
    try {
      raw = await readAll(res.body);
    } catch (err) {
      return { ok: false, failure: streamFailure(err, ctx) };
    }
    let message: Message | null = null;
    try {
      message = JSON.parse(raw.toString('utf8')) as Message;
    } catch {
      // Reported below with the same words as any other body that is not a message.
    }
    if (message?.type !== 'message' || !Array.isArray(message.content)) {
      return { ok: false, failure: { kind: 'server', status: res.statusCode, message: 'upstream answered 200 with something that is not an Anthropic message', retryAfterMs: null } };
    }
    return { ok: true, kind: 'message', message, raw, upstreamModel, relayHeaders };
  }

  async countTokens(
    req: PreparedRequest<CountTokensRequest>,
    creds: AccountCredentials<AnthropicAccount>,
    ctx: AttemptContext,
  ): Promise<CountTokensResult> {
    const res = await this.post('/v1/messages/count_tokens', req.toBuffer(), creds, ctx);
    if ('failure' in res) return { ok: false, failure: res.failure };
    try {
      const body = JSON.parse((await readAll(res.body)).toString('utf8')) as { input_tokens?: unknown };
      if (typeof body.input_tokens === 'number' && body.input_tokens >= 0) return { ok: true, inputTokens: body.input_tokens };
    } catch (err) {
      return { ok: false, failure: streamFailure(err, ctx) };
    }
    return { ok: false, failure: { kind: 'server', status: res.statusCode, message: 'upstream count_tokens answer has no input_tokens', retryAfterMs: null } };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async post(
    path: string,
    body: Buffer,
    { account, secret }: AccountCredentials<AnthropicAccount>,
    ctx: AttemptContext,
  ): Promise<{ statusCode: number; headers: Headers; body: Dispatcher.ResponseData['body'] } | { failure: ReturnType<typeof classifyNetworkError> }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'anthropic-version': ctx.forwardHeaders['anthropic-version'] ?? DEFAULT_VERSION,
      'user-agent': this.userAgent,
    };
    const beta = ctx.forwardHeaders['anthropic-beta'];
    if (beta) headers['anthropic-beta'] = beta;
    if (account.options.auth_scheme === 'bearer') headers.authorization = `Bearer ${secret}`;
    else headers['x-api-key'] = secret;

    let res: Dispatcher.ResponseData;
    try {
      res = await request(account.options.base_url + path, {
        method: 'POST',
        headers,
        body,
        signal: ctx.signal,
        dispatcher: this.dispatcher,
        headersTimeout: ctx.headersTimeoutMs,
        bodyTimeout: ctx.idleTimeoutMs,
      });
    } catch (err) {
      return { failure: classifyNetworkError(err, ctx) };
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return { statusCode: res.statusCode, headers: res.headers, body: res.body };
    let text = '';
    try {
      text = (await readAll(res.body, MAX_ERROR_BODY)).toString('utf8');
    } catch {
      // The status alone still classifies the failure.
    }
    return { failure: classifyHttpFailure(res.statusCode, res.headers, text, this.now(), secret) };
  }
}

function isJson(headers: Headers): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('application/json');
}

function relayed(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    if (name.startsWith(RELAYED_PREFIX)) out[name] = value;
    else if (name === 'request-id') out['x-upstream-request-id'] = value;
  }
  return out;
}

function streamFailure(err: unknown, timeouts: TimeoutSettings): ReturnType<typeof classifyNetworkError> {
  const failure = classifyNetworkError(err, timeouts);
  return failure.kind === 'timeout' ? failure : { ...failure, kind: 'stream', message: `upstream stream broke (${failure.message})` };
}

async function* sseBatches(body: AsyncIterable<Buffer>, timeouts: TimeoutSettings): AsyncGenerator<FrameBatch> {
  const splitter = new SseSplitter();
  try {
    for await (const chunk of body) {
      const batch = splitter.pushBatch(chunk);
      if (batch) yield batch;
    }
  } catch (err) {
    throw new UpstreamError(streamFailure(err, timeouts));
  }
}

async function readAll(body: AsyncIterable<Buffer> & { destroy?: () => void }, limit = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy?.();
      break;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
