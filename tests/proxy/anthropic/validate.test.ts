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
  ['max_tokens a boolean', withField('max_tokens', true), 'max_tokens: Input should be a valid integer'],
  ['max_tokens 1e30 (an integer to JS)', withField('max_tokens', 1e30), 'max_tokens: Input should be less than or equal to 2147483647'],
  ['max_tokens 2^31', withField('max_tokens', 2 ** 31), 'max_tokens: Input should be less than or equal to 2147483647'],
  ['max_tokens beyond the safe integers', withField('max_tokens', 2 ** 53 + 2), 'max_tokens: Input should be less than or equal to 2147483647'],
  // temperature and top_p: numbers from 0 to 1
  ['temperature a string', withField('temperature', '0.5'), 'temperature: Input should be a valid number'],
  ['temperature a boolean', withField('temperature', true), 'temperature: Input should be a valid number'],
  ['temperature a list', withField('temperature', [1]), 'temperature: Input should be a valid number'],
  ['temperature negative', withField('temperature', -0.1), 'temperature: Input should be greater than or equal to 0'],
  ['temperature above 1', withField('temperature', 1.5), 'temperature: Input should be less than or equal to 1'],
  ['temperature 2 (an OpenAI habit)', withField('temperature', 2), 'temperature: Input should be less than or equal to 1'],
  ['top_p a string', withField('top_p', '0.9'), 'top_p: Input should be a valid number'],
  ['top_p negative', withField('top_p', -1), 'top_p: Input should be greater than or equal to 0'],
  ['top_p above 1', withField('top_p', 1.01), 'top_p: Input should be less than or equal to 1'],
  // top_k: a non-negative integer
  ['top_k a float', withField('top_k', 1.5), 'top_k: Input should be a valid integer'],
  ['top_k a string', withField('top_k', '40'), 'top_k: Input should be a valid integer'],
  ['top_k negative', withField('top_k', -1), 'top_k: Input should be greater than or equal to 0'],
  ['top_k 1e30', withField('top_k', 1e30), 'top_k: Input should be less than or equal to 2147483647'],
  // stop_sequences: a list of strings
  ['stop_sequences a string', withField('stop_sequences', 'STOP'), 'stop_sequences: Input should be a valid list'],
  ['a stop sequence that is a number', withField('stop_sequences', ['STOP', 1]), 'stop_sequences.1: Input should be a valid string'],
  // service_tier: a string
  ['service_tier a number', withField('service_tier', 1), 'service_tier: Input should be a valid string'],
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
  [
    'a system block that is not text',
    withField('system', [
      { type: 'text', text: 'a' },
      { type: 'image', source: {} },
    ]),
    "system.1.type: Input should be 'text'",
  ],
  ['a system text block with a number as text', withField('system', [{ type: 'text', text: 1 }]), 'system.0.text: Input should be a valid string'],
  // tools
  ['tools an object', withField('tools', { name: 'Read' }), 'tools: Input should be a valid list'],
  ['tools a string', withField('tools', 'Read'), 'tools: Input should be a valid list'],
  ['a tool that is a string', withField('tools', ['Read']), 'tools.0: Input should be a valid dictionary'],
  // tool_choice: an object with a string type; a forced tool names it
  ['tool_choice a string', withField('tool_choice', 'auto'), 'tool_choice: Input should be a valid dictionary'],
  ['tool_choice a list', withField('tool_choice', [{ type: 'auto' }]), 'tool_choice: Input should be a valid dictionary'],
  ['tool_choice without type', withField('tool_choice', { disable_parallel_tool_use: true }), 'tool_choice.type: Field required'],
  ['tool_choice type a number', withField('tool_choice', { type: 1 }), 'tool_choice.type: Input should be a valid string'],
  ['tool_choice tool without name', withField('tool_choice', { type: 'tool' }), 'tool_choice.tool.name: Field required'],
  ['tool_choice tool with a number as name', withField('tool_choice', { type: 'tool', name: 7 }), 'tool_choice.tool.name: Input should be a valid string'],
  // thinking: an object with a string type; enabled needs a budget of at least 1024
  ['thinking a string', withField('thinking', 'enabled'), 'thinking: Input should be a valid dictionary'],
  ['thinking a boolean', withField('thinking', true), 'thinking: Input should be a valid dictionary'],
  ['thinking without type', withField('thinking', { budget_tokens: 2048 }), 'thinking.type: Field required'],
  ['thinking type a boolean', withField('thinking', { type: true }), 'thinking.type: Input should be a valid string'],
  ['thinking enabled without budget', withField('thinking', { type: 'enabled' }), 'thinking.enabled.budget_tokens: Field required'],
  [
    'thinking budget a string',
    withField('thinking', { type: 'enabled', budget_tokens: '2048' }),
    'thinking.enabled.budget_tokens: Input should be a valid integer',
  ],
  [
    'thinking budget a float',
    withField('thinking', { type: 'enabled', budget_tokens: 2048.5 }),
    'thinking.enabled.budget_tokens: Input should be a valid integer',
  ],
  [
    'thinking budget below 1024',
    withField('thinking', { type: 'enabled', budget_tokens: 1023 }),
    'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
  ],
  [
    'thinking budget 1e30',
    withField('thinking', { type: 'enabled', budget_tokens: 1e30 }),
    'thinking.enabled.budget_tokens: Input should be less than or equal to 2147483647',
  ],
  // inline data: base64 that decodes
  ...(
    [
      ['not base64 at all', 'this is not base64!'],
      ['a padding in the middle', 'iVBO=Rw0KGgo'],
      ['a length no bytes can have', 'iVBORw0KG'],
      ['whitespace', 'iVBO Rw0K'],
      ['empty', ''],
    ] as const
  ).map(([name, data]): [string, unknown, string] => [
    `an image whose data is ${name}`,
    userContent([
      { type: 'text', text: 'Look:' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
    ]),
    "messages.0.content.1.source.data: the image block's data is not valid base64",
  ]),
  [
    'a PDF whose data is not base64',
    userContent([{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: '%PDF-1.7' } }]),
    "messages.0.content.0.source.data: the document block's data is not valid base64",
  ],
  [
    'an image in a tool result whose data is not base64',
    userContent([
      { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '@@@@' } }] },
    ]),
    "messages.0.content.0.content.0.source.data: the image block's data is not valid base64",
  ],
  [
    'an image without data',
    userContent([{ type: 'image', source: { type: 'base64', media_type: 'image/png' } }]),
    'messages.0.content.0.source.data: Field required',
  ],
  // stream
  ['stream a string', withField('stream', 'true'), 'stream: Input should be a valid boolean'],
  ['stream a number', withField('stream', 1), 'stream: Input should be a valid boolean'],
  // metadata
  ['metadata a string', withField('metadata', 'user-1'), 'metadata: Input should be a valid dictionary'],
  ['metadata.user_id a number', withField('metadata', { user_id: 42 }), 'metadata.user_id: Input should be a valid string'],
  ['metadata.user_id an object', withField('metadata', { user_id: { device_id: 'd' } }), 'metadata.user_id: Input should be a valid string'],
];

