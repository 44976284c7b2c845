import { describe, expect, it } from 'vitest';
import { MessageAccumulator } from '../../../src-proxy/anthropic/collector.js';
import type { InputMessage, MessagesRequest, StreamEvent } from '../../../src-proxy/anthropic/types.js';
import { isWarmupRequest, warmupEvents, warmupMessage } from '../../../src-proxy/anthropic/warmup.js';

const MODEL = 'claude-haiku-4-5-20251001';
const request = (messages: InputMessage[], extra: Partial<MessagesRequest> = {}): MessagesRequest => ({
  model: MODEL,
  max_tokens: 1,
  messages,
  ...extra,
});
const user = (content: InputMessage['content']): InputMessage => ({ role: 'user', content });
const assistant = (content: InputMessage['content']): InputMessage => ({ role: 'assistant', content });
const REMINDER = "<system-reminder>\nAs you answer the user's questions, you can use the following context:\n# claudeMd\n...\n</system-reminder>";

describe('isWarmupRequest', () => {
  const detected: Array<[string, MessagesRequest]> = [
    ['the string "Warmup"', request([user('Warmup')])],
    ['"Warmup" with surrounding whitespace', request([user('  Warmup\n')])],
    ['a text block "Warmup" with cache_control', request([user([{ type: 'text', text: 'Warmup', cache_control: { type: 'ephemeral' } }])])],
    [
      'a leading <system-reminder> block, then "Warmup"',
      request([
        user([
          { type: 'text', text: REMINDER },
          { type: 'text', text: 'Warmup', cache_control: { type: 'ephemeral' } },
        ]),
      ]),
    ],
    [
      'two reminder blocks, then "Warmup"',
      request([
        user([
          { type: 'text', text: REMINDER },
          { type: 'text', text: REMINDER },
          { type: 'text', text: 'Warmup' },
        ]),
      ]),
    ],
    [
      'a sub-agent warmup with system prompt and tools',
      request([user('Warmup')], {
        system: [{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }],
        tools: [{ name: 'Read', input_schema: { type: 'object' } }],
        stream: true,
      }),
    ],
  ];

  it.each(detected)('detects %s', (_name, req) => {
    expect(isWarmupRequest(req)).toBe(true);
  });

  const notDetected: Array<[string, MessagesRequest]> = [
    ['"Warmup the oven"', request([user('Warmup the oven')])],
    ['"warmup" in lower case', request([user('warmup')])],
    ['"Warmup." with punctuation', request([user('Warmup.')])],
    ['a text block "Warmup the oven"', request([user([{ type: 'text', text: 'Warmup the oven' }])])],
    ['any assistant turn', request([user('Warmup'), assistant('OK')])],
    ['an assistant turn before the user turn', request([assistant('Hi'), user('Warmup')])],
    ['two user turns', request([user('Warmup'), user('Warmup')])],
    ['a conversation that ends with "Warmup"', request([user('hello'), assistant('hi'), user('Warmup')])],
    ['a tool_result', request([user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Warmup' }])])],
    [
      '"Warmup" next to a tool_result',
      request([
        user([
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' },
          { type: 'text', text: 'Warmup' },
        ]),
      ]),
    ],
    [
      '"Warmup" with an image',
      request([
        user([
          { type: 'text', text: 'Warmup' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'x' } },
        ]),
      ]),
    ],
    ['only a system reminder', request([user([{ type: 'text', text: REMINDER }])])],
    ['an empty message', request([user('')])],
    ['"Warmup" inside the reminder block', request([user([{ type: 'text', text: `${REMINDER}\nWarmup` }])])],
  ];

  it.each(notDetected)('does not detect %s', (_name, req) => {
    expect(isWarmupRequest(req)).toBe(false);
  });
});

describe('warmupMessage', () => {
  it('is a complete assistant message answering "OK" for the requested model', () => {
    const msg = warmupMessage(MODEL);
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: 'OK' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(msg.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
  });

  it('has a fresh id each time', () => {
    expect(warmupMessage(MODEL).id).not.toBe(warmupMessage(MODEL).id);
  });
});

describe('warmupEvents', () => {
  const events = warmupEvents(MODEL);
  const types = events.map((e) => e.type);

  it('starts with message_start (empty content, stop_reason null) and ends with message_stop', () => {
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types.filter((t) => t === 'message_start')).toHaveLength(1);
    expect(types.filter((t) => t === 'message_stop')).toHaveLength(1);
    const start = events[0] as Extract<StreamEvent, { type: 'message_start' }>;
    expect(start.message).toMatchObject({ model: MODEL, content: [], stop_reason: null });
  });

  it('streams one text block at index 0 with a complete start shape', () => {
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(events[1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events[2]).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'OK' } });
    expect(events[3]).toEqual({ type: 'content_block_stop', index: 0 });
  });

  it('message_delta carries a stop_reason and usage.output_tokens', () => {
    const delta = events.at(-2) as Extract<StreamEvent, { type: 'message_delta' }>;
    expect(delta.type).toBe('message_delta');
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toEqual(expect.any(Number));
  });

  it('collects to the warmup message', () => {
    const acc = new MessageAccumulator();
    for (const e of events) acc.apply(e);
    const { id: _id, ...rest } = warmupMessage(MODEL);
    expect(acc.result()).toMatchObject(rest);
  });
});
