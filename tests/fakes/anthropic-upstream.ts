// A fake Anthropic Messages API for loopback tests.
//
// It is written from the public protocol (shared/reference/protocols.md, sections A and B) and
// deliberately imports nothing from src-proxy/: if the gateway's SSE encoder or validator had a bug,
// the same code here would hide it. Only node: built-ins and the helpers both fakes share (fake-http.ts).
//
// What it emulates: the three routes Claude Code uses (messages, count_tokens, models), the request
// validation clients see from the real service (same error bodies and wording), the exact SSE wire
// format with one `res.write` per event, and a scriptable set of failure modes (HTTP errors, dropped
// connections, silent or failing streams, requests that never answer). Every request is recorded,
// including when the client gave up on it.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { captureBody, cut, firstHeader, isObject, parseJson, pause, readBody, ScriptedFake, splitOnce, writeChunk } from './fake-http.js';

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

export interface FakeAnthropicOptions {
  /** Keys accepted (via `x-api-key` or `Authorization: Bearer`); any other key gets 401 authentication_error. Default: accept any non-empty key. */
  keys?: string[];
  /** When true, a `cache_control` anywhere in the body gets 400 invalid_request_error, as some strict Anthropic-compatible vendors do. */
  rejectCacheControl?: boolean;
  /**
   * Thinking blocks sent back must carry the signature this fake gave that thinking (else 400 "Invalid
   * `signature` in `thinking` block"), and with thinking on (enabled or adaptive) a tool loop's last assistant
   * turn must start with its thinking block, as the real service checks. Default true.
   */
  checkThinking?: boolean;
  /**
   * Who signs this fake's thinking. Fakes with different signers refuse each other's signatures, as
   * Anthropic refuses a signature z.ai or DeepSeek made. Default 'anthropic'.
   */
  signer?: string;
  /** When false, POST /v1/messages/count_tokens answers 404 not_found_error. Default true. */
  countTokens?: boolean;
  /** Behaviour used when the script queue is empty. Default: reply({}) */
  defaultBehaviour?: Behaviour | BehaviourFn;
}

export type BehaviourFn = (req: RecordedRequest) => Behaviour;

export type Behaviour =
  | {
      kind: 'reply';
      text?: string;
      content?: ReplyBlock[];
      stopReason?: string;
      model?: string;
      usage?: { input_tokens?: number; output_tokens?: number; cache_creation_input_tokens?: number; cache_read_input_tokens?: number };
      chunks?: number;
      chunkDelayMs?: number;
      firstByteDelayMs?: number;
      /** Streams: a pause before the first content delta, as a model takes to its first token. */
      firstTokenDelayMs?: number;
      /** Streams: every event holding a multi-byte character is written in two parts cut inside that character. */
      splitUtf8?: boolean;
      /** Response headers besides the usual ones, e.g. `anthropic-ratelimit-requests-remaining`. */
      headers?: Record<string, string>;
    }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> }
  /** 200 + SSE headers, `afterEvents` events, then the socket is destroyed. */
  | { kind: 'drop'; afterEvents: number }
  /** Read the request and never answer (until the client goes away). */
  | { kind: 'hang' }
  /** Pause mid-stream for `ms`, then finish the stream (default) or drop the connection. */
  | { kind: 'silent'; afterEvents: number; ms: number; then?: 'finish' | 'drop' }
  /** `event: error` after some events, then end. */
  | { kind: 'midStreamError'; afterEvents: number; type: string; message: string };

export type ReplyBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown } | { type: 'thinking'; thinking: string; signature?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Parsed JSON, or undefined when the body is empty or not JSON. `any` so tests can read fields directly. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The credential presented (`x-api-key`, else `Authorization: Bearer`). */
  key: string | null;
  /** performance.now() when the request arrived. */
  receivedAt: number;
  /** The fake wrote its whole response. */
  finished: boolean;
  /** The client closed the connection before the response finished. */
  aborted: boolean;
  /** performance.now() when the client abort was seen. */
  abortedAt: number | null;
  /** The response body bytes this fake wrote, in order. */
  sent: Buffer[];
}

