import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src-proxy/anthropic/errors.js';
import { isValidModelId } from '../../../src-proxy/anthropic/model-id.js';
import { validateCountTokensRequest, validateMessagesRequest } from '../../../src-proxy/anthropic/validate.js';

type Body = Record<string, unknown>;

const MODEL_PATTERN = "model: String should match pattern '^[a-zA-Z0-9._:/@[\\]-]+$'";

const valid = (): Body => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
});

const without = (key: string, body: Body = valid()): Body => {
  const { [key]: _drop, ...rest } = body;
  return rest;
};
const withField = (key: string, value: unknown): Body => ({ ...valid(), [key]: value });
const withMessages = (...messages: unknown[]): Body => withField('messages', messages);
const userContent = (content: unknown): Body => withMessages({ role: 'user', content });

/** What the validator throws, as the client would see it. */
function rejection(validate: (raw: unknown) => unknown, body: unknown): { status: number; type: string; message: string } {
  try {
    validate(body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const e = err as GatewayError;
    return { status: e.status, type: e.type, message: e.message };
  }
  throw new Error('expected the body to be rejected');
}

// Every rejection is a 400 invalid_request_error whose message names the field the API's way.
const rejections: Array<[string, unknown, string]> = [
  // body
  ['a JSON array body', [valid()], 'Request body must be a JSON object'],
  ['a null body', null, 'Request body must be a JSON object'],
  ['a string body', 'hello', 'Request body must be a JSON object'],
  ['a number body', 42, 'Request body must be a JSON object'],
  // model
  ['missing model', without('model'), 'model: Field required'],
  ['model as a number', withField('model', 4), 'model: Input should be a valid string'],
  ['model null', withField('model', null), 'model: Input should be a valid string'],
  ['model as an object', withField('model', { id: 'x' }), 'model: Input should be a valid string'],
  ['empty model', withField('model', ''), 'model: String should have at least 1 character'],
  // model: it is echoed in response headers and logs, so only what provider ids use
  ['model with CR LF (a header injection)', withField('model', 'claude-sonnet-4-5\r\nX-Evil: 1'), MODEL_PATTERN],
  ['model with a bare LF', withField('model', 'claude\nsonnet'), MODEL_PATTERN],
  ['model with a NUL', withField('model', 'claude\u0000'), MODEL_PATTERN],
  ['model with a tab', withField('model', 'claude\tsonnet'), MODEL_PATTERN],
  ['model with a DEL', withField('model', 'claude\u007f'), MODEL_PATTERN],
  ['model with a space', withField('model', 'claude sonnet'), MODEL_PATTERN],
  ['model with a Latin-1 letter', withField('model', 'claudé'), MODEL_PATTERN],
  ['model with a character above U+00FF', withField('model', 'claude-\u4e2d'), MODEL_PATTERN],
  ['model with an emoji', withField('model', 'claude-\u{1f600}'), MODEL_PATTERN],
  ['model with a quote', withField('model', 'claude"x'), MODEL_PATTERN],
  ['model with a comma', withField('model', 'claude,x'), MODEL_PATTERN],
  ['model of 257 characters', withField('model', 'a'.repeat(257)), 'model: String should have at most 256 characters'],
  ['model of 20 KB', withField('model', 'claude-'.repeat(3000)), 'model: String should have at most 256 characters'],
  // max_tokens
  ['missing max_tokens', without('max_tokens'), 'max_tokens: Field required'],
  ['max_tokens a float', withField('max_tokens', 10.5), 'max_tokens: Input should be a valid integer'],
  ['max_tokens a string', withField('max_tokens', '1024'), 'max_tokens: Input should be a valid integer'],
  ['max_tokens null', withField('max_tokens', null), 'max_tokens: Input should be a valid integer'],
  ['max_tokens NaN-like', withField('max_tokens', Number.NaN), 'max_tokens: Input should be a valid integer'],
  ['max_tokens 0', withField('max_tokens', 0), 'max_tokens: Input should be greater than or equal to 1'],
  ['max_tokens negative', withField('max_tokens', -5), 'max_tokens: Input should be greater than or equal to 1'],
  // messages
  ['missing messages', without('messages'), 'messages: Field required'],
  ['messages an object', withField('messages', { role: 'user', content: 'x' }), 'messages: Input should be a valid list'],
  ['messages a string', withField('messages', 'hi'), 'messages: Input should be a valid list'],
  ['messages empty', withMessages(), 'messages: at least one message is required'],
  ['a message that is a string', withMessages('hello'), 'messages.0: Input should be a valid dictionary'],
  ['a message that is null', withMessages({ role: 'user', content: 'a' }, null), 'messages.1: Input should be a valid dictionary'],
  ['a message that is a list', withMessages([]), 'messages.0: Input should be a valid dictionary'],
  ['a message without role', withMessages({ content: 'x' }), 'messages.0.role: Field required'],
  ['role "human"', withMessages({ role: 'human', content: 'x' }), "messages.0.role: Input should be 'user' or 'assistant'"],
  ['role as a number', withMessages({ role: 1, content: 'x' }), "messages.0.role: Input should be 'user' or 'assistant'"],
  ['role in upper case', withMessages({ role: 'User', content: 'x' }), "messages.0.role: Input should be 'user' or 'assistant'"],
  ['a message without content', withMessages({ role: 'user' }), 'messages.0.content: Field required'],
  ['content a number', userContent(5), 'messages.0.content: Input should be a valid list or string'],
  ['content an object', userContent({ type: 'text', text: 'x' }), 'messages.0.content: Input should be a valid list or string'],
  ['content null', userContent(null), 'messages.0.content: Input should be a valid list or string'],
  ['a block that is a string', userContent(['hi']), 'messages.0.content.0: Input should be a valid dictionary'],
  ['a block without type', userContent([{ text: 'hi' }]), 'messages.0.content.0.type: Field required'],
  ['a block whose type is a number', userContent([{ type: 3 }]), 'messages.0.content.0.type: Input should be a valid string'],
  ['a text block without text', userContent([{ type: 'text' }]), 'messages.0.content.0.text: Field required'],
  ['a text block with a number as text', userContent([{ type: 'text', text: 5 }]), 'messages.0.content.0.text: Input should be a valid string'],
  [
    'a bad block deep in the conversation',
    withMessages(
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: [{ type: 'text', text: 'ok' }, { type: 'text' }] },
    ),
    'messages.2.content.1.text: Field required',
  ],
  // system
  ['system a number', withField('system', 7), 'system: Input should be a valid list or string'],
  ['system an object', withField('system', { type: 'text', text: 'x' }), 'system: Input should be a valid list or string'],
  ['a system block without type', withField('system', [{ text: 'x' }]), 'system.0.type: Field required'],
  ['a system text block without text', withField('system', [{ type: 'text' }]), 'system.0.text: Field required'],
  // tools
  ['tools an object', withField('tools', { name: 'Read' }), 'tools: Input should be a valid list'],
  ['tools a string', withField('tools', 'Read'), 'tools: Input should be a valid list'],
  ['a tool that is a string', withField('tools', ['Read']), 'tools.0: Input should be a valid dictionary'],
  // stream
  ['stream a string', withField('stream', 'true'), 'stream: Input should be a valid boolean'],
  ['stream a number', withField('stream', 1), 'stream: Input should be a valid boolean'],
  // metadata
  ['metadata a string', withField('metadata', 'user-1'), 'metadata: Input should be a valid dictionary'],
];

