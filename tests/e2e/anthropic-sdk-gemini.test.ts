// The official SDK against the gateway, the gateway against the Gemini fake: an Anthropic client on a
// Gemini account sees Anthropic answers, tool calls, thinking and token counts.

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const GEMINI = 'gemini-3-pro-preview';
const MODEL = 'claude-sonnet-4-6';

let upstream: FakeGemini;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startFakeGemini({ keys: ['AIza-1'] });
  gateway = await startGateway({
    accounts: [{ provider: 'gemini', label: 'gemini@example.com', baseUrl: upstream.url, key: 'AIza-1' }],
    settings: { model_rules: [{ match: 'claude-*', provider: 'gemini', model: GEMINI }] },
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

describe('the official SDK on a Gemini account', () => {
  it('creates a message without streaming', async () => {
    upstream.script({ kind: 'reply', text: 'Hi from Gemini.' });
    const { data, response } = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(data).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hi from Gemini.' }] });
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-mapped-model')).toBe(GEMINI);
    expect(response.headers.get('x-account-email')).toBe('gemini@example.com');
  });

  it('streams a message and assembles the final message', async () => {
    upstream.script({ kind: 'reply', text: 'Streaming from Gemini, in pieces.', chunks: 5 });
    const stream = client.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Streaming from Gemini, in pieces.' })]);
    expect(deltas.length).toBeGreaterThan(1);
  });

  it('makes a tool round trip', async () => {
    upstream.script(
      { kind: 'reply', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { kind: 'reply', text: 'It is sunny in Paris.' },
    );
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 256, tools: [weather], messages });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' }, id: expect.stringMatching(/^toolu_/) });
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '22°C, sunny' }] },
    );
    const second = await client.messages.create({ model: MODEL, max_tokens: 256, tools: [weather], messages });
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'It is sunny in Paris.' })]);
    const replay = upstream.generateRequests()[1]!.body.contents;
    expect(JSON.stringify(replay)).toContain('"functionResponse"');
  });

  it('streams thinking with its signature, then the answer', async () => {
    upstream.script({ kind: 'reply', parts: [{ text: 'Considering the question.', thought: true }, { text: 'Forty-two.' }] });
    const message = await client.messages
      .stream({ model: MODEL, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'The answer?' }] })
      .finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ thinking: 'Considering the question.', signature: expect.any(String) });
    expect(upstream.generateRequests()[0]!.body.generationConfig.thinkingConfig).toMatchObject({ includeThoughts: true });
  });

  it('counts tokens with the upstream', async () => {
    const { input_tokens } = await client.messages.countTokens({ model: MODEL, tools: [weather], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    expect(input_tokens).toBeGreaterThan(0);
    expect(upstream.requests.map((r) => r.action)).toEqual(['countTokens']);
  });
});