export interface FakeAnthropic {
  /** Base URL, e.g. http://127.0.0.1:41234 (no /v1). */
  url: string;
  /** Every request, in arrival order (all paths). */
  requests: RecordedRequest[];
  /** Only POST /v1/messages. */
  messageRequests(): RecordedRequest[];
  /** Queued, one consumed per valid POST /v1/messages. */
  script(...b: Array<Behaviour | BehaviourFn>): void;
  setDefault(b: Behaviour | BehaviourFn): void;
  /** Every request with this key (`*`: every request) gets `b`, ahead of the script, until lifted with null. */
  refuse(credential: string, b: Behaviour | null): void;
  /** Polls; rejects on timeout (default 2000 ms). */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  /** Clears requests and script. */
  reset(): void;
  /** Closes the server and destroys open sockets. */
  close(): Promise<void>;
}

/** Starts a fake listening on 127.0.0.1, on a free port. */
export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const fake = new FakeAnthropicServer(opts);
  await fake.listen();
  return fake;
}

// ---------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------

const DEFAULT_TEXT = 'Hello from the fake upstream.';
const DEFAULT_CHUNKS = 3;
/** The real API refuses bodies above 32 MB (413, from the edge before the API sees them). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Newest first, as the real list is ordered. Dates are illustrative; only the shape matters. */
const MODELS = [
  { type: 'model', id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', created_at: '2026-02-05T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-05T00:00:00Z' },
  { type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
] as const;

/** HTTP status for each Anthropic error type (protocols.md A.10). */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

// ---------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------

type ReplyBehaviour = Extract<Behaviour, { kind: 'reply' }>;

/** A request the fake refuses before any scripted behaviour runs. */
interface Rejection {
  status: number;
  type: string;
  message: string;
}

/** One request/response pair being served. */
interface Exchange {
  rec: RecordedRequest;
  res: ServerResponse;
  requestId: string;
  /** Who signs the thinking this exchange answers with (FakeAnthropicOptions.signer). */
  signer: string;
  /** Aborted when the response closes for any reason, so pending pauses and writes stop at once. */
  gone: AbortSignal;
  /** Set when the fake itself cuts the connection, so that is not recorded as a client abort. */
  cutByFake: boolean;
}

class FakeAnthropicServer extends ScriptedFake<RecordedRequest, Behaviour> implements FakeAnthropic {
  constructor(private readonly opts: FakeAnthropicOptions) {
    super(opts.defaultBehaviour ?? { kind: 'reply' }, failInternally);
  }

  messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  }

  protected override credentialOf(rec: RecordedRequest): string | null {
    return rec.key;
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
    if (method === 'POST' && path === '/v1/messages') return this.messages(ex);
    if (method === 'POST' && path === '/v1/messages/count_tokens' && this.opts.countTokens !== false) {
      return this.countTokens(ex);
    }
    if (method === 'GET' && path === '/v1/models') return this.listModels(ex);
    const model = method === 'GET' ? /^\/v1\/models\/([^/]+)$/.exec(path) : null;
    if (model?.[1] !== undefined) return this.getModel(ex, decodeURIComponent(model[1]));
    sendError(ex, { status: 404, type: 'not_found_error', message: `Not Found: ${method} ${path}` });
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
      key: presentedKey(req),
      receivedAt: performance.now(),
      finished: false,
      aborted: false,
      abortedAt: null,
      sent: [],
    };
    captureBody(res, rec.sent);
    const gone = new AbortController();
    const ex: Exchange = { rec, res, requestId: newId('req_'), signer: this.opts.signer ?? 'anthropic', gone: gone.signal, cutByFake: false };
    res.setHeader('request-id', ex.requestId);
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

  private async messages(ex: Exchange): Promise<void> {
    const rejection = this.validate(ex.rec, { needsMaxTokens: true });
    if (rejection) return sendError(ex, rejection);
    // A behaviour is consumed only by a request that passed validation, as the real service would
    // only reach the model for those.
    let behaviour: Behaviour;
    try {
      behaviour = this.nextBehaviour(ex.rec);
    } catch (err) {
      return sendError(ex, { status: 500, type: 'api_error', message: `fake upstream: behaviour function threw: ${String(err)}` });
    }
    await perform(ex, behaviour);
  }

  private countTokens(ex: Exchange): void {
    const rejection = this.validate(ex.rec, { needsMaxTokens: false });
    if (rejection) return sendError(ex, rejection);
    sendJson(ex, 200, { input_tokens: estimateInputTokens(ex.rec.body) });
  }

  private listModels(ex: Exchange): void {
    const rejection = checkHeaders(ex.rec, this.opts.keys);
    if (rejection) return sendError(ex, rejection);
    const page = modelsPage(new URLSearchParams(ex.rec.query));
    if ('status' in page) return sendError(ex, page);
    sendJson(ex, 200, page);
  }

  private getModel(ex: Exchange, id: string): void {
    const rejection = checkHeaders(ex.rec, this.opts.keys);
    if (rejection) return sendError(ex, rejection);
    const model = MODELS.find((m) => m.id === id);
    if (!model) return sendError(ex, { status: 404, type: 'not_found_error', message: `model: ${id}` });
    sendJson(ex, 200, model);
  }

  /** The checks the real service makes before the model sees anything, in the order it makes them. */
  private validate(rec: RecordedRequest, opts: { needsMaxTokens: boolean }): Rejection | null {
    const headers = checkHeaders(rec, this.opts.keys);
    if (headers) return headers;
    if (rec.rawBody.length > MAX_BODY_BYTES) {
      return { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
    }
    if (rec.body === undefined) {
      return invalid('There was an error parsing the body of your request: it is not valid JSON.');
    }
    const fieldError = validateBody(rec.body, opts.needsMaxTokens);
    if (fieldError) return invalid(fieldError);
    if (opts.needsMaxTokens && this.opts.checkThinking !== false) {
      const thinking = thinkingError(rec.body as Record<string, unknown>, this.opts.signer ?? 'anthropic');
      if (thinking) return invalid(thinking);
    }
    if (this.opts.rejectCacheControl) {
      const where = findKey(rec.body, 'cache_control', '');
      if (where !== null) return invalid(`${where}: Extra inputs are not permitted`);
    }
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Validation (protocols.md A.1, A.7)
// ---------------------------------------------------------------------------------------------------

function invalid(message: string): Rejection {
  return { status: 400, type: 'invalid_request_error', message };
}

/** `anthropic-version` first, then the credential: the order in which the real service checks them. */
function checkHeaders(rec: RecordedRequest, keys: string[] | undefined): Rejection | null {
  if (!rec.headers['anthropic-version']) return invalid('anthropic-version: header is required');
  if (!rec.key) return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
  if (keys && !keys.includes(rec.key)) return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
  return null;
}

/** `x-api-key` wins over `Authorization: Bearer`, like the real service. Empty values count as absent. */
function presentedKey(req: IncomingMessage): string | null {
  const apiKey = firstHeader(req.headers['x-api-key']);
  if (apiKey) return apiKey;
  const bearer = /^Bearer\s+(.+)$/i.exec(firstHeader(req.headers.authorization) ?? '');
  return bearer?.[1]?.trim() || null;
}

/** Returns the first failing field in pydantic-like wording (`field: problem`), or null. */
function validateBody(body: unknown, needsMaxTokens: boolean): string | null {
  if (!isObject(body)) return 'body: Input should be a valid dictionary';
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string') return 'model: Input should be a valid string';
  if (needsMaxTokens) {
    if (body.max_tokens === undefined) return 'max_tokens: Field required';
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
      return 'max_tokens: Input should be a valid integer';
    }
    if (body.max_tokens < 1) return 'max_tokens: Input should be greater than or equal to 1';
  }
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  return validateMessageShapes(body.messages) ?? validateToolPairing(body.messages);
}

function validateMessageShapes(messages: unknown[]): string | null {
  for (const [i, m] of messages.entries()) {
    if (!isObject(m)) return `messages.${i}: Input should be a valid dictionary`;
    // 'system' is accepted because SDK 1.x (API version 2026-10-21) types a system-role message.
    if (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    if (typeof m.content === 'string') continue;
    if (!Array.isArray(m.content)) return `messages.${i}.content: Input should be a valid list`;
    for (const [j, block] of m.content.entries()) {
      if (!isObject(block) || typeof block.type !== 'string') {
        return `messages.${i}.content.${j}: Input should be a valid dictionary`;
      }
    }
  }
  return null;
}

/**
 * Every `tool_use` must be answered by a `tool_result` in the next user turn, and every `tool_result`
 * must answer a `tool_use` of the previous assistant turn. The real API merges consecutive same-role
 * messages first, so the check runs on turns (runs of same-role messages), reported at the index of
 * the message that holds the offending block.
 */
function validateToolPairing(messages: unknown[]): string | null {
  const turns = groupTurns(messages as Array<Record<string, unknown>>);
  for (const [t, turn] of turns.entries()) {
    if (turn.role === 'assistant') {
      const answered = new Set(turns[t + 1]?.role === 'user' ? blocksOf(turns[t + 1]!, 'tool_result').map((b) => b.block.tool_use_id) : []);
      const missing = blocksOf(turn, 'tool_use')
        .map((b) => b.block.id)
        .filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return `messages.${turn.first}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
    if (turn.role === 'user') {
      const asked = new Set(turns[t - 1]?.role === 'assistant' ? blocksOf(turns[t - 1]!, 'tool_use').map((b) => b.block.id) : []);
      const stray = blocksOf(turn, 'tool_result').find((b) => !asked.has(b.block.tool_use_id));
      if (stray) {
        return `messages.${stray.message}.content.${stray.index}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(stray.block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
  }
  return null;
}

interface Turn {
  role: unknown;
  /** Index of the turn's first message. */
  first: number;
  messages: Array<{ index: number; content: unknown }>;
}

function groupTurns(messages: Array<Record<string, unknown>>): Turn[] {
  const turns: Turn[] = [];
  for (const [index, m] of messages.entries()) {
    const last = turns.at(-1);
    if (last && last.role === m.role) last.messages.push({ index, content: m.content });
    else turns.push({ role: m.role, first: index, messages: [{ index, content: m.content }] });
  }
  return turns;
}

/** The blocks of a given type in a turn, with where each sits. */
function blocksOf(turn: Turn, type: string): Array<{ message: number; index: number; block: Record<string, unknown> }> {
  const found: Array<{ message: number; index: number; block: Record<string, unknown> }> = [];
  for (const m of turn.messages) {
    if (!Array.isArray(m.content)) continue;
    for (const [index, block] of m.content.entries()) {
      if (isObject(block) && block.type === type) found.push({ message: m.index, index, block });
    }
  }
  return found;
}

/** Dotted path of the first property named `key` anywhere in `value`, or null. */
function findKey(value: unknown, key: string, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const hit = findKey(item, key, joinPath(path, String(i)));
      if (hit !== null) return hit;
    }
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) return joinPath(path, k);
      const hit = findKey(v, key, joinPath(path, k));
      if (hit !== null) return hit;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// count_tokens and models (protocols.md B.5, B.6)
// ---------------------------------------------------------------------------------------------------

/** A deterministic, non-zero estimate: ceil(chars / 4) over text content, system and tools. */
function estimateInputTokens(body: unknown): number {
  if (!isObject(body)) return 1;
  let chars = contentChars(body.system);
  if (Array.isArray(body.messages)) {
    for (const m of body.messages) if (isObject(m)) chars += contentChars(m.content);
  }
  if (Array.isArray(body.tools)) chars += JSON.stringify(body.tools).length;
  return Math.max(1, Math.ceil(chars / 4));
}

/** Characters of text in a content value; media blocks count nothing. */
function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') chars += block.text.length;
    if (typeof block.thinking === 'string') chars += block.thinking.length;
    if (block.type === 'tool_use') chars += String(block.name).length + (JSON.stringify(block.input) ?? '').length;
    if (block.type === 'tool_result') chars += contentChars(block.content);
  }
  return chars;
}

type ModelsPage = { data: unknown[]; has_more: boolean; first_id: string | null; last_id: string | null };

/** One page of the model list, with `limit`, `after_id` and `before_id` as the real endpoint takes them. */
function modelsPage(params: URLSearchParams): ModelsPage | Rejection {
  const limit = Number(params.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return invalid('limit: Input should be an integer between 1 and 1000');
  }
  const after = params.get('after_id');
  const before = params.get('before_id');
  const from = after ? MODELS.findIndex((m) => m.id === after) + 1 : 0;
  const to = before
    ? Math.max(
        0,
        MODELS.findIndex((m) => m.id === before),
      )
    : MODELS.length;
  const window = MODELS.slice(from, to);
  // Paging backwards keeps the page nearest to `before_id`.
  const data = before ? window.slice(-limit) : window.slice(0, limit);
  return { data, has_more: data.length < window.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

// ---------------------------------------------------------------------------------------------------
// Behaviours
// ---------------------------------------------------------------------------------------------------

async function perform(ex: Exchange, b: Behaviour): Promise<void> {
  switch (b.kind) {
    case 'reply':
      return reply(ex, b);
    case 'error':
      return sendError(ex, { status: b.status, type: b.type, message: b.message }, b.headers);
    case 'drop':
      return drop(ex, b.afterEvents);
    case 'hang':
      // Nothing to do: the response stays open until the client (or close()) ends the connection.
      return;
    case 'silent':
      return silent(ex, b.afterEvents, b.ms, b.then ?? 'finish');
    case 'midStreamError':
      return midStreamError(ex, b);
    default: {
      const unknown: never = b;
      sendError(ex, { status: 500, type: 'api_error', message: `fake upstream: unknown behaviour ${JSON.stringify(unknown)}` });
    }
  }
}

function wantsStream(ex: Exchange): boolean {
  return isObject(ex.rec.body) && ex.rec.body.stream === true;
}

async function reply(ex: Exchange, b: ReplyBehaviour): Promise<void> {
  const message = buildMessage(b, ex.rec.body, ex.signer);
  if (!(await pause(ex, b.firstByteDelayMs ?? 0))) return;
  if (!wantsStream(ex)) return sendJson(ex, 200, message, b.headers);
  openEventStream(ex, b.headers);
  const events = streamEvents(message, b.chunks ?? DEFAULT_CHUNKS);
  const firstDelta = events.findIndex((e) => e.name === 'content_block_delta');
  const gap = (i: number) => (i === firstDelta ? (b.firstTokenDelayMs ?? b.chunkDelayMs ?? 0) : (b.chunkDelayMs ?? 0));
  if (await writeEvents(ex, events, gap, b.splitUtf8 === true)) ex.res.end();
}

/** The stream cut short: the client sees the connection reset, never `message_stop`. */
async function drop(ex: Exchange, afterEvents: number): Promise<void> {
  if (!wantsStream(ex)) {
    // Nearest non-streaming equivalent: 200 headers, part of the body if any "events" were due, reset.
    ex.res.writeHead(200, { 'content-type': 'application/json' });
    ex.res.flushHeaders();
    const json = JSON.stringify(buildMessage({ kind: 'reply' }, ex.rec.body, ex.signer));
    if (afterEvents > 0 && !(await writeChunk(ex, json.slice(0, json.length >> 1)))) return;
    return cut(ex);
  }
  openEventStream(ex);
  if (await writeEvents(ex, defaultEvents(ex).slice(0, afterEvents), 0)) cut(ex);
}

async function silent(ex: Exchange, afterEvents: number, ms: number, then: 'finish' | 'drop'): Promise<void> {
  if (!wantsStream(ex)) {
    // Non-streaming: the silence is a delay before the answer (or before the reset).
    if (!(await pause(ex, ms))) return;
    return then === 'drop' ? cut(ex) : sendJson(ex, 200, buildMessage({ kind: 'reply' }, ex.rec.body, ex.signer));
  }
  openEventStream(ex);
  const events = defaultEvents(ex);
  if (!(await writeEvents(ex, events.slice(0, afterEvents), 0))) return;
  if (!(await pause(ex, ms))) return;
  if (then === 'drop') return cut(ex);
  if (await writeEvents(ex, events.slice(afterEvents), 0)) ex.res.end();
}

async function midStreamError(ex: Exchange, b: Extract<Behaviour, { kind: 'midStreamError' }>): Promise<void> {
  if (!wantsStream(ex)) {
    // Without a stream there is no "after the 200": the real service answers with the error status.
    return sendError(ex, { status: STATUS_BY_ERROR_TYPE[b.type] ?? 500, type: b.type, message: b.message });
  }
  openEventStream(ex);
  if (!(await writeEvents(ex, defaultEvents(ex).slice(0, b.afterEvents), 0))) return;
  const error = { name: 'error', data: errorBody(ex, b.type, b.message) };
  // No message_stop after an error: the stream simply ends.
  if (await writeEvents(ex, [error], 0)) ex.res.end();
}

/** The events of the default reply, which drop/silent/midStreamError cut into. */
function defaultEvents(ex: Exchange): SseEvent[] {
  return streamEvents(buildMessage({ kind: 'reply' }, ex.rec.body, ex.signer), DEFAULT_CHUNKS);
}

// ---------------------------------------------------------------------------------------------------
// Building the message and its stream (protocols.md A.8, B.2)
// ---------------------------------------------------------------------------------------------------

type OutBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown } | { type: 'thinking'; thinking: string; signature: string };

interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: OutBlock[];
  stop_reason: string;
  stop_sequence: string | null;
  usage: Usage;
}

function buildMessage(b: ReplyBehaviour, body: unknown, signer: string): Message {
  const request = isObject(body) ? body : {};
  const content = (b.content ?? [{ type: 'text', text: b.text ?? DEFAULT_TEXT }]).map((block) => completeBlock(block, signer));
  const stopReason = b.stopReason ?? (content.some((c) => c.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const stopSequences = Array.isArray(request.stop_sequences) ? request.stop_sequences : [];
  return {
    id: newId('msg_'),
    type: 'message',
    role: 'assistant',
    model: b.model ?? (typeof request.model === 'string' ? request.model : 'claude-sonnet-4-6'),
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? String(stopSequences[0] ?? '') : null,
    usage: {
      input_tokens: b.usage?.input_tokens ?? estimateInputTokens(body),
      cache_creation_input_tokens: b.usage?.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: b.usage?.cache_read_input_tokens ?? 0,
      output_tokens: b.usage?.output_tokens ?? Math.max(1, Math.ceil(contentChars(content) / 4)),
    },
  };
}

/** Fills in what the real service always returns: tool ids and thinking signatures. */
function completeBlock(block: ReplyBlock, signer: string): OutBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id ?? newId('toolu_'), name: block.name, input: block.input ?? {} };
    case 'thinking':
      if (block.signature !== undefined) scriptedSignatures.set(block.signature, { thinking: block.thinking, signer });
      return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? fakeSignature(block.thinking, signer) };
  }
}

/** Opaque, base64 like the real ones, and deterministic so tests can compare round trips. */
function fakeSignature(thinking: string, signer: string): string {
  return Buffer.from(`fake-signature:${signer}:${thinking.slice(0, 48)}`).toString('base64');
}

/** Signatures scripted by tests, with the thinking and signer they were given with: they verify like the fake's own. */
const scriptedSignatures = new Map<string, { thinking: string; signer: string }>();

function verifies(block: Record<string, unknown>, signer: string): boolean {
  const { thinking, signature } = block;
  if (typeof thinking !== 'string' || typeof signature !== 'string' || signature === '') return false;
  if (signature === fakeSignature(thinking, signer)) return true;
  const scripted = scriptedSignatures.get(signature);
  return scripted?.thinking === thinking && scripted.signer === signer;
}

export const THINKING_FIRST_MESSAGE =
  'Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.';

/**
 * The service's checks on thinking (protocols.md A.5): every thinking block comes back as it was
 * signed, and with thinking enabled the assistant turn whose tool calls the request answers starts
 * with its thinking.
 */
function thinkingError(body: Record<string, unknown>, signer: string): string | null {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  const blocksOf = (m: Record<string, unknown> | undefined) => (Array.isArray(m?.content) ? (m.content as Array<Record<string, unknown>>) : []);
  for (const [i, m] of messages.entries()) {
    if (m.role !== 'assistant') continue;
    for (const [j, block] of blocksOf(m).entries()) {
      if (block.type === 'thinking' && !verifies(block, signer)) return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  // Adaptive thinking (what Claude Code sends) is held to the same rule as a fixed budget.
  const enabled = isObject(body.thinking) && body.thinking.type !== 'disabled';
  const last = messages.at(-1);
  const turn = messages.at(-2);
  if (!enabled || last?.role !== 'user' || turn?.role !== 'assistant') return null;
  if (!blocksOf(last).some((b) => b.type === 'tool_result') || !blocksOf(turn).some((b) => b.type === 'tool_use')) return null;
  const first = blocksOf(turn)[0];
  if (first?.type === 'thinking' || first?.type === 'redacted_thinking') return null;
  return `messages.${messages.length - 2}.content.0.type: ${THINKING_FIRST_MESSAGE}`;
}

interface SseEvent {
  name: string;
  data: unknown;
}

/**
 * The full event sequence of a streamed reply:
 * message_start, then per block start / ping (after the first start) / deltas / stop, then
 * message_delta and message_stop.
 */
function streamEvents(message: Message, chunks: number): SseEvent[] {
  const ev = (data: { type: string } & Record<string, unknown>): SseEvent => ({ name: data.type, data });
  const events: SseEvent[] = [
    ev({
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } },
    }),
  ];
  message.content.forEach((block, index) => {
    events.push(ev({ type: 'content_block_start', index, content_block: emptyBlock(block) }));
    if (index === 0) events.push(ev({ type: 'ping' }));
    for (const delta of blockDeltas(block, chunks)) events.push(ev({ type: 'content_block_delta', index, delta }));
    events.push(ev({ type: 'content_block_stop', index }));
  });
  if (message.content.length === 0) events.push(ev({ type: 'ping' }));
  events.push(
    ev({
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      // Cumulative totals, as the current API sends them.
      usage: { ...message.usage },
    }),
    ev({ type: 'message_stop' }),
  );
  return events;
}

/** The shape a block has in `content_block_start`: complete, with empty text (protocols.md §0.5). */
function emptyBlock(block: OutBlock): unknown {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
  }
}

