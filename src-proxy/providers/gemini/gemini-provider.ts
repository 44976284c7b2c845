// Gemini API-key accounts: each Claude request is translated into one streamGenerateContent call, and
// what Gemini streams back is translated into Anthropic events as it arrives. Non-streaming clients get
// the same stream collected by the gateway, so there is one translation path.

import type { Dispatcher } from 'undici';
import type { PreparedRequest } from '../../anthropic/prepared-request.js';
import type { CountTokensRequest, RequestBase, StreamEvent } from '../../anthropic/types.js';
import type { AccountOf, NoteCode } from '../../contract/index.js';
import { jsonBody, LongStringCache } from '../shared/json-body.js';
import type { UpstreamAnswer } from '../shared/upstream-call.js';
import { UpstreamClient } from '../shared/upstream-client.js';
import type { AccountCredentials } from '../../accounts/pool-ports.js';
import { type AttemptContext, type AttemptResult, type CountTokensResult, type Provider, type ProviderCapabilities, type UpstreamFailure } from '../types.js';
import type { GenerateContentRequest } from './gemini-types.js';
import { classifyGoogleFailure } from './google-errors.js';
import { GeminiRequestError, toGeminiRequest } from './request-mapper.js';
import { EventReader, readFailure } from './event-reader.js';
import { GeminiStreamTranslator } from './response-mapper.js';
import { SignatureCache } from './signature-cache.js';
import { ToolParametersCache } from './tool-parameters.js';
import { ToolNameMap } from './tool-names.js';

type GeminiAccount = AccountOf<'gemini'>;

const API_VERSION = '/v1beta';

export interface GeminiProviderOptions {
  /** Injected for tests; by default one keep-alive pool per upstream origin. */
  dispatcher?: Dispatcher;
  /** Thought signatures by tool_use id, shared by every account of this provider. */
  signatures?: SignatureCache;
  now?: () => number;
}

export class GeminiProvider implements Provider<GeminiAccount> {
  readonly kind = 'gemini' as const;
  private readonly http: UpstreamClient;
  private readonly signatures: SignatureCache;
  private readonly toolParameters = new ToolParametersCache();
  /** The long strings of the conversations sent, so a session's next turn copies their bytes. */
  private readonly longStrings = new LongStringCache();
  private readonly now: () => number;

  constructor(opts: GeminiProviderOptions = {}) {
    this.http = new UpstreamClient(opts.dispatcher, opts.now);
    this.signatures = opts.signatures ?? new SignatureCache();
    this.now = opts.now ?? Date.now;
  }

  capabilities(account: GeminiAccount): ProviderCapabilities {
    return { countTokens: account.options.count_tokens };
  }

  /** Gemini gets a body of its own, built in send; nothing of the Anthropic request goes as it is. */
  prepare<R extends RequestBase>(req: PreparedRequest<R>): PreparedRequest<R> {
    return req;
  }

  async send(req: PreparedRequest, creds: AccountCredentials<GeminiAccount>, ctx: AttemptContext): Promise<AttemptResult> {
    const model = req.body.model;
    const names = new ToolNameMap(toolNames(req.body));
    const notes = new Set<NoteCode>();
    const body = this.translate(req.body, model, names, notes);
    if ('failure' in body) return { ok: false, failure: body.failure };

    const res = await this.post(creds, `${modelPath(model)}:streamGenerateContent?alt=sse`, body.request, ctx, true);
    if ('failure' in res) return { ok: false, failure: res.failure };
    if (!res.streamed) return { ok: false, failure: { kind: 'server', status: res.status, message: 'upstream answered without a stream', retryAfterMs: null } };

    const translator = new GeminiStreamTranslator({ model, names, signatures: this.signatures, thinking: wantsThinking(req.body) });
    const reader = new EventReader(res.body, translator, ctx, this.now, creds.secret);
    // The first-yield rule: nothing is handed over until Gemini produced content; a failure before
    // that is an attempt that failed, which the gateway may retry on another account.
    let first: StreamEvent[];
    try {
      first = await reader.firstEvents();
    } catch (err) {
      await reader.close();
      return { ok: false, failure: readFailure(err, ctx) };
    }
    return { ok: true, kind: 'stream', batches: reader.batches(first), upstreamModel: model, relayHeaders: {}, notes: [...notes] };
  }

  async countTokens(req: PreparedRequest<CountTokensRequest>, creds: AccountCredentials<GeminiAccount>, ctx: AttemptContext): Promise<CountTokensResult> {
    const model = req.body.model;
    const body = this.translate(req.body, model, new ToolNameMap(toolNames(req.body)));
    if ('failure' in body) return { ok: false, failure: body.failure };
    // generateContentRequest (not bare contents) so the system prompt and the tools are counted too.
    const res = await this.post(
      creds,
      `${modelPath(model)}:countTokens`,
      { generateContentRequest: { model: `models/${model}`, ...body.request } },
      ctx,
      false,
    );
    if ('failure' in res) return { ok: false, failure: res.failure };
    if (res.streamed)
      return { ok: false, failure: { kind: 'server', status: res.status, message: 'upstream countTokens answered a stream', retryAfterMs: null } };
    try {
      const answer = JSON.parse(res.body.toString('utf8')) as { totalTokens?: unknown };
      if (typeof answer.totalTokens === 'number' && answer.totalTokens >= 0) return { ok: true, inputTokens: answer.totalTokens };
    } catch {
      // Reported below.
    }
    return { ok: false, failure: { kind: 'server', status: res.status, message: 'upstream countTokens answer has no totalTokens', retryAfterMs: null } };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private translate(
    body: RequestBase,
    model: string,
    names: ToolNameMap,
    notes?: Set<NoteCode>,
  ): { request: GenerateContentRequest } | { failure: UpstreamFailure } {
    try {
      return {
        request: toGeminiRequest(body as CountTokensRequest, { model, names, signatures: this.signatures, notes, toolParameters: this.toolParameters }),
      };
    } catch (err) {
      if (!(err instanceof GeminiRequestError)) throw err;
      return { failure: unmappable(err) };
    }
  }

  private post(
    { account, secret }: AccountCredentials<GeminiAccount>,
    path: string,
    body: unknown,
    ctx: AttemptContext,
    stream: boolean,
  ): Promise<UpstreamAnswer | { failure: UpstreamFailure }> {
    return this.http.post(
      {
        baseUrl: account.options.base_url,
        path: API_VERSION + path,
        headers: { 'content-type': 'application/json', 'x-goog-api-key': secret },
        body: jsonBody(body, this.longStrings),
        streams: stream,
        secret,
        classify: classifyGoogleFailure,
      },
      ctx,
    );
  }
}

function modelPath(model: string): string {
  return `/models/${encodeURIComponent(model)}`;
}

/** A request the mapper cannot express: the client's to fix, answered 400 in Anthropic's words. */
export function unmappable(err: GeminiRequestError): UpstreamFailure {
  const message = err.message;
  return { kind: 'invalid', status: 400, message, retryAfterMs: null, clientBody: { type: 'error', error: { type: 'invalid_request_error', message } } };
}

export function toolNames(body: RequestBase): string[] {
  return (body.tools ?? []).map((t) => t.name).filter((n): n is string => typeof n === 'string');
}

export function wantsThinking(body: RequestBase): boolean {
  const thinking = (body as { thinking?: { type?: unknown } }).thinking;
  return thinking !== undefined && thinking !== null && thinking.type !== 'disabled';
}
