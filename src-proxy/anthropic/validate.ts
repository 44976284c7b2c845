// Request validation with the API's own wording (`max_tokens: Field required`,
// `messages.3.content.0.type: ...`), so clients see the errors they already know. Only the fields the
// gateway relies on are checked; everything else is the upstream's business and passes through as is.

import { GatewayError } from './errors.js';
import { MAX_MODEL_ID_LENGTH, MODEL_ID_PATTERN } from './model-id.js';
import type { CountTokensRequest, MessagesRequest } from './types.js';

type Json = Record<string, unknown>;

const ROLES = new Set(['user', 'assistant', 'system']);

function invalid(message: string): GatewayError {
  return new GatewayError(400, message);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireString(body: Json, field: string): string {
  const v = body[field];
  if (v === undefined) throw invalid(`${field}: Field required`);
  if (typeof v !== 'string') throw invalid(`${field}: Input should be a valid string`);
  if (v === '') throw invalid(`${field}: String should have at least 1 character`);
  return v;
}

function checkModel(body: Json): void {
  const model = requireString(body, 'model');
  if (model.length > MAX_MODEL_ID_LENGTH) throw invalid(`model: String should have at most ${MAX_MODEL_ID_LENGTH} characters`);
  if (!MODEL_ID_PATTERN.test(model)) throw invalid(`model: String should match pattern '${MODEL_ID_PATTERN.source}'`);
}

function checkBlocks(blocks: unknown[], path: string): void {
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (!isObject(block)) throw invalid(`${path}.${i}: Input should be a valid dictionary`);
    if (typeof block.type !== 'string') {
      throw invalid(block.type === undefined ? `${path}.${i}.type: Field required` : `${path}.${i}.type: Input should be a valid string`);
    }
    if (block.type === 'text' && typeof block.text !== 'string') {
      throw invalid(`${path}.${i}.text: ${block.text === undefined ? 'Field required' : 'Input should be a valid string'}`);
    }
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
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) {
      throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    checkContent(m.content, `messages.${i}.content`);
  }
}

function checkCommon(body: Json): void {
  checkModel(body);
  checkMessages(body);
  if (body.system !== undefined && typeof body.system !== 'string') {
    if (!Array.isArray(body.system)) throw invalid('system: Input should be a valid list or string');
    checkBlocks(body.system, 'system');
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw invalid('tools: Input should be a valid list');
    body.tools.forEach((t, i) => {
      if (!isObject(t)) throw invalid(`tools.${i}: Input should be a valid dictionary`);
    });
  }
  if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) {
    throw invalid('metadata: Input should be a valid dictionary');
  }
}

function requireObject(body: unknown): Json {
  if (!isObject(body)) throw invalid('Request body must be a JSON object');
  return body;
}

export function validateMessagesRequest(raw: unknown): MessagesRequest {
  const body = requireObject(raw);
  checkCommon(body);
  const maxTokens = body.max_tokens;
  if (maxTokens === undefined) throw invalid('max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    throw invalid('max_tokens: Input should be a valid integer');
  }
  if (maxTokens < 1) throw invalid('max_tokens: Input should be greater than or equal to 1');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw invalid('stream: Input should be a valid boolean');
  }
  return body as MessagesRequest;
}

export function validateCountTokensRequest(raw: unknown): CountTokensRequest {
  const body = requireObject(raw);
  checkCommon(body);
  return body as CountTokensRequest;
}