function blockDeltas(block: OutBlock, chunks: number): unknown[] {
  switch (block.type) {
    case 'text':
      return splitEven(block.text, chunks).map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [
        ...splitEven(block.thinking, chunks).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'tool_use': {
      // Like the real API: a leading empty fragment, then the JSON cut at arbitrary character
      // positions (inside keys, strings and escapes), never fewer than two pieces.
      const json = JSON.stringify(block.input) ?? '{}';
      const pieces = ['', ...splitEven(json, Math.max(2, chunks), false)];
      return pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    }
  }
}

/**
 * Splits `s` into at most `n` non-empty pieces of near-equal length. By default it cuts between code
 * points so text deltas stay valid UTF-16; raw cuts (for JSON fragments) may land anywhere.
 */
function splitEven(s: string, n: number, byCodePoint = true): string[] {
  const units = byCodePoint ? Array.from(s) : s.split('');
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

function errorBody(ex: Exchange, type: string, message: string): unknown {
  return { type: 'error', error: { type, message }, request_id: ex.requestId };
}

function sendError(ex: Exchange, r: Rejection, headers: Record<string, string> = {}): void {
  sendJson(ex, r.status, errorBody(ex, r.type, r.message), headers);
}

function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ex.gone.aborted) return;
  ex.res.writeHead(status, { 'content-type': 'application/json', ...headers });
  ex.res.end(JSON.stringify(body));
}

