// The official SDK against the gateway, the gateway against the Code Assist fake: an Anthropic client
// on a Google account sees Anthropic answers for Claude and Gemini models, streamed or not, tool calls,
// thinking whose signatures survive a tool loop, and token counts.

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeV1Internal, type FakeV1Internal } from '../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../helpers/access-tokens.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let upstream: FakeV1Internal;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startFakeV1Internal({ accounts: [{ token: 'fake-access.sdk', project: 'proj-sdk' }] });
  gateway = await startGateway({
    accounts: [{ provider: 'antigravity', label: 'google@example.com', baseUrl: '', key: '1//sdk' }],
    settings: {
      model_rules: [
        { match: 'claude-*', provider: 'antigravity' },
        { match: 'gemini-*', provider: 'antigravity' },
      ],
      antigravity: { base_urls: [upstream.url] },
    },
    accessTokens: new FakeAccessTokens({ '1//sdk': ['fake-access.sdk'] }),
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'local-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'] },
};

// A Claude model the SDK does not call deprecated, so it prints no warning.
describe.each(['claude-opus-4-5', 'gemini-3-pro-preview'])('the official SDK on a Google account: %s', (model) => {
  it('creates a message without streaming', async () => {
    upstream.script({ kind: 'reply', text: 'Hi from Code Assist.' });
    const { data, response } = await client.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model,
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Hi from Code Assist.' }],
    });
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-mapped-model')).toBe(model);
    expect(response.headers.get('x-account-email')).toBe('google@example.com');
  });

  it('streams a message and assembles the final message', async () => {
    upstream.script({ kind: 'reply', text: 'Streaming over Code Assist, in pieces.', chunks: 5 });
    const stream = client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Streaming over Code Assist, in pieces.' })]);
    expect(deltas.length).toBeGreaterThan(1);
  });

  it('makes a tool round trip', async () => {
    upstream.script(
      { kind: 'reply', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { kind: 'reply', text: 'It is sunny in Paris.' },
    );
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.messages.create({ model, max_tokens: 256, tools: [weather], messages });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' }, id: expect.stringMatching(/^toolu_/) });
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '22°C, sunny' }] },
    );
    const second = await client.messages.create({ model, max_tokens: 256, tools: [weather], messages });
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'It is sunny in Paris.' })]);
    expect(upstream.generateRequests().map((r) => r.status)).toEqual([200, 200]);
  });

  it('thinks through a tool loop, its signatures replayed (streaming)', async () => {
    upstream.script(
      { kind: 'reply', parts: [{ text: 'I need the weather first.', thought: true }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
      { kind: 'reply', parts: [{ text: 'Now I can answer.', thought: true }, { text: 'Cold in Oslo.' }] },
    );
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.messages.stream({ model, max_tokens: 8192, thinking, tools: [weather], messages }).finalMessage();
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const call = first.content[1] as Anthropic.ToolUseBlock;
    messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '-3°C' }] });
    const second = await client.messages.stream({ model, max_tokens: 8192, thinking, tools: [weather], messages }).finalMessage();
    expect(second.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const sent = upstream.generateRequests();
    expect(sent.map((r) => r.status)).toEqual([200, 200]);
    // Claude ran as its thinking variant, and got its signed thinking back ahead of the call.
    if (model.startsWith('claude')) {
      expect(sent.map((r) => r.model)).toEqual(['claude-opus-4-5-thinking', 'claude-opus-4-5-thinking']);
      expect(sent[1]!.body.request.contents[1].parts[0]).toMatchObject({ thought: true, thoughtSignature: expect.any(String) });
    } else {
      expect(sent[1]!.body.request.contents[1].parts[0].functionCall.name).toBe('get_weather');
      expect(sent[1]!.body.request.contents[1].parts[0].thoughtSignature).toEqual(expect.any(String));
    }
  });

  it('counts tokens with the upstream', async () => {
    const { input_tokens } = await client.messages.countTokens({ model, tools: [weather], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    expect(input_tokens).toBeGreaterThan(0);
    expect(upstream.requests.map((r) => r.verb)).toEqual(['countTokens']);
  });
});
