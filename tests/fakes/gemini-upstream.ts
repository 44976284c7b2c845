// A fake of the public Gemini API (generativelanguage.googleapis.com, v1beta) for loopback tests.
//
// It is written from the public protocol (shared/reference/protocols.md, section D) and the error
// bodies users have captured from the real service, and deliberately imports nothing from src-proxy/:
// if the gateway's mapper or sanitizer had a bug, the same code here would hide it. Only node:
// built-ins and the helpers both fakes share (fake-http.ts) are used.
//
// What it emulates: the four routes (generateContent, streamGenerateContent with and without
// alt=sse, countTokens, models), API-key checks with Google's error bodies, the proto-level parsing
// errors ("Invalid JSON payload received. Unknown name …"), the semantic checks
// ("* GenerateContentRequest.…: …"), the conversation rules for function calls and responses, and
// thought signatures (issued, remembered, required and checked on replay). Replies are scripted like
// the Anthropic fake's: text, thoughts and function calls streamed in chunks, errors with
// RetryInfo/QuotaFailure details, dropped, silent and hanging responses. Every request is recorded,
// including when the client gave up on it, with the bytes the fake sent.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { captureBody, cut, firstHeader, isObject, parseJson, pause, readBody, ScriptedFake, splitOnce, writeChunk } from './fake-http.js';

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

export interface FakeGeminiOptions {
  /** API keys accepted (`x-goog-api-key` or `?key=`); any other key gets 400 API_KEY_INVALID. Default: any non-empty key. */
  keys?: string[];
  /** Model ids served (without `models/`); others get 404 NOT_FOUND. Default: DEFAULT_MODELS. */
  models?: string[];
  /** On Gemini 3 models (which enforce it), a `functionCall` in the current turn's model steps without `thoughtSignature` on the step's first call → 400 (protocols.md D.7). Default true. */
  requireSignatures?: boolean;
  /** A replayed `thoughtSignature` this fake did not issue (or issued for another model) → 400 "Corrupted thought signature." Default true. */
  rejectUnknownSignatures?: boolean;
  /** `googleSearch` together with `functionDeclarations` → 400 "Tool use with function calling is unsupported". Default true. */
  rejectSearchWithFunctions?: boolean;
  /** When true, `parametersJsonSchema` is held to the same keyword set as `parameters` (the OpenAPI subset). Default false: only `$schema`, `$ref` and boolean sub-schemas are refused there. */
  strictJsonSchema?: boolean;
  /** Signatures issued by default: on the first functionCall of each response and on thought parts. Default true for both. */
  signFirstCall?: boolean;
  signThoughts?: boolean;
  /** Prompt size limit (the countTokens estimate); above it → 400 "The input token count (N) exceeds …". Default: none. */
  inputTokenLimit?: number;
  /** Behaviour used when the script queue is empty. Default: reply({}) */
  defaultBehaviour?: Behaviour | BehaviourFn;
}

export type BehaviourFn = (req: RecordedRequest) => Behaviour;

/** A part of a scripted reply. `thoughtSignature`: a string is sent (and remembered as issued), null sends none, undefined applies the defaults. */
export type ReplyPart =
  | { text: string; thought?: boolean; thoughtSignature?: string | null }
  | { functionCall: { name: string; args?: Record<string, unknown>; id?: string }; thoughtSignature?: string | null };

export interface UsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export type Behaviour =
  | {
      kind: 'reply';
      /** Shorthand for `parts: [{ text }]`. */
      text?: string;
      parts?: ReplyPart[];
      /** Default STOP. Any string is sent as is (MAX_TOKENS, SAFETY, RECITATION, MALFORMED_FUNCTION_CALL…). */
      finishReason?: string;
      /** Overrides the computed usage fields one by one. */
      usage?: UsageMetadata;
      /** `modelVersion` in the response. Default: the model in the URL. */
      modelVersion?: string;
      /** The prompt is blocked: one response with `promptFeedback.blockReason` and no candidates. */
      blockReason?: string;
      /** Send thought parts even when the request did not ask for `includeThoughts`. */
      forceThoughts?: boolean;
      /** Append an empty-text part carrying a fresh signature (in its own final chunk when streaming), as Gemini does for text turns. */
      trailingSignature?: boolean;
      /** Streams: pieces each text/thought part is cut into. Default 3. */
      chunks?: number;
      chunkDelayMs?: number;
      firstByteDelayMs?: number;
      /** Streams: every chunk holding a multi-byte character is written in two TCP writes, cut inside that character. */
      splitUtf8?: boolean;
    }
  | {
      kind: 'error';
      status: number;
      /** Google status string; default from the HTTP status (429 → RESOURCE_EXHAUSTED…). */
      googleStatus?: string;
      message: string;
      /** Raw `details` entries, appended after the ones built from the fields below. */
      details?: unknown[];
      /** Adds a QuotaFailure with this quotaId. */
      quotaId?: string;
      /** Adds a RetryInfo, e.g. "12s". */
      retryDelay?: string;
      /** Adds an ErrorInfo with this reason (RATE_LIMIT_EXCEEDED, QUOTA_EXHAUSTED, API_KEY_INVALID…). */
      reason?: string;
      headers?: Record<string, string>;
    }
  /** 200, `afterChunks` chunks of the default reply, then the socket is destroyed. */
  | { kind: 'drop'; afterChunks: number }
  /** Read the request and never answer (until the client goes away). */
  | { kind: 'hang' }
  /** Pause mid-stream for `ms`, then finish the stream (default) or drop the connection. */
  | { kind: 'silent'; afterChunks: number; ms: number; then?: 'finish' | 'drop' }
  /** A `{"error":{…}}` chunk after some chunks, then the stream ends (protocols.md D.8). */
  | { kind: 'midStreamError'; afterChunks: number; status: number; message: string; googleStatus?: string };

export type GeminiAction = 'generateContent' | 'streamGenerateContent' | 'countTokens' | 'listModels' | 'getModel';

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Parsed JSON, or undefined when the body is empty or not JSON. `any` so tests can read fields directly. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The API key presented (`x-goog-api-key`, else `?key=`). */
  key: string | null;
  /** The model id from the URL (without `models/`), or null. */
  model: string | null;
  action: GeminiAction | null;
  /** streamGenerateContent with `alt=sse`. */
  sse: boolean;
  /** performance.now() when the request arrived. */
  receivedAt: number;
  /** The HTTP status the fake answered, or null if it never answered. */
  status: number | null;
  /** The Google error body when the fake refused the request itself (not a scripted error). */
  rejection: GoogleError | null;
  /** Signatures this response carried (issued by the fake, or scripted). */
  issuedSignatures: string[];
  /** The fake wrote its whole response. */
  finished: boolean;
  /** The client closed the connection before the response finished. */
  aborted: boolean;
  /** performance.now() when the client abort was seen. */
  abortedAt: number | null;
  /** The response body bytes this fake wrote, in order, one entry per write. */
  sent: Buffer[];
}

/**
 * A signature the fake issued. Thought and call signatures are distinct values (base64 of
 * `fake-gemini-thought-signature:…` or `fake-gemini-call-signature:…`), and a replayed one must come back on the kind of part it was issued
 * on, in the same position: a call's on a functionCall, a thought's or a text's never on one.
 */
export interface IssuedSignature {
  model: string;
  kind: 'thought' | 'call' | 'text';
  /** For a thought: the whole text of the thought part it signed. */
  text?: string;
  /** The thought was sent without its text (not asked for): it comes back with empty text. */
  hidden?: boolean;
}

