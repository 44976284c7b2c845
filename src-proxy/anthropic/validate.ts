// Request validation with the API's own wording (`max_tokens: Field required`,
// `messages.3.content.0.type: ...`), so clients see the errors they already know. The fields the API
// defines are checked for type and range as the API checks them; everything else (fields and block
// types added after this was written) is the upstream's business and passes through as is. A null
// optional knob counts as absent.

import { GatewayError } from './errors.js';
import { MAX_MODEL_ID_LENGTH, MODEL_ID_PATTERN } from './model-id.js';
import type { CountTokensRequest, MessagesRequest } from './types.js';

type Json = Record<string, unknown>;

const ROLES = new Set(['user', 'assistant', 'system']);

/** The largest integer any token count may be: the API's counts are 32-bit, and 1e30 is an integer in JS. */
const MAX_INTEGER = 2 ** 31 - 1;

/** The minimum budget of `thinking: {type: "enabled"}`. */
const MIN_THINKING_BUDGET = 1024;

const BUDGET_ABOVE_MAX_TOKENS =
  '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at ' +
  'https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size';

/** What the validator needs to know about the request beyond its body. */
export interface ValidateOptions {
  /**
   * The `anthropic-beta` header as received (absent: undefined). With `interleaved-thinking-*` the API
   * lets `thinking.budget_tokens` reach or exceed `max_tokens`, so that bound is checked only when the
   * caller passes the header and the beta is not in it.
   */
  anthropicBeta: string | string[] | undefined;
}

function invalid(message: string): GatewayError {
  return new GatewayError(400, message);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of an optional field, with null meaning absent. */
function optional(body: Json, field: string): unknown {
  const v = body[field];
  return v === null ? undefined : v;
}

function requireString(body: Json, field: string): string {
  const v = body[field];
  if (v === undefined) throw invalid(`${field}: Field required`);
  if (typeof v !== 'string') throw invalid(`${field}: Input should be a valid string`);
  if (v === '') throw invalid(`${field}: String should have at least 1 character`);
  return v;
}

function checkInteger(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(`${path}: Input should be a valid integer`);
  if (value < min) throw invalid(`${path}: Input should be greater than or equal to ${min}`);
  if (value > MAX_INTEGER) throw invalid(`${path}: Input should be less than or equal to ${MAX_INTEGER}`);
  return value;
}

/** `temperature` and `top_p`: a number from 0 to 1. */
function checkUnitInterval(body: Json, field: string): void {
  const v = optional(body, field);
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field}: Input should be a valid number`);
  if (v < 0) throw invalid(`${field}: Input should be greater than or equal to 0`);
  if (v > 1) throw invalid(`${field}: Input should be less than or equal to 1`);
}

function checkOptionalString(body: Json, field: string): void {
  const v = optional(body, field);
  if (v !== undefined && typeof v !== 'string') throw invalid(`${field}: Input should be a valid string`);
}

/** A `type` field that must be a string; returns it. */
function requireType(obj: Json, path: string): string {
  if (typeof obj.type !== 'string') {
    throw invalid(obj.type === undefined ? `${path}.type: Field required` : `${path}.type: Input should be a valid string`);
  }
  return obj.type;
}

function checkModel(body: Json): void {
  const model = requireString(body, 'model');
  if (model.length > MAX_MODEL_ID_LENGTH) throw invalid(`model: String should have at most ${MAX_MODEL_ID_LENGTH} characters`);
  if (!MODEL_ID_PATTERN.test(model)) throw invalid(`model: String should match pattern '${MODEL_ID_PATTERN.source}'`);
}

/**
 * Base64 as the API and Gemini take it: the standard or the URL-safe alphabet, padding only at the end,
 * no whitespace, and a length a whole number of bytes can have.
 */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isBase64(data: string): boolean {
  return data.length > 0 && data.length % 4 !== 1 && BASE64.test(data) && (!data.endsWith('=') || data.length % 4 === 0);
}

/**
 * Inline data (an image, a PDF) must decode: sent on, broken base64 becomes an upstream's 400 about some
 * other field, or a 500 of a translator further in. A tool result's own blocks are checked too.
 */
function checkInlineData(block: Json, type: string, path: string): void {
  const source = block.source;
  if (isObject(source) && source.type === 'base64') {
    if (typeof source.data !== 'string') {
      throw invalid(`${path}.source.data: ${source.data === undefined ? 'Field required' : 'Input should be a valid string'}`);
    }
    if (!isBase64(source.data)) throw invalid(`${path}.source.data: the ${type} block's data is not valid base64`);
  }
  if (type === 'tool_result' && Array.isArray(block.content)) {
    block.content.forEach((inner, j) => {
      if (isObject(inner) && typeof inner.type === 'string') checkInlineData(inner, inner.type, `${path}.content.${j}`);
    });
  }
}

function checkBlocks(blocks: unknown[], path: string, onlyText = false): void {
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (!isObject(block)) throw invalid(`${path}.${i}: Input should be a valid dictionary`);
    const type = requireType(block, `${path}.${i}`);
    if (onlyText && type !== 'text') throw invalid(`${path}.${i}.type: Input should be 'text'`);
    if (type === 'text' && typeof block.text !== 'string') {
      throw invalid(`${path}.${i}.text: ${block.text === undefined ? 'Field required' : 'Input should be a valid string'}`);
    }
    checkInlineData(block, type, `${path}.${i}`);
  }
}