function openEventStream(ex: Exchange, headers: Record<string, string> = {}): void {
  ex.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  // Headers go out now, before any event, so a client sees the 200 even if the stream then stalls.
  ex.res.flushHeaders();
}

/** Writes events one `res.write` each, `gapMs` apart. Resolves false once the connection is gone. */
async function writeEvents(ex: Exchange, events: SseEvent[], gapMs: number | ((index: number) => number), splitUtf8 = false): Promise<boolean> {
  for (const [i, e] of events.entries()) {
    if (i > 0 && !(await pause(ex, typeof gapMs === 'number' ? gapMs : gapMs(i)))) return false;
    const text = `event: ${e.name}\ndata: ${JSON.stringify(e.data)}\n\n`;
    const bytes = Buffer.from(text);
    // The first byte of a multi-byte character's continuation: cutting there splits the character.
    const cut = splitUtf8 ? bytes.findIndex((b) => (b & 0xc0) === 0x80) : -1;
    if (cut > 0) {
      if (!(await writeChunk(ex, bytes.subarray(0, cut)))) return false;
      // Long enough apart that the reader sees two reads, not one.
      if (!(await pause(ex, 5))) return false;
      if (!(await writeChunk(ex, bytes.subarray(cut)))) return false;
    } else if (!(await writeChunk(ex, text))) return false;
  }
  return !ex.gone.aborted;
}

/** A bug in the fake itself: answer 500 if still possible, so the test fails loudly rather than hangs. */
function failInternally(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = { type: 'error', error: { type: 'api_error', message: `fake upstream internal error: ${String(err)}` }, request_id: newId('req_') };
  res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Ids shaped like the real ones (`msg_01…`, `toolu_01…`, `req_01…`): opaque to clients. */
function newId(prefix: string): string {
  const bytes = randomBytes(22);
  let id = `${prefix}01`;
  for (const b of bytes) id += BASE62[b % 62];
  return id;
}