export interface GoogleError {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

export interface FakeGemini {
  /** Base URL, e.g. http://127.0.0.1:41234 (no /v1beta). */
  url: string;
  /** Every request, in arrival order (all paths). */
  requests: RecordedRequest[];
  /** Only generateContent and streamGenerateContent. */
  generateRequests(): RecordedRequest[];
  /** Queued, one consumed per generate request that passed validation. */
  script(...b: Array<Behaviour | BehaviourFn>): void;
  setDefault(b: Behaviour | BehaviourFn): void;
  /** Every request with this key (`*`: every request) gets `b`, ahead of the script, until lifted with null. */
  refuse(credential: string, b: Behaviour | null): void;
  /** Every signature issued so far, with the model it was issued for. */
  signatures(): Map<string, string>;
  /** What a signature was issued on: its model, the kind of part (a thought, a call, a text), and a thought's full text. */
  signatureInfo(signature: string): IssuedSignature | undefined;
  /** Polls; rejects on timeout (default 2000 ms). */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  /** Clears requests, script and remembered signatures. */
  reset(): void;
  /** Closes the server and destroys open sockets. */
  close(): Promise<void>;
}

/** Starts a fake listening on 127.0.0.1, on a free port. */
export async function startFakeGemini(opts: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const fake = new FakeGeminiServer(opts);
  await fake.listen();
  return fake;
}

/** A 429 as the public API sends it for a rate limit: QuotaFailure, RetryInfo and ErrorInfo (protocols.md D.9, D.11.5). */
export function rateLimitError(opts: { retryDelay?: string; quotaId?: string; reason?: string; message?: string } = {}): Behaviour {
  const retryDelay = opts.retryDelay ?? '21s';
  return {
    kind: 'error',
    status: 429,
    message:
      opts.message ??
      `You exceeded your current quota, please check your plan and billing details. Please retry in ${Number.parseFloat(retryDelay).toFixed(1)}s.`,
    quotaId: opts.quotaId ?? 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
    retryDelay,
    reason: opts.reason ?? 'RATE_LIMIT_EXCEEDED',
  };
}

/** The sentinel Gemini CLI sends for history it did not get from the model (protocols.md D.7). */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** Models served by default, newest first. Limits are illustrative; only the shape matters. */
export const DEFAULT_MODELS = [
  'gemini-3.1-pro-preview',
  'gemini-3-pro-preview',
  'gemini-3-flash-preview',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'gemini-2.0-flash',
] as const;

/** Keywords the `parameters` Schema object (OpenAPI 3.0 subset) accepts (protocols.md D.3); any other is "Unknown name". */
export const SCHEMA_KEYWORDS: readonly string[] = [
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'propertyOrdering',
  'items',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'anyOf',
  'default',
  'example',
];

/** Keywords refused inside `parametersJsonSchema` unless strictJsonSchema (then everything outside SCHEMA_KEYWORDS is). Boolean sub-schemas are refused too. */
export const JSON_SCHEMA_REJECTED_KEYWORDS: readonly string[] = ['$schema', '$ref'];

/** Schema `type` values accepted (case-insensitively) in `parameters`. */
export const SCHEMA_TYPES: readonly string[] = ['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT'];

/** Function names: start with a letter or underscore; letters, digits, `_ . : -`; at most 64 (protocols.md D.2). */
export const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

// ---------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------

const DEFAULT_TEXT = 'Hello from the fake Gemini upstream.';
const DEFAULT_CHUNKS = 3;
const TYPE_PREFIX = 'type.googleapis.com/google.ai.generativelanguage.v1beta.';

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const INVALID_KEY_MESSAGE = 'API key not valid. Please pass a valid API key.';
const NO_KEY_MESSAGE =
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const FUNCTION_NAME_MESSAGE =
  'Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.';

/** The exact wording of the conversation-level refusals (protocols.md D.2, D.4, D.7 and captured errors). */
export const MESSAGES = {
  invalidRole: 'Please use a valid role: user, model.',
  mixedTurn: 'Please ensure that function call turn contains at least one function_call part which can not be mixed with function_response parts.',
  callPlacement: 'Please ensure that function call turn comes immediately after a user turn or after a function response turn.',
  responsePlacement: 'Please ensure that function response turn comes immediately after a function call turn.',
  responseCount: 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
  searchWithFunctions: 'Tool use with function calling is unsupported',
  corruptedSignature: 'Corrupted thought signature.',
  budgetAndLevel: 'Unable to submit request because thinking_budget and thinking_level are not supported together.',
} as const;

/** "Function call is missing a thought_signature …" for the call `name` in content number `position` (1-based). */
export function missingSignatureMessage(name: string, position: number): string {
  return (
    'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing ' +
    `thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${position}. ` +
    'Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.'
  );
}

/** Refusal for a function response whose name matches no call of the preceding turn (wording of this fake; Google's is not documented). */
export function responseNameMessage(name: string): string {
  return `Please ensure that the function response parts match the function call parts of the function call turn: no function call named \`${name}\`.`;
}

// ---------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------

type ReplyBehaviour = Extract<Behaviour, { kind: 'reply' }>;

/** One request/response pair being served. */
interface Exchange {
  rec: RecordedRequest;
  res: ServerResponse;
  /** Aborted when the response closes for any reason, so pending pauses and writes stop at once. */
  gone: AbortSignal;
  /** Set when the fake itself cuts the connection, so that is not recorded as a client abort. */
  cutByFake: boolean;
  /** Chunks written so far (for the JSON-array framing without alt=sse). */
  written: number;
}

/** What `perform` needs besides the exchange: the model and the signature book. */
interface ReplyContext {
  model: string;
  includeThoughts: boolean;
  promptTokens: number;
  issue: (model: string, kind: IssuedSignature['kind'], given?: string | null, text?: string, hidden?: boolean) => string;
  signFirstCall: boolean;
  signThoughts: boolean;
}

class FakeGeminiServer extends ScriptedFake<RecordedRequest, Behaviour> implements FakeGemini {
  private readonly issued = new Map<string, IssuedSignature>();

  constructor(private readonly opts: FakeGeminiOptions) {
    super(opts.defaultBehaviour ?? { kind: 'reply' }, failInternally);
  }

  generateRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.action === 'generateContent' || r.action === 'streamGenerateContent');
  }

  protected override credentialOf(rec: RecordedRequest): string | null {
    return rec.key;
  }

  signatures(): Map<string, string> {
    return new Map([...this.issued].map(([sig, info]) => [sig, info.model]));
  }

  signatureInfo(signature: string): IssuedSignature | undefined {
    return this.issued.get(signature);
  }

  override reset(): void {
    super.reset();
    this.issued.clear();
  }

  private get models(): readonly string[] {
    return this.opts.models ?? DEFAULT_MODELS;
  }

  // -- request handling -----------------------------------------------------------------------------

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex = this.track(req, res);
    try {
      ex.rec.rawBody = await readBody(req);
    } catch {
      // The client went away while sending the body; the close listener has recorded the abort.
      this.requests.push(ex.rec);
      return;
    }
    ex.rec.body = parseJson(ex.rec.rawBody);
    this.requests.push(ex.rec);

    const { method, path } = ex.rec;
    if (method === 'GET' && path === '/v1beta/models') return this.listModels(ex);
    const route = /^\/v1beta\/models\/([^/:]+)(?::([A-Za-z]+))?$/.exec(path);
    const model = route?.[1] === undefined ? null : decodeURIComponent(route[1]);
    const verb = route?.[2];
    if (model !== null && method === 'GET' && verb === undefined) {
      ex.rec.action = 'getModel';
      ex.rec.model = model;
      return this.getModel(ex, model);
    }
    if (model !== null && method === 'POST' && (verb === 'generateContent' || verb === 'streamGenerateContent' || verb === 'countTokens')) {
      ex.rec.action = verb;
      ex.rec.model = model;
      ex.rec.sse = verb === 'streamGenerateContent' && new URLSearchParams(ex.rec.query).get('alt') === 'sse';
      return verb === 'countTokens' ? this.countTokens(ex, model) : this.generate(ex, model);
    }
    sendError(ex, googleError(404, `Method not found: ${method} ${path}`), true);
  }

  /** Builds the record and the exchange, and wires up abort detection before anything is awaited. */
  private track(req: IncomingMessage, res: ServerResponse): Exchange {
    const [path = '/', query = ''] = splitOnce(req.url ?? '/', '?');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query,
      headers: { ...req.headers },
      rawBody: Buffer.alloc(0),
      body: undefined,
      key: presentedKey(req, query),
      model: null,
      action: null,
      sse: false,
      receivedAt: performance.now(),
      status: null,
      rejection: null,
      issuedSignatures: [],
      finished: false,
      aborted: false,
      abortedAt: null,
      sent: [],
    };
    captureBody(res, rec.sent);
    const gone = new AbortController();
    const ex: Exchange = { rec, res, gone: gone.signal, cutByFake: false, written: 0 };
    res.on('finish', () => {
      rec.finished = true;
    });
    // 'close' fires both after a complete response and when the connection dies early; only the
    // second case, when neither this fake (drop) nor close() caused it, is a client abort.
    res.on('close', () => {
      if (!rec.finished && !ex.cutByFake && !this.isClosing) {
        rec.aborted = true;
        rec.abortedAt = performance.now();
      }
      gone.abort();
    });
    return ex;
  }

  /** Key first, then the body, then the model: the order in which Google's front end refuses. */
  private precheck(ex: Exchange, model: string | null, method: string): GoogleError | null {
    const keyError = checkKey(ex.rec.key, this.opts.keys);
    if (keyError) return keyError;
    if (ex.rec.method === 'POST' && ex.rec.body === undefined) {
      return googleError(400, 'Invalid JSON payload received. Unexpected token.');
    }
    if (model !== null && !this.models.includes(model)) {
      return googleError(
        404,
        `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
      );
    }
    return null;
  }

  private async generate(ex: Exchange, model: string): Promise<void> {
    const verb = ex.rec.action as string;
    const rejection = this.precheck(ex, model, verb) ?? this.validateGenerate(ex.rec.body, model);
    if (rejection) return sendError(ex, rejection, true);
    // A behaviour is consumed only by a request that passed validation, as the real service would
    // only reach the model for those.
    let behaviour: Behaviour;
    try {
      behaviour = this.nextBehaviour(ex.rec);
    } catch (err) {
      return sendError(ex, googleError(500, `fake upstream: behaviour function threw: ${String(err)}`), false);
    }
    const body = ex.rec.body as Record<string, unknown>;
    const ctx: ReplyContext = {
      model,
      includeThoughts:
        isObject(body.generationConfig) && isObject(body.generationConfig.thinkingConfig) && body.generationConfig.thinkingConfig.includeThoughts === true,
      promptTokens: estimateTokens(body, true),
      issue: (m, kind, given, text, hidden) => this.issue(m, kind, given, text, hidden),
      signFirstCall: this.opts.signFirstCall !== false,
      signThoughts: this.opts.signThoughts !== false,
    };
    await perform(ex, behaviour, ctx);
  }

  private countTokens(ex: Exchange, model: string): void {
    const rejection = this.precheck(ex, model, 'countTokens') ?? validateCountTokens(ex.rec.body);
    if (rejection) return sendError(ex, rejection, true);
    const body = ex.rec.body as Record<string, unknown>;
    const inner = isObject(body.generateContentRequest) ? body.generateContentRequest : body;
    const totalTokens = estimateTokens(inner, inner !== body);
    sendJson(ex, 200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
  }

  private listModels(ex: Exchange): void {
    ex.rec.action = 'listModels';
    const rejection = this.precheck(ex, null, 'listModels');
    if (rejection) return sendError(ex, rejection, true);
    const params = new URLSearchParams(ex.rec.query);
    const pageSize = Number(params.get('pageSize') ?? 50);
    if (!Number.isInteger(pageSize) || pageSize < 0) return sendError(ex, googleError(400, `Invalid value for page_size: ${params.get('pageSize')}`), true);
    const size = pageSize === 0 ? 50 : Math.min(pageSize, 1000);
    const start = Number(params.get('pageToken') ?? 0) || 0;
    const page = this.models.slice(start, start + size).map(modelResource);
    const next = start + size < this.models.length ? { nextPageToken: String(start + size) } : {};
    sendJson(ex, 200, { models: page, ...next });
  }

  private getModel(ex: Exchange, model: string): void {
    const rejection = checkKey(ex.rec.key, this.opts.keys);
    if (rejection) return sendError(ex, rejection, true);
    if (!this.models.includes(model)) return sendError(ex, googleError(404, `models/${model} is not found for API version v1beta.`), true);
    sendJson(ex, 200, modelResource(model));
  }

  /** The checks Google makes before the model sees anything, in the order it makes them. */
  private validateGenerate(body: unknown, model: string): GoogleError | null {
    const parseErrors: Violation[] = [];
    parseMessage(body, 'GenerateContentRequest', '', parseErrors, this.opts.strictJsonSchema === true);
    if (parseErrors.length > 0) return parseError(parseErrors);
    const request = body as Record<string, unknown>;
    const semantic = semanticErrors(request, this.opts.strictJsonSchema === true);
    if (semantic.length > 0) return googleError(400, semantic.map((s) => `* GenerateContentRequest.${s}\n`).join(''));
    const conversation = conversationError(request.contents as Array<Record<string, unknown>>);
    if (conversation) return googleError(400, conversation);
    const tools = toolsError(request, this.opts.rejectSearchWithFunctions !== false);
    if (tools) return googleError(400, tools);
    const thinking = thinkingError(request, model);
    if (thinking) return googleError(400, thinking);
    const signature = this.signatureError(request.contents as Array<Record<string, unknown>>, model);
    if (signature) return googleError(400, signature);
    if (this.opts.inputTokenLimit !== undefined) {
      const n = estimateTokens(request, true);
      if (n > this.opts.inputTokenLimit) {
        return googleError(400, `The input token count (${n}) exceeds the maximum number of tokens allowed (${this.opts.inputTokenLimit}).`);
      }
    }
    return null;
  }

  /** protocols.md D.7: replayed signatures must be ones the model issued; the current turn's steps must carry theirs. */
  private signatureError(contents: Array<Record<string, unknown>>, model: string): string | null {
    if (this.opts.rejectUnknownSignatures !== false) {
      for (const content of contents) {
        if (content.role !== 'model') continue;
        for (const part of partsOf(content)) {
          const sig = part.thoughtSignature ?? part.thought_signature;
          if (typeof sig !== 'string' || sig === SKIP_SIGNATURE) continue;
          const info = this.issued.get(sig);
          if (info?.model !== model) return MESSAGES.corruptedSignature;
          // Same position: a call's signature on a call, never a thought's or a text's in its place.
          if ((functionCallOf(part) !== undefined) !== (info.kind === 'call')) return MESSAGES.corruptedSignature;
        }
      }
    }
    // Gemini 3 enforces signatures on function calls; earlier models accept calls without them (D.7).
    if (this.opts.requireSignatures === false || !enforcesSignatures(model)) return null;
    // The current turn starts after the last user content that is not only function responses.
    let start = 0;
    contents.forEach((c, i) => {
      if (c.role !== 'model' && partsOf(c).some((p) => functionResponseOf(p) === undefined)) start = i + 1;
    });
    for (let i = start; i < contents.length; i++) {
      const content = contents[i]!;
      if (content.role !== 'model') continue;
      const first = partsOf(content).find((p) => functionCallOf(p) !== undefined);
      if (first && typeof (first.thoughtSignature ?? first.thought_signature) !== 'string') {
        return missingSignatureMessage(String(functionCallOf(first)?.name), i + 1);
      }
    }
    return null;
  }

  private issue(model: string, kind: IssuedSignature['kind'], given?: string | null, text?: string, hidden = false): string {
    // Bytes, as the field is: base64 of a prefix that names the kind (thought, call or text) and random bytes.
    const sig = given ?? Buffer.concat([Buffer.from(`fake-gemini-${kind}-signature:`), randomBytes(33)]).toString('base64');
    this.issued.set(sig, { model, kind, ...(text !== undefined ? { text } : {}), ...(hidden ? { hidden } : {}) });
    return sig;
  }
}

// ---------------------------------------------------------------------------------------------------
// Keys and errors (protocols.md D.1, D.9)
// ---------------------------------------------------------------------------------------------------

/** `x-goog-api-key` wins over `?key=`. Empty values count as absent. */
function presentedKey(req: IncomingMessage, query: string): string | null {
  const header = firstHeader(req.headers['x-goog-api-key']);
  if (header) return header;
  return new URLSearchParams(query).get('key') || null;
}

function checkKey(key: string | null, keys: string[] | undefined): GoogleError | null {
  if (!key) return googleError(403, NO_KEY_MESSAGE);
  if (keys && !keys.includes(key)) {
    return googleError(400, INVALID_KEY_MESSAGE, [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: INVALID_KEY_MESSAGE },
    ]);
  }
  return null;
}

function googleError(code: number, message: string, details?: unknown[], status?: string): GoogleError {
  return { error: { code, message, status: status ?? STATUS_BY_CODE[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } };
}

interface Violation {
  /** Absent for top-level fields, as in Google's BadRequest. */
  field?: string;
  description: string;
}

/** Parse-time errors: one line each in `message`, and a BadRequest with one fieldViolation each. */
function parseError(violations: Violation[]): GoogleError {
  return googleError(400, violations.map((v) => v.description).join('\n'), [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations.map((v) => (v.field ? v : { description: v.description })) },
  ]);
}

function errorBehaviourBody(b: Extract<Behaviour, { kind: 'error' }>): GoogleError {
  const details: unknown[] = [];
  if (b.quotaId !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: b.quotaId }],
    });
  }
  if (b.reason !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: b.reason,
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    });
  }
  if (b.retryDelay !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: b.retryDelay });
  details.push(...(b.details ?? []));
  return googleError(b.status, b.message, details.length > 0 ? details : undefined, b.googleStatus);
}

// ---------------------------------------------------------------------------------------------------
// Parsing like Google's proto JSON front end: unknown names, wrong shapes, oneof conflicts
// ---------------------------------------------------------------------------------------------------

type Kind = 'string' | 'int' | 'float' | 'bool' | 'bytes' | 'struct' | 'value' | 'schemaMap' | `msg:${string}` | `enum:${string}`;

interface FieldSpec {
  kind: Kind;
  repeated?: boolean;
}

const f = (kind: Kind, repeated = false): FieldSpec => ({ kind, repeated });

/** Fields by JSON (lowerCamel) name; snake_case names are accepted too, as by Google. */
const PROTO: Record<string, Record<string, FieldSpec>> = {
  GenerateContentRequest: {
    model: f('string'),
    contents: f('msg:Content', true),
    systemInstruction: f('msg:Content'),
    tools: f('msg:Tool', true),
    toolConfig: f('msg:ToolConfig'),
    generationConfig: f('msg:GenerationConfig'),
    safetySettings: f('msg:SafetySetting', true),
    cachedContent: f('string'),
    labels: f('struct'),
  },
  CountTokensRequest: { contents: f('msg:Content', true), generateContentRequest: f('msg:GenerateContentRequest') },
  Content: { role: f('string'), parts: f('msg:Part', true) },
  Part: {
    text: f('string'),
    inlineData: f('msg:Blob'),
    fileData: f('msg:FileData'),
    functionCall: f('msg:FunctionCall'),
    functionResponse: f('msg:FunctionResponse'),
    executableCode: f('struct'),
    codeExecutionResult: f('struct'),
    thought: f('bool'),
    thoughtSignature: f('bytes'),
    videoMetadata: f('struct'),
    mediaResolution: f('value'),
  },
  Blob: { mimeType: f('string'), data: f('bytes') },
  FileData: { mimeType: f('string'), fileUri: f('string') },
  FunctionCall: { id: f('string'), name: f('string'), args: f('struct') },
  FunctionResponse: {
    id: f('string'),
    name: f('string'),
    response: f('struct'),
    parts: f('msg:FunctionResponsePart', true),
    willContinue: f('bool'),
    scheduling: f('string'),
  },
  FunctionResponsePart: { inlineData: f('msg:Blob'), fileData: f('msg:FileData') },
  Tool: {
    functionDeclarations: f('msg:FunctionDeclaration', true),
    googleSearch: f('struct'),
    googleSearchRetrieval: f('struct'),
    codeExecution: f('struct'),
    urlContext: f('struct'),
    computerUse: f('struct'),
    fileSearch: f('struct'),
    googleMaps: f('struct'),
  },
  FunctionDeclaration: {
    name: f('string'),
    description: f('string'),
    behavior: f('string'),
    parameters: f('msg:Schema'),
    parametersJsonSchema: f('value'),
    response: f('msg:Schema'),
    responseJsonSchema: f('value'),
  },
  Schema: {
    type: f('enum:Type'),
    format: f('string'),
    title: f('string'),
    description: f('string'),
    nullable: f('bool'),
    enum: f('string', true),
    properties: f('schemaMap'),
    required: f('string', true),
    propertyOrdering: f('string', true),
    items: f('msg:Schema'),
    minItems: f('int'),
    maxItems: f('int'),
    minProperties: f('int'),
    maxProperties: f('int'),
    minLength: f('int'),
    maxLength: f('int'),
    pattern: f('string'),
    minimum: f('float'),
    maximum: f('float'),
    anyOf: f('msg:Schema', true),
    default: f('value'),
    example: f('value'),
  },
  ToolConfig: { functionCallingConfig: f('msg:FunctionCallingConfig'), retrievalConfig: f('struct') },
  FunctionCallingConfig: { mode: f('enum:Mode'), allowedFunctionNames: f('string', true) },
  GenerationConfig: {
    stopSequences: f('string', true),
    responseMimeType: f('string'),
    responseSchema: f('msg:Schema'),
    responseJsonSchema: f('value'),
    responseModalities: f('string', true),
    candidateCount: f('int'),
    maxOutputTokens: f('int'),
    temperature: f('float'),
    topP: f('float'),
    topK: f('int'),
    seed: f('int'),
    presencePenalty: f('float'),
    frequencyPenalty: f('float'),
    responseLogprobs: f('bool'),
    logprobs: f('int'),
    enableEnhancedCivicAnswers: f('bool'),
    speechConfig: f('struct'),
    thinkingConfig: f('msg:ThinkingConfig'),
    mediaResolution: f('string'),
    imageConfig: f('struct'),
  },
  ThinkingConfig: { includeThoughts: f('bool'), thinkingBudget: f('int'), thinkingLevel: f('enum:ThinkingLevel') },
  SafetySetting: { category: f('string'), threshold: f('string') },
};

const ENUMS: Record<string, readonly string[]> = {
  Type: SCHEMA_TYPES,
  Mode: ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'],
  ThinkingLevel: ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'],
};

/** The Part fields that make up the `data` oneof (protocols.md D.2). */
const PART_DATA = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];

const SCALAR_TYPE: Record<string, string> = {
  string: 'TYPE_STRING',
  int: 'TYPE_INT32',
  float: 'TYPE_FLOAT',
  bool: 'TYPE_BOOL',
  bytes: 'TYPE_BYTES',
  struct: 'type.googleapis.com/google.protobuf.Struct',
};

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function at(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function unknownName(path: string, name: string, why = 'Cannot find field.'): Violation {
  const where = path ? ` at '${path}'` : '';
  return { ...(path ? { field: path } : {}), description: `Invalid JSON payload received. Unknown name ${JSON.stringify(name)}${where}: ${why}` };
}

function invalidValue(path: string, type: string, value: unknown): Violation {
  return { field: path, description: `Invalid value at '${path}' (${type}), ${JSON.stringify(value)}` };
}

/** Walks `value` as message `msg`, collecting Google's parse errors. Paths use proto (snake_case) names. */
function parseMessage(value: unknown, msg: string, path: string, out: Violation[], strictJsonSchema: boolean): void {
  const spec = PROTO[msg]!;
  if (!isObject(value)) {
    out.push(invalidValue(path || msg, TYPE_PREFIX + msg, value));
    return;
  }
  let oneofSet: string | null = null;
  for (const [rawName, v] of Object.entries(value)) {
    const name = camel(rawName);
    const field = spec[name];
    if (!field) {
      out.push(unknownName(path, rawName));
      continue;
    }
    if (v === null) continue;
    const fieldPath = at(path, snake(name));
    if (msg === 'Part' && PART_DATA.includes(name)) {
      if (oneofSet !== null) {
        out.push(invalidValue(path, 'oneof', `oneof field 'data' is already set. Cannot set '${snake(name)}'`));
        continue;
      }
      oneofSet = name;
    }
    if (Array.isArray(v) && !field.repeated && field.kind !== 'value') {
      out.push(unknownName(path, rawName, 'Proto field is not repeating, cannot start list.'));
      continue;
    }
    if (field.repeated) {
      if (!Array.isArray(v)) {
        out.push(invalidValue(fieldPath, kindType(field.kind), v));
        continue;
      }
      v.forEach((item, i) => parseValue(item, field.kind, `${fieldPath}[${i}]`, out, strictJsonSchema));
    } else {
      parseValue(v, field.kind, fieldPath, out, strictJsonSchema);
    }
  }
}

function kindType(kind: Kind): string {
  if (kind.startsWith('msg:')) return TYPE_PREFIX + kind.slice(4);
  if (kind.startsWith('enum:')) return TYPE_PREFIX + kind.slice(5);
  return SCALAR_TYPE[kind] ?? kind;
}

function parseValue(v: unknown, kind: Kind, path: string, out: Violation[], strictJsonSchema: boolean): void {
  if (kind.startsWith('msg:')) return parseMessage(v, kind.slice(4), path, out, strictJsonSchema);
  if (kind.startsWith('enum:')) {
    const values = ENUMS[kind.slice(5)]!;
    if (typeof v !== 'string' || !values.includes(v.toUpperCase())) out.push(invalidValue(path, kindType(kind), v));
    return;
  }
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') out.push(invalidValue(path, 'TYPE_STRING', v));
      return;
    case 'int':
      if (!(typeof v === 'number' && Number.isInteger(v)) && !(typeof v === 'string' && /^-?\d+$/.test(v))) out.push(invalidValue(path, 'TYPE_INT32', v));
      return;
    case 'float':
      if (typeof v !== 'number' && !(typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))) out.push(invalidValue(path, 'TYPE_FLOAT', v));
      return;
    case 'bool':
      if (typeof v !== 'boolean') out.push(invalidValue(path, 'TYPE_BOOL', v));
      return;
    case 'bytes':
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) {
        out.push({ field: path, description: `Invalid value at '${path}' (TYPE_BYTES), Base64 decoding failed for ${JSON.stringify(String(v))}` });
      }
      return;
    case 'struct':
      if (!isObject(v)) out.push(invalidValue(path, SCALAR_TYPE.struct!, v));
      return;
    case 'value':
      return;
    case 'schemaMap':
      // map<string, Schema>: parse paths name entries by position, `properties[2].value`.
      if (!isObject(v)) {
        out.push(invalidValue(path, TYPE_PREFIX + 'Schema', v));
        return;
      }
      Object.values(v).forEach((schema, i) => parseMessage(schema, 'Schema', `${path}[${i}].value`, out, strictJsonSchema));
      return;
  }
}

// ---------------------------------------------------------------------------------------------------
// Semantic checks, reported as "* GenerateContentRequest.<path>: <problem>\n"
// ---------------------------------------------------------------------------------------------------

function semanticErrors(request: Record<string, unknown>, strictJsonSchema: boolean): string[] {
  const out: string[] = [];
  const contents = field(request, 'contents');
  if (!Array.isArray(contents) || contents.length === 0) out.push('contents: contents is not specified');
  else contents.forEach((c, i) => contentErrors(c as Record<string, unknown>, `contents[${i}]`, out));
  const system = field(request, 'systemInstruction');
  if (isObject(system)) contentErrors(system, 'system_instruction', out);
  const tools = field(request, 'tools');
  if (Array.isArray(tools)) {
    tools.forEach((tool: Record<string, unknown>, t) => {
      const decls = field(tool, 'functionDeclarations');
      if (!Array.isArray(decls)) return;
      decls.forEach((decl: Record<string, unknown>, d) => declarationErrors(decl, `tools[${t}].function_declarations[${d}]`, out, strictJsonSchema));
    });
  }
  const config = field(field(request, 'toolConfig'), 'functionCallingConfig');
  const allowed = field(config, 'allowedFunctionNames');
  const mode = String(field(config, 'mode') ?? 'AUTO').toUpperCase();
  if (Array.isArray(allowed) && allowed.length > 0 && mode !== 'ANY' && mode !== 'VALIDATED') {
    out.push('tool_config.function_calling_config.allowed_function_names: allowed_function_names is only allowed when mode is ANY or VALIDATED.');
  }
  const stops = field(field(request, 'generationConfig'), 'stopSequences');
  if (Array.isArray(stops) && stops.length > 5) out.push('generation_config.stop_sequences: at most 5 stop sequences are allowed.');
  return out;
}

function contentErrors(content: Record<string, unknown>, path: string, out: string[]): void {
  const parts = field(content, 'parts');
  if (!Array.isArray(parts) || parts.length === 0) {
    out.push(`${path}.parts: contents.parts must not be empty.`);
    return;
  }
  parts.forEach((part: Record<string, unknown>, j) => {
    if (!PART_DATA.some((name) => field(part, name) !== undefined && field(part, name) !== null)) {
      out.push(`${path}.parts[${j}].data: required oneof field 'data' must have one initialized field`);
    }
  });
}

function declarationErrors(decl: Record<string, unknown>, path: string, out: string[], strictJsonSchema: boolean): void {
  const name = field(decl, 'name');
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) out.push(`${path}.name: ${FUNCTION_NAME_MESSAGE}`);
  const parameters = field(decl, 'parameters');
  const jsonSchema = field(decl, 'parametersJsonSchema');
  if (parameters != null && jsonSchema != null) {
    out.push(`${path}: parameters and parameters_json_schema are mutually exclusive; set only one of them.`);
    return;
  }
  if (isObject(parameters)) schemaErrors(parameters, `${path}.parameters`, out);
  if (jsonSchema != null) jsonSchemaErrors(jsonSchema, `${path}.parameters_json_schema`, out, strictJsonSchema);
}

/** The Schema rules Google checks after parsing (protocols.md D.3). Map entries are named `properties[name]` here. */
function schemaErrors(schema: Record<string, unknown>, path: string, out: string[]): void {
  const type = typeof schema.type === 'string' ? schema.type.toUpperCase() : undefined;
  const properties = schema.properties;
  if (isObject(properties)) {
    if (type !== 'OBJECT') out.push(`${path}.properties: only allowed for OBJECT type`);
    else if (Object.keys(properties).length === 0) out.push(`${path}.properties: should be non-empty for OBJECT type`);
    for (const [name, sub] of Object.entries(properties)) if (isObject(sub)) schemaErrors(sub, `${path}.properties[${name}]`, out);
  }
  if (Array.isArray(schema.required)) {
    schema.required.forEach((name, i) => {
      if (!isObject(properties) || !(String(name) in properties)) out.push(`${path}.required[${i}]: property is not defined`);
    });
  }
  if (Array.isArray(schema.enum) && type !== undefined && type !== 'STRING') out.push(`${path}.enum: only allowed for STRING type`);
  if (isObject(schema.items)) schemaErrors(schema.items, `${path}.items`, out);
  if (Array.isArray(schema.anyOf)) schema.anyOf.forEach((sub, i) => isObject(sub) && schemaErrors(sub, `${path}.any_of[${i}]`, out));
}

/** `parametersJsonSchema` is a free JSON value; Google still refuses some constructs in it (protocols.md D.3). */
function jsonSchemaErrors(schema: unknown, path: string, out: string[], strict: boolean): void {
  if (typeof schema === 'boolean') {
    out.push(`${path}: boolean schemas are not supported`);
    return;
  }
  if (!isObject(schema)) {
    if (Array.isArray(schema) || schema !== undefined) out.push(`${path}: schema must be an object`);
    return;
  }
  for (const [key, value] of Object.entries(schema)) {
    const refused = strict ? !SCHEMA_KEYWORDS.includes(key) : JSON_SCHEMA_REJECTED_KEYWORDS.includes(key);
    if (refused) out.push(`${path}: keyword ${JSON.stringify(key)} is not supported`);
    if (strict && key === 'type' && typeof value !== 'string') out.push(`${path}.type: only a single type name is supported`);
    if (strict && key === 'enum' && Array.isArray(value) && value.some((e) => typeof e !== 'string'))
      out.push(`${path}.enum: only string values are supported`);
  }
  const sub = (s: unknown, p: string): void => jsonSchemaErrors(s, p, out, strict);
  if (isObject(schema.properties)) for (const [name, s] of Object.entries(schema.properties)) sub(s, `${path}.properties[${name}]`);
  if (schema.items !== undefined && !Array.isArray(schema.items)) sub(schema.items, `${path}.items`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((s, i) => sub(s, `${path}.${snake(key)}[${i}]`));
  }
  if (isObject(schema.additionalProperties) && !strict) sub(schema.additionalProperties, `${path}.additional_properties`);
}

// ---------------------------------------------------------------------------------------------------
// Conversation, tools and thinking rules (protocols.md D.2, D.4, D.5)
// ---------------------------------------------------------------------------------------------------

function partsOf(content: Record<string, unknown>): Array<Record<string, unknown>> {
  const parts = field(content, 'parts');
  return Array.isArray(parts) ? (parts.filter(isObject) as Array<Record<string, unknown>>) : [];
}

function functionCallOf(part: Record<string, unknown>): Record<string, unknown> | undefined {
  const v = field(part, 'functionCall');
  return isObject(v) ? v : undefined;
}

function functionResponseOf(part: Record<string, unknown>): Record<string, unknown> | undefined {
  const v = field(part, 'functionResponse');
  return isObject(v) ? v : undefined;
}

/** The first broken rule about roles and the pairing of function calls with responses. A missing role counts as `user`. */
function conversationError(contents: Array<Record<string, unknown>>): string | null {
  for (const c of contents) {
    if (c.role !== undefined && c.role !== null && c.role !== 'user' && c.role !== 'model') return MESSAGES.invalidRole;
  }
  const role = (c: Record<string, unknown> | undefined): string | undefined => (c === undefined ? undefined : c.role === 'model' ? 'model' : 'user');
  for (const [i, content] of contents.entries()) {
    const parts = partsOf(content);
    const calls = parts.map(functionCallOf).filter((x) => x !== undefined);
    const responses = parts.map(functionResponseOf).filter((x) => x !== undefined);
    if (calls.length > 0 && responses.length > 0) return MESSAGES.mixedTurn;
    if (calls.length > 0 && (role(content) !== 'model' || role(contents[i - 1]) !== 'user')) return MESSAGES.callPlacement;
    if (responses.length > 0) {
      const previous = contents[i - 1];
      const asked =
        previous && role(previous) === 'model'
          ? partsOf(previous)
              .map(functionCallOf)
              .filter((x) => x !== undefined)
          : [];
      if (role(content) !== 'user' || asked.length === 0) return MESSAGES.responsePlacement;
    }
    // A call turn is answered by the next content, one response per call, by name.
    const next = contents[i + 1];
    if (calls.length > 0 && next !== undefined) {
      const answers =
        role(next) === 'user'
          ? partsOf(next)
              .map(functionResponseOf)
              .filter((x) => x !== undefined)
          : [];
      if (answers.length !== calls.length) return MESSAGES.responseCount;
      const names = calls.map((c) => String(c.name));
      for (const answer of answers) {
        const k = names.indexOf(String(answer.name));
        if (k < 0) return responseNameMessage(String(answer.name));
        names.splice(k, 1);
      }
    }
  }
  return null;
}

function toolsError(request: Record<string, unknown>, rejectSearchWithFunctions: boolean): string | null {
  const tools = field(request, 'tools');
  if (!rejectSearchWithFunctions || !Array.isArray(tools)) return null;
  const has = (name: string) => tools.some((t) => isObject(t) && field(t, name) != null);
  const functions = tools.some(
    (t) => isObject(t) && Array.isArray(field(t, 'functionDeclarations')) && (field(t, 'functionDeclarations') as unknown[]).length > 0,
  );
  return functions && (has('googleSearch') || has('googleSearchRetrieval')) ? MESSAGES.searchWithFunctions : null;
}

/** protocols.md D.5: level and budget are exclusive; the level is Gemini 3 only; 2.5 Pro cannot turn thinking off. */
function thinkingError(request: Record<string, unknown>, model: string): string | null {
  const thinking = field(field(request, 'generationConfig'), 'thinkingConfig');
  if (!isObject(thinking)) return null;
  const budget = field(thinking, 'thinkingBudget');
  const level = field(thinking, 'thinkingLevel');
  if (budget != null && level != null) return MESSAGES.budgetAndLevel;
  if (level != null && !model.startsWith('gemini-3')) return 'Thinking level is not supported for this model.';
  const pro25 = model.startsWith('gemini-2.5-pro');
  if (budget != null && Number(budget) === 0 && pro25) return 'Budget 0 is invalid. This model only works in thinking mode.';
  if (budget != null && pro25 && Number(budget) !== -1 && (Number(budget) < 128 || Number(budget) > 32768)) {
    return `The thinking budget ${Number(budget)} is invalid. Please choose a value between 128 and 32768.`;
  }
  return null;
}

function validateCountTokens(body: unknown): GoogleError | null {
  const errors: Violation[] = [];
  parseMessage(body, 'CountTokensRequest', '', errors, false);
  if (errors.length > 0) return parseError(errors);
  const request = body as Record<string, unknown>;
  const contents = field(request, 'contents');
  const inner = field(request, 'generateContentRequest');
  if (contents != null && inner != null) {
    return googleError(400, '* CountTokensRequest: contents and generate_content_request are mutually exclusive; set only one of them.\n');
  }
  const semantic = isObject(inner) ? semanticErrors(inner, false).map((s) => `generate_content_request.${s}`) : countContents(contents);
  return semantic.length > 0 ? googleError(400, semantic.map((s) => `* CountTokensRequest.${s}\n`).join('')) : null;
}

function countContents(contents: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(contents) || contents.length === 0) out.push('contents: contents is not specified');
  else contents.forEach((c, i) => contentErrors(c as Record<string, unknown>, `contents[${i}]`, out));
  return out;
}

/** A field by its JSON name or its proto (snake_case) name. */
function field(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  return obj[name] ?? obj[snake(name)];
}

// ---------------------------------------------------------------------------------------------------
// countTokens and models (protocols.md D.10)
// ---------------------------------------------------------------------------------------------------

/** Deterministic and non-zero: ceil(chars / 4) over text, calls and responses; system and tools when `withExtras`. */
function estimateTokens(request: unknown, withExtras: boolean): number {
  let chars = 0;
  const countContent = (c: unknown): void => {
    if (!isObject(c)) return;
    for (const p of partsOf(c)) {
      if (typeof p.text === 'string') chars += p.text.length;
      const call = functionCallOf(p);
      if (call) chars += String(call.name).length + (JSON.stringify(call.args ?? {}) ?? '').length;
      const response = functionResponseOf(p);
      if (response) chars += String(response.name).length + (JSON.stringify(response.response ?? {}) ?? '').length;
    }
  };
  const contents = field(request, 'contents');
  if (Array.isArray(contents)) contents.forEach(countContent);
  if (withExtras) {
    countContent(field(request, 'systemInstruction'));
    const tools = field(request, 'tools');
    if (tools !== undefined) chars += JSON.stringify(tools).length;
  }
  return Math.max(1, Math.ceil(chars / 4));
}

function modelResource(id: string): Record<string, unknown> {
  const three = id.startsWith('gemini-3');
  const displayName = id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  return {
    name: `models/${id}`,
    baseModelId: id,
    version: three ? '3.0' : '001',
    displayName,
    description: `${displayName} (fake)`,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: !id.startsWith('gemini-2.0'),
  };
}

// ---------------------------------------------------------------------------------------------------
// Behaviours
// ---------------------------------------------------------------------------------------------------

async function perform(ex: Exchange, b: Behaviour, ctx: ReplyContext): Promise<void> {
  switch (b.kind) {
    case 'reply':
      return reply(ex, b, ctx);
    case 'error':
      return sendError(ex, errorBehaviourBody(b), false, b.headers);
    case 'drop':
      return drop(ex, b.afterChunks, ctx);
    case 'hang':
      // Nothing to do: the response stays open until the client (or close()) ends the connection.
      return;
    case 'silent':
      return silent(ex, b, ctx);
    case 'midStreamError':
      return midStreamError(ex, b, ctx);
    default: {
      const unknown: never = b;
      sendError(ex, googleError(500, `fake upstream: unknown behaviour ${JSON.stringify(unknown)}`), false);
    }
  }
}

function isStream(ex: Exchange): boolean {
  return ex.rec.action === 'streamGenerateContent';
}

async function reply(ex: Exchange, b: ReplyBehaviour, ctx: ReplyContext): Promise<void> {
  const chunks = buildChunks(b, ctx);
  ex.rec.issuedSignatures.push(...chunks.signatures);
  if (!(await pause(ex, b.firstByteDelayMs ?? 0))) return;
  if (!isStream(ex)) return sendJson(ex, 200, merge(chunks.list));
  openStream(ex);
  if (await writeChunks(ex, chunks.list, b.chunkDelayMs ?? 0, b.splitUtf8 === true)) endStream(ex);
}

/** The stream cut short: the client sees the connection reset, never a finishReason. */
async function drop(ex: Exchange, afterChunks: number, ctx: ReplyContext): Promise<void> {
  const chunks = defaultChunks(ex, ctx);
  if (!isStream(ex)) {
    // Nearest non-streaming equivalent: 200 headers, part of the body if any chunks were due, reset.
    ex.res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    ex.res.flushHeaders();
    const json = JSON.stringify(merge(chunks));
    if (afterChunks > 0 && !(await writeChunk(ex, json.slice(0, json.length >> 1)))) return;
    return cut(ex);
  }
  openStream(ex);
  if (await writeChunks(ex, chunks.slice(0, afterChunks), 0, false)) cut(ex);
}

async function silent(ex: Exchange, b: Extract<Behaviour, { kind: 'silent' }>, ctx: ReplyContext): Promise<void> {
  const then = b.then ?? 'finish';
  const chunks = defaultChunks(ex, ctx);
  if (!isStream(ex)) {
    // Non-streaming: the silence is a delay before the answer (or before the reset).
    if (!(await pause(ex, b.ms))) return;
    return then === 'drop' ? cut(ex) : sendJson(ex, 200, merge(chunks));
  }
  openStream(ex);
  if (!(await writeChunks(ex, chunks.slice(0, b.afterChunks), 0, false))) return;
  if (!(await pause(ex, b.ms))) return;
  if (then === 'drop') return cut(ex);
  if (await writeChunks(ex, chunks.slice(b.afterChunks), 0, false)) endStream(ex);
}

async function midStreamError(ex: Exchange, b: Extract<Behaviour, { kind: 'midStreamError' }>, ctx: ReplyContext): Promise<void> {
  const error = googleError(b.status, b.message, undefined, b.googleStatus);
  // Without a stream there is no "after the 200": the real service answers with the error status.
  if (!isStream(ex)) return sendError(ex, error, false);
  openStream(ex);
  const chunks: unknown[] = [...defaultChunks(ex, ctx).slice(0, b.afterChunks), error];
  if (await writeChunks(ex, chunks, 0, false)) endStream(ex);
}

function defaultChunks(ex: Exchange, ctx: ReplyContext): unknown[] {
  const built = buildChunks({ kind: 'reply' }, ctx);
  ex.rec.issuedSignatures.push(...built.signatures);
  return built.list;
}

// ---------------------------------------------------------------------------------------------------
// Building responses (protocols.md D.6, D.8)
// ---------------------------------------------------------------------------------------------------

interface OutPart {
  text?: string;
  thought?: boolean;
  functionCall?: { name: string; args: Record<string, unknown>; id?: string };
  thoughtSignature?: string;
}

/**
 * The chunks of a reply, in order; the non-streaming answer is their merge. Each text or thought part
 * is cut into `chunks` pieces (one chunk each), a functionCall comes whole in one chunk, the last
 * chunk carries finishReason, and every chunk carries cumulative usageMetadata.
 */
function buildChunks(b: ReplyBehaviour, ctx: ReplyContext): { list: unknown[]; signatures: string[] } {
  const responseId = newResponseId();
  const modelVersion = b.modelVersion ?? ctx.model;
  const signatures: string[] = [];
  const sign = (given: string | null | undefined, auto: boolean, kind: IssuedSignature['kind'], text?: string, hidden = false): string | undefined => {
    if (given === null || (given === undefined && !auto)) return undefined;
    const sig = ctx.issue(ctx.model, kind, given, text, hidden);
    signatures.push(sig);
    return sig;
  };

  const scripted = b.parts ?? [{ text: b.text ?? DEFAULT_TEXT }];
  const thoughtChars = scripted.reduce((n, p) => n + ('text' in p && p.thought ? p.text.length : 0), 0);
  const answerChars = scripted.reduce(
    (n, p) => n + ('text' in p && !p.thought ? p.text.length : 'functionCall' in p ? JSON.stringify(p.functionCall).length : 0),
    0,
  );
  const final: UsageMetadata = {
    promptTokenCount: b.usage?.promptTokenCount ?? ctx.promptTokens,
    candidatesTokenCount: b.usage?.candidatesTokenCount ?? Math.max(1, Math.ceil(answerChars / 4)),
    ...(thoughtChars > 0 || b.usage?.thoughtsTokenCount !== undefined
      ? { thoughtsTokenCount: b.usage?.thoughtsTokenCount ?? Math.ceil(thoughtChars / 4) }
      : {}),
    ...(b.usage?.cachedContentTokenCount !== undefined ? { cachedContentTokenCount: b.usage.cachedContentTokenCount } : {}),
    ...(b.usage?.toolUsePromptTokenCount !== undefined ? { toolUsePromptTokenCount: b.usage.toolUsePromptTokenCount } : {}),
  };
  final.totalTokenCount =
    b.usage?.totalTokenCount ??
    (final.promptTokenCount ?? 0) + (final.candidatesTokenCount ?? 0) + (final.thoughtsTokenCount ?? 0) + (final.toolUsePromptTokenCount ?? 0);

  if (b.blockReason !== undefined) {
    const usage = { promptTokenCount: final.promptTokenCount, totalTokenCount: final.promptTokenCount };
    return { list: [{ promptFeedback: { blockReason: b.blockReason }, usageMetadata: usage, modelVersion, responseId }], signatures };
  }

  // One list of part pieces, each becoming one chunk.
  const pieces: OutPart[] = [];
  let firstCallSeen = false;
  for (const part of scripted) {
    if ('functionCall' in part) {
      const auto = ctx.signFirstCall && !firstCallSeen;
      firstCallSeen = true;
      const sig = sign(part.thoughtSignature, auto, 'call');
      const call = {
        ...(part.functionCall.id !== undefined ? { id: part.functionCall.id } : {}),
        name: part.functionCall.name,
        args: part.functionCall.args ?? {},
      };
      pieces.push({ functionCall: call, ...(sig ? { thoughtSignature: sig } : {}) });
      continue;
    }
    if (part.thought && !ctx.includeThoughts && !b.forceThoughts) {
      // Gemini leaves unasked-for thoughts out; Claude (behind Code Assist) sends the thought without its
      // text, signed, as Anthropic does with thinking `display: omitted`: the signature still stands for it.
      if (ctx.model.startsWith('claude-')) {
        const sig = sign(part.thoughtSignature, ctx.signThoughts, 'thought', part.text, true);
        pieces.push({ text: '', thought: true, ...(sig ? { thoughtSignature: sig } : {}) });
      }
      continue;
    }
    const texts = splitEven(part.text, b.chunks ?? DEFAULT_CHUNKS);
    const sig = sign(part.thoughtSignature, part.thought === true && ctx.signThoughts, part.thought ? 'thought' : 'text', part.thought ? part.text : undefined);
    texts.forEach((text, i) => {
      const last = i === texts.length - 1;
      pieces.push({ text, ...(part.thought ? { thought: true } : {}), ...(last && sig ? { thoughtSignature: sig } : {}) });
    });
  }
  if (b.trailingSignature) pieces.push({ text: '', thoughtSignature: sign(undefined, true, 'text')! });
  if (pieces.length === 0) pieces.push({ text: '' });

  const finishReason = b.finishReason ?? 'STOP';
  const list = pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    const share = (n: number | undefined) => (n === undefined ? undefined : last ? n : Math.floor((n * (i + 1)) / pieces.length));
    const usage = last
      ? final
      : {
          promptTokenCount: final.promptTokenCount,
          candidatesTokenCount: share(final.candidatesTokenCount),
          ...(final.thoughtsTokenCount !== undefined ? { thoughtsTokenCount: share(final.thoughtsTokenCount) } : {}),
          totalTokenCount: (final.promptTokenCount ?? 0) + (share(final.candidatesTokenCount) ?? 0) + (share(final.thoughtsTokenCount) ?? 0),
        };
    return {
      candidates: [{ content: { parts: [piece], role: 'model' }, ...(last ? { finishReason } : {}), index: 0 }],
      usageMetadata: usage,
      modelVersion,
      responseId,
    };
  });
  return { list, signatures };
}

/** The non-streaming response: the chunks' parts concatenated (adjacent text pieces of one part rejoined). */
function merge(chunks: unknown[]): unknown {
  const last = chunks.at(-1) as Record<string, unknown>;
  if (!Array.isArray(last.candidates)) return last;
  const parts: OutPart[] = [];
  let open: OutPart | null = null;
  for (const chunk of chunks as Array<{ candidates: Array<{ content: { parts: OutPart[] } }> }>) {
    for (const piece of chunk.candidates[0]!.content.parts) {
      if (piece.text !== undefined && open && open.thought === piece.thought && open.thoughtSignature === undefined) {
        open.text += piece.text;
        if (piece.thoughtSignature) open.thoughtSignature = piece.thoughtSignature;
        continue;
      }
      const copy = { ...piece };
      parts.push(copy);
      open = copy.text !== undefined && copy.text !== '' ? copy : null;
    }
  }
  const candidate = (last.candidates as Array<Record<string, unknown>>)[0]!;
  return { ...last, candidates: [{ ...candidate, content: { parts, role: 'model' } }] };
}

/** Splits `s` into at most `n` non-empty pieces of near-equal length, between code points. */
function splitEven(s: string, n: number): string[] {
  const units = Array.from(s);
  if (units.length === 0) return [''];
  const count = Math.min(Math.max(1, Math.floor(n)), units.length);
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    pieces.push(units.slice(Math.floor((i * units.length) / count), Math.floor(((i + 1) * units.length) / count)).join(''));
  }
  return pieces;
}

// ---------------------------------------------------------------------------------------------------
// Writing responses
// ---------------------------------------------------------------------------------------------------

function sendError(ex: Exchange, error: GoogleError, byFake: boolean, headers: Record<string, string> = {}): void {
  if (byFake) ex.rec.rejection = error;
  sendJson(ex, error.error.code, error, headers);
}

function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ex.gone.aborted) return;
  ex.rec.status = status;
  ex.res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  // Pretty-printed, as Google's front end answers.
  ex.res.end(JSON.stringify(body, null, 2) + '\n');
}

function openStream(ex: Exchange): void {
  ex.rec.status = 200;
  ex.res.writeHead(200, { 'content-type': ex.rec.sse ? 'text/event-stream' : 'application/json; charset=UTF-8' });
  // Headers go out now, before any chunk, so a client sees the 200 even if the stream then stalls.
  ex.res.flushHeaders();
}

function endStream(ex: Exchange): void {
  // Without alt=sse the body is one JSON array, closed at the end.
  ex.res.end(ex.rec.sse ? undefined : ex.written === 0 ? '[]' : ']');
}

/**
 * Writes chunks one `res.write` each, `gapMs` apart: `data: <json>\r\n\r\n` with alt=sse, else the
 * elements of a JSON array. Resolves false once the connection is gone.
 */
async function writeChunks(ex: Exchange, chunks: unknown[], gapMs: number, splitUtf8: boolean): Promise<boolean> {
  for (const [i, chunk] of chunks.entries()) {
    if (i > 0 && !(await pause(ex, gapMs))) return false;
    const json = JSON.stringify(chunk);
    const text = ex.rec.sse ? `data: ${json}\r\n\r\n` : `${ex.written === 0 ? '[' : ',\r\n'}${json}`;
    ex.written++;
    const bytes = Buffer.from(text, 'utf8');
    const cutAt = splitUtf8 ? midCharacter(bytes) : -1;
    if (cutAt > 0) {
      if (!(await writeChunk(ex, bytes.subarray(0, cutAt)))) return false;
      // A short pause so the two halves leave in separate TCP segments.
      if (!(await pause(ex, 5))) return false;
      if (!(await writeChunk(ex, bytes.subarray(cutAt)))) return false;
    } else if (!(await writeChunk(ex, bytes))) {
      return false;
    }
  }
  return !ex.gone.aborted;
}

/** Byte offset just after the first byte of the first multi-byte character, or -1. */
function midCharacter(bytes: Buffer): number {
  const i = bytes.findIndex((b) => b >= 0xc0);
  return i < 0 ? -1 : i + 1;
}

/** A bug in the fake itself: answer 500 if still possible, so the test fails loudly rather than hangs. */
export function failInternally(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .writeHead(500, { 'content-type': 'application/json; charset=UTF-8' })
    .end(JSON.stringify(googleError(500, `fake upstream internal error: ${String(err)}`)));
}

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

/** Opaque, like Google's responseId. */
function newResponseId(): string {
  return randomBytes(16).toString('base64url');
}

/** Models that refuse a replayed function call without its signature: Gemini 3 and later. */
function enforcesSignatures(model: string): boolean {
  const major = /^gemini-(\d+)/.exec(model)?.[1];
  return major !== undefined && Number(major) >= 3;
}