function checkContent(content: unknown, path: string): void {
  if (content === undefined) throw invalid(`${path}: Field required`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(`${path}: Input should be a valid list or string`);
  checkBlocks(content, path);
}

function checkMessages(body: Json): void {
  const messages = body.messages;
  if (messages === undefined) throw invalid('messages: Field required');
  if (!Array.isArray(messages)) throw invalid('messages: Input should be a valid list');
  if (messages.length === 0) throw invalid('messages: at least one message is required');
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObject(m)) throw invalid(`messages.${i}: Input should be a valid dictionary`);
    if (m.role === undefined) throw invalid(`messages.${i}.role: Field required`);
    // 'system' too: newer API versions take system-role messages mid-conversation, and Claude Code sends them.
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) {
      throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    checkContent(m.content, `messages.${i}.content`);
  }
}

function checkSystem(body: Json): void {
  if (body.system === undefined || typeof body.system === 'string') return;
  if (!Array.isArray(body.system)) throw invalid('system: Input should be a valid list or string');
  checkBlocks(body.system, 'system', true);
}

function checkTools(body: Json): void {
  if (body.tools === undefined) return;
  if (!Array.isArray(body.tools)) throw invalid('tools: Input should be a valid list');
  body.tools.forEach((t, i) => {
    if (!isObject(t)) throw invalid(`tools.${i}: Input should be a valid dictionary`);
  });
}

function checkToolChoice(body: Json): void {
  const choice = optional(body, 'tool_choice');
  if (choice === undefined) return;
  if (!isObject(choice)) throw invalid('tool_choice: Input should be a valid dictionary');
  if (requireType(choice, 'tool_choice') === 'tool') {
    if (choice.name === undefined) throw invalid('tool_choice.tool.name: Field required');
    if (typeof choice.name !== 'string') throw invalid('tool_choice.tool.name: Input should be a valid string');
  }
}

/** Returns the budget of `{type: "enabled"}` thinking, or null. Unknown thinking types pass. */
function checkThinking(body: Json): number | null {
  const thinking = optional(body, 'thinking');
  if (thinking === undefined) return null;
  if (!isObject(thinking)) throw invalid('thinking: Input should be a valid dictionary');
  if (requireType(thinking, 'thinking') !== 'enabled') return null;
  const path = 'thinking.enabled.budget_tokens';
  if (thinking.budget_tokens === undefined) throw invalid(`${path}: Field required`);
  return checkInteger(thinking.budget_tokens, path, MIN_THINKING_BUDGET);
}

function checkMetadata(body: Json): void {
  const metadata = optional(body, 'metadata');
  if (metadata === undefined) return;
  if (!isObject(metadata)) throw invalid('metadata: Input should be a valid dictionary');
  const userId = metadata.user_id;
  if (userId !== undefined && userId !== null && typeof userId !== 'string') {
    throw invalid('metadata.user_id: Input should be a valid string');
  }
}

/** What both endpoints check; returns the thinking budget for the messages endpoint's bound. */
function checkCommon(body: Json): number | null {
  checkModel(body);
  checkMessages(body);
  checkSystem(body);
  checkTools(body);
  checkToolChoice(body);
  const budget = checkThinking(body);
  checkMetadata(body);
  return budget;
}

function requireObject(body: unknown): Json {
  if (!isObject(body)) throw invalid('Request body must be a JSON object');
  return body;
}

function hasInterleavedThinking(anthropicBeta: string | string[] | undefined): boolean {
  const values = Array.isArray(anthropicBeta) ? anthropicBeta : [anthropicBeta ?? ''];
  return values.some((v) => v.split(',').some((beta) => beta.trim().startsWith('interleaved-thinking-')));
}

/**
 * Validates a `/v1/messages` body and returns the very same object. Pass `options` (the request's
 * `anthropic-beta` header) to have the thinking budget held below `max_tokens` the way the API does.
 */
export function validateMessagesRequest(raw: unknown, options?: ValidateOptions): MessagesRequest {
  const body = requireObject(raw);
  const budget = checkCommon(body);
  if (body.max_tokens === undefined) throw invalid('max_tokens: Field required');
  const maxTokens = checkInteger(body.max_tokens, 'max_tokens', 1);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw invalid('stream: Input should be a valid boolean');
  }
  checkUnitInterval(body, 'temperature');
  checkUnitInterval(body, 'top_p');
  const topK = optional(body, 'top_k');
  if (topK !== undefined) checkInteger(topK, 'top_k', 0);
  const stops = optional(body, 'stop_sequences');
  if (stops !== undefined) {
    if (!Array.isArray(stops)) throw invalid('stop_sequences: Input should be a valid list');
    stops.forEach((s, i) => {
      if (typeof s !== 'string') throw invalid(`stop_sequences.${i}: Input should be a valid string`);
    });
  }
  checkOptionalString(body, 'service_tier');
  if (budget !== null && budget >= maxTokens && options && !hasInterleavedThinking(options.anthropicBeta)) {
    throw invalid(BUDGET_ABOVE_MAX_TOKENS);
  }
  return body as MessagesRequest;
}

/** Validates a `/v1/messages/count_tokens` body: the messages body without the generation knobs. */
export function validateCountTokensRequest(raw: unknown): CountTokensRequest {
  const body = requireObject(raw);
  checkCommon(body);
  return body as CountTokensRequest;
}