describe('validateMessagesRequest: rejections', () => {
  it.each(rejections)('%s', (_name, body, message) => {
    expect(rejection(validateMessagesRequest, body)).toEqual({ status: 400, type: 'invalid_request_error', message });
  });
});

describe('validateMessagesRequest: what Claude Code sends today passes, untouched', () => {
  const accepted: Array<[string, Body]> = [
    ['the minimal request', valid()],
    [
      'unknown top-level fields',
      {
        ...valid(),
        context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
        output_config: { effort: 'high' },
        thinking: { type: 'adaptive' },
        speed: 'fast',
        some_field_from_next_month: { anything: [1, 2, 3] },
      },
    ],
    ['thinking enabled with a budget', { ...valid(), thinking: { type: 'enabled', budget_tokens: 1024 } }],
    [
      'a system message mid-conversation',
      withMessages(
        { role: 'user', content: 'a' },
        { role: 'system', content: 'Be brief.' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ),
    ],
    [
      'unknown block types',
      userContent([
        { type: 'tool_reference', tool_name: 'mcp__x' },
        { type: 'container_upload', file_id: 'file_1' },
        { type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '1h' }, future_key: true },
      ]),
    ],
    [
      'a tool round trip',
      withMessages(
        { role: 'user', content: 'Read a.ts' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a.ts' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'x' }] }] },
      ),
    ],
    ['an assistant prefill last', withMessages({ role: 'user', content: 'a' }, { role: 'assistant', content: '{' })],
    ['consecutive user turns', withMessages({ role: 'user', content: 'a' }, { role: 'user', content: 'b' })],
    ['empty string content', userContent('')],
    ['empty block list', userContent([])],
    ['system as a string', withField('system', 'You are Claude Code.')],
    ['system as blocks with cache_control', withField('system', [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }])],
    ['tools of every shape', withField('tools', [{ name: 'Read', input_schema: { type: 'object' } }, { type: 'web_search_20250305', name: 'web_search' }])],
    ['stream true', withField('stream', true)],
    ['stream false', withField('stream', false)],
    ['stream null', withField('stream', null)],
    ['metadata with a JSON-encoded user_id', withField('metadata', { user_id: '{"device_id":"d","session_id":"s"}' })],
    ['metadata null', withField('metadata', null)],
    ['a huge max_tokens', withField('max_tokens', 128_000)],
    ...[
      'claude-opus-4-8[1m]',
      'claude-sonnet-5',
      'claude-haiku-4-5-20251001',
      'anthropic/claude-sonnet-4.5',
      'gemini-2.5-pro',
      'accounts/fireworks/models/x',
      'glm-4.6',
      'claude-3-5-sonnet@20240620',
      'qwen3-coder:480b',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'Kimi_K2',
      'a'.repeat(256),
    ].map((model): [string, Body] => [`model ${model.length > 40 ? `of ${model.length} characters` : model}`, withField('model', model)]),
  ];

  it.each(accepted)('%s: returns the very same object', (_name, body) => {
    const before = structuredClone(body);
    expect(validateMessagesRequest(body)).toBe(body);
    expect(body).toEqual(before);
  });
});

