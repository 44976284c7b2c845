// The official SDK against the gateway, the gateway against the fake upstream: what any Anthropic client
// sees through Switchyard.

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const MODEL = 'claude-sonnet-4-6';

let upstream: FakeAnthropic;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startFakeAnthropic({ keys: ['sk-upstream-1'] });
  gateway = await startGateway({ accounts: [{ label: 'primary@example.com', baseUrl: upstream.url, key: 'sk-upstream-1' }] });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'local-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

describe('the official SDK through the gateway', () => {
  it('creates a message without streaming', async () => {
    upstream.script({ kind: 'reply', text: 'Hi there.' });
    const { data, response } = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(data.type).toBe('message');
    expect(data.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hi there.' })]);
    expect(data.stop_reason).toBe('end_turn');
    expect(response.headers.get('x-account-email')).toBe('primary@example.com');
    expect(response.headers.get('x-mapped-model')).toBe(MODEL);
    const sent = upstream.messageRequests()[0]!;
    expect(sent.key).toBe('sk-upstream-1');
    expect(sent.body.model).toBe(MODEL);
  });

  it('streams a message and assembles the final message', async () => {
    upstream.script({ kind: 'reply', text: 'One two three four.', chunks: 4 });
    const stream = client.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Count' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'One two three four.' })]);
    expect(deltas.length).toBe(4);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(upstream.messageRequests()[0]!.body.stream).toBe(true);
  });

  it('runs a tool-use round trip', async () => {
    upstream.script(
      {
        kind: 'reply',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', name: 'get_weather', input: { city: 'Paris', units: 'c' } },
        ],
      },
      { kind: 'reply', text: 'It is 18°C in Paris.' },
    );
    const tools: Anthropic.Tool[] = [
      {
        name: 'get_weather',
        description: 'Current weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string' } }, required: ['city'] },
      },
    ];
    const first = await client.messages
      .stream({ model: MODEL, max_tokens: 256, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(toolUse.input).toEqual({ city: 'Paris', units: 'c' });

    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 256,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18°C, sunny' }] },
      ],
    });
    expect(second.content[0]).toEqual(expect.objectContaining({ type: 'text', text: 'It is 18°C in Paris.' }));
    const replayed = upstream.messageRequests()[1]!.body.messages[2].content[0];
    expect(replayed).toEqual({ type: 'tool_result', tool_use_id: toolUse.id, content: '18°C, sunny' });
  });

  it('counts tokens through the upstream', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: MODEL, messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-token-count-source')).toBe('upstream');
    expect(upstream.requests.some((r) => r.path === '/v1/messages/count_tokens')).toBe(true);
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((m) => m.type === 'model' && m.id.startsWith('claude-'))).toBe(true);
  });
});