/** The fields count_tokens does not take, so does not check. */
const GENERATION_KNOB = /^(max_tokens|stream|temperature|top_p|top_k|stop_sequences|service_tier)[.:]/;

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
    [
      'tools of every shape',
      withField('tools', [
        { name: 'Read', input_schema: { type: 'object' } },
        { type: 'web_search_20250305', name: 'web_search' },
      ]),
    ],
    ['stream true', withField('stream', true)],
    ['stream false', withField('stream', false)],
    ['stream null', withField('stream', null)],
    ['metadata with a JSON-encoded user_id', withField('metadata', { user_id: '{"device_id":"d","session_id":"s"}' })],
    ['metadata null', withField('metadata', null)],
    ['a huge max_tokens', withField('max_tokens', 128_000)],
    ['max_tokens at the bound', withField('max_tokens', 2 ** 31 - 1)],
    ['max_tokens written as 1024.0', withField('max_tokens', JSON.parse('1024.0') as number)],
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
    ['temperature 0', withField('temperature', 0)],
    ['temperature 1 (what Claude Code sends)', withField('temperature', 1)],
    ['temperature 0.7', withField('temperature', 0.7)],
    ['top_p 0.95', withField('top_p', 0.95)],
    ['top_k 0', withField('top_k', 0)],
    ['top_k 40', withField('top_k', 40)],
    ['stop_sequences empty', withField('stop_sequences', [])],
    ['stop_sequences of strings', withField('stop_sequences', ['\n\nHuman:', 'END'])],
    ['service_tier auto', withField('service_tier', 'auto')],
    ['a service_tier from next year', withField('service_tier', 'priority_2027')],
    [
      'null knobs, as some clients send them',
      { ...valid(), temperature: null, top_p: null, top_k: null, stop_sequences: null, service_tier: null, tool_choice: null, thinking: null },
    ],
    ['metadata with user_id null', withField('metadata', { user_id: null })],
    ['metadata without user_id', withField('metadata', {})],
    ['tool_choice auto', withField('tool_choice', { type: 'auto', disable_parallel_tool_use: false })],
    ['tool_choice any', withField('tool_choice', { type: 'any' })],
    ['tool_choice none', withField('tool_choice', { type: 'none' })],
    ['tool_choice tool', withField('tool_choice', { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true })],
    ['a tool_choice type from next month', withField('tool_choice', { type: 'auto_with_hint', hint: 'Read' })],
    [
      'images in base64, padded, unpadded and URL-safe, and one by URL',
      userContent([
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGg' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'ab-_cd+/' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      ]),
    ],
    ['thinking disabled', withField('thinking', { type: 'disabled' })],
    ['thinking adaptive', withField('thinking', { type: 'adaptive' })],
    ['thinking adaptive with display', withField('thinking', { type: 'adaptive', display: 'omitted' })],
    ['thinking between_tools (SDK 1.x)', withField('thinking', { type: 'between_tools' })],
    ['thinking enabled with display', { ...valid(), max_tokens: 32_000, thinking: { type: 'enabled', budget_tokens: 31_999, display: 'summarized' } }],
    ['Claude Code 2.1.332: a whole request', claudeCodeRequest()],
  ];

  it.each(accepted)('%s: returns the very same object', (_name, body) => {
    const before = structuredClone(body);
    expect(validateMessagesRequest(body)).toBe(body);
    expect(body).toEqual(before);
  });
});