describe('isValidModelId: what may be echoed in a response header', () => {
  it.each([
    ['claude-opus-4-8[1m]', true],
    ['anthropic/claude-sonnet-4.5', true],
    ['claude-3-5-sonnet@20240620', true],
    ['accounts/fireworks/models/x', true],
    ['a'.repeat(256), true],
    ['a'.repeat(257), false],
    ['', false],
    ['claude\r\nx', false],
    ['claude sonnet', false],
    ['claudé', false],
    ['claude-\u4e2d', false],
    [42, false],
    [null, false],
  ])('%j: %s', (id, ok) => {
    expect(isValidModelId(id)).toBe(ok);
  });
});

describe('validateCountTokensRequest', () => {
  it('needs no max_tokens and returns the same object', () => {
    const body = without('max_tokens');
    expect(validateCountTokensRequest(body)).toBe(body);
  });

  it('ignores the generation knobs the messages endpoint checks', () => {
    const body = { ...without('max_tokens'), stream: 'yes', max_tokens: 'lots' };
    expect(validateCountTokensRequest(body)).toBe(body);
  });

  it.each(rejections.filter(([, , message]) => !/^(max_tokens|stream):/.test(message)))(
    'rejects like /v1/messages: %s',
    (_name, body, message) => {
      expect(rejection(validateCountTokensRequest, body)).toEqual({ status: 400, type: 'invalid_request_error', message });
    },
  );
});