// What Claude Code 2.1.332 sends on a main-loop turn after a web search and a tool call.
function claudeCodeRequest(): Body {
  return {
    model: 'claude-opus-4-8[1m]',
    max_tokens: 64_000,
    stream: true,
    temperature: 1,
    thinking: { type: 'adaptive' },
    output_config: { effort: 'high' },
    context_management: {
      edits: [{ type: 'clear_thinking_20251015', keep: 'all' }, { type: 'clear_tool_uses_20250919' }, { type: 'compact_20260112' }],
    },
    metadata: { user_id: '{"device_id":"0f3c","account_uuid":"","session_id":"5b1e"}' },
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.332; cc_entrypoint=cli; cch=1a2b3;' },
      { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ],
    tools: [
      { name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } },
      { name: 'mcp__docs__search', input_schema: { type: 'object' }, defer_loading: true, input_examples: [{ q: 'x' }], allowed_callers: ['direct'] },
      { type: 'web_search_20260209', name: 'web_search', max_uses: 8 },
      { type: 'advisor_20260301', name: 'advisor' },
    ],
    tool_choice: { type: 'auto' },
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Find the docs and run the tests.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: '', signature: 'sig' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'docs' } },
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_1',
            content: [{ type: 'web_search_result', url: 'https://x', title: 't', encrypted_content: 'e' }],
          },
          { type: 'advisor_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'advisor_result', text: 'ok' } },
          { type: 'text', text: 'Running them.' },
          { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'npm test' }, caller: { type: 'direct' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok', cache_control: { type: 'ephemeral' } }] },
      { role: 'system', content: 'The user switched to plan mode.' },
      {
        role: 'user',
        content: [
          { type: 'tool_reference', tool_name: 'mcp__docs__search' },
          { type: 'text', text: 'Go on.' },
        ],
      },
    ],
  };
}

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

describe('thinking.budget_tokens below max_tokens', () => {
  const budgeted = (budget: number, maxTokens: number): Body => ({ ...valid(), max_tokens: maxTokens, thinking: { type: 'enabled', budget_tokens: budget } });
  const BUDGET_MESSAGE =
    '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at ' +
    'https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size';
  const noBetas = { anthropicBeta: undefined };

  it.each([
    ['a budget equal to max_tokens', budgeted(2048, 2048), noBetas],
    ['a budget above max_tokens', budgeted(4096, 1024), noBetas],
    ['a budget above max_tokens with other betas', budgeted(4096, 2048), { anthropicBeta: 'claude-code-20250219,effort-2025-11-24' }],
  ])("rejects %s, in the API's words", (_name, body, options) => {
    expect(rejection((b) => validateMessagesRequest(b, options), body)).toEqual({ status: 400, type: 'invalid_request_error', message: BUDGET_MESSAGE });
  });

  it.each([
    ['a budget one below max_tokens', budgeted(2047, 2048), noBetas],
    ['a budget above max_tokens with interleaved thinking', budgeted(8192, 4096), { anthropicBeta: 'claude-code-20250219,interleaved-thinking-2025-05-14' }],
    ['interleaved thinking in a repeated header', budgeted(8192, 4096), { anthropicBeta: ['claude-code-20250219', ' interleaved-thinking-2025-05-14'] }],
    ['a budget above max_tokens when the caller does not pass the betas', budgeted(8192, 4096), undefined],
    ['adaptive thinking has no budget to compare', { ...valid(), max_tokens: 1, thinking: { type: 'adaptive' } }, noBetas],
  ])('accepts %s', (_name, body, options) => {
    expect(validateMessagesRequest(body, options)).toBe(body);
  });
});

describe('validateCountTokensRequest', () => {
  it('needs no max_tokens and returns the same object', () => {
    const body = without('max_tokens');
    expect(validateCountTokensRequest(body)).toBe(body);
  });

  it('ignores the generation knobs the messages endpoint checks', () => {
    const body = {
      ...without('max_tokens'),
      stream: 'yes',
      max_tokens: 'lots',
      temperature: 7,
      top_p: 'high',
      top_k: -3,
      stop_sequences: 'END',
      service_tier: 1,
    };
    expect(validateCountTokensRequest(body)).toBe(body);
  });

  it.each(rejections.filter(([, , message]) => !GENERATION_KNOB.test(message)))('rejects like /v1/messages: %s', (_name, body, message) => {
    expect(rejection(validateCountTokensRequest, body)).toEqual({ status: 400, type: 'invalid_request_error', message });
  });
});
