import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { collectMessage } from '../../../src-proxy/anthropic/collector.js';
import { FrameBatch, framesOf } from '../../../src-proxy/anthropic/sse.js';
import { StreamBuilder, type BuilderStart, type StopReason } from '../../../src-proxy/anthropic/stream-builder.js';
import type { ContentBlock, Message, StreamEvent, Usage } from '../../../src-proxy/anthropic/types.js';

// ---------------------------------------------------------------------------------------------------
// A call script: what a provider tells the builder, one call per row entry.

type Call =
  | ['thinking', string]
  | ['signature', string]
  | ['redacted', string]
  | ['text', string]
  | ['tool', { id: string; name: string; input: unknown }]
  | ['usage', Partial<Usage>]
  | ['finish', { stopReason: StopReason; stopSequence?: string | null; usage?: Partial<Usage> }];

const MODEL = 'gemini-2.5-pro';
const START: BuilderStart = { model: MODEL, id: 'msg_01test' };

/** Runs the calls; returns the events of each call separately, as a provider would yield them. */
function run(calls: Call[], start: BuilderStart = START): StreamEvent[][] {
  const b = new StreamBuilder(start);
  return calls.map((call) => {
    switch (call[0]) {
      case 'thinking':
        return b.thinking(call[1]);
      case 'signature':
        return b.signature(call[1]);
      case 'redacted':
        return b.redactedThinking(call[1]);
      case 'text':
        return b.text(call[1]);
      case 'tool':
        return b.toolUse(call[1]);
      case 'usage':
        b.usage(call[1]);
        return [];
      case 'finish':
        return b.finish(call[1]);
    }
  });
}

/** One short line per event, so a row's expected sequence reads like the stream. */
function describeEvent(e: StreamEvent): string {
  switch (e.type) {
    case 'content_block_start':
      return `start ${e.index} ${e.content_block.type}`;
    case 'content_block_delta':
      return `${e.index} ${e.delta.type}`;
    case 'content_block_stop':
      return `stop ${e.index}`;
    case 'message_delta':
      return `message_delta ${e.delta.stop_reason}`;
    default:
      return e.type;
  }
}

const ZERO_USAGE: Usage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

const message = (content: ContentBlock[], stop_reason: StopReason, over: Partial<Message> = {}): Message => ({
  id: 'msg_01test',
  type: 'message',
  role: 'assistant',
  model: MODEL,
  content,
  stop_reason,
  stop_sequence: null,
  usage: ZERO_USAGE,
  ...over,
});

const thinking = (text: string, signature = ''): ContentBlock => ({ type: 'thinking', thinking: text, signature });
const text = (t: string): ContentBlock => ({ type: 'text', text: t });
const tool = (id: string, name: string, input: unknown): ContentBlock => ({ type: 'tool_use', id, name, input });

const TOOL_INPUT_UNICODE = {
  path: '/tmp/résumé 世界 🌍.txt',
  quote: 'say "hi"\n\tback\\slash',
  separators: '\u2028\u2029',
  flags: ['👩‍👩‍👧', 'ß', null, 1.5, false],
};

interface Row {
  name: string;
  start?: BuilderStart;
  calls: Call[];
  /** The stream, one `describeEvent` line per event. */
  events: string[];
  /** The message a client assembles from it. */
  message: Message;
}

const ROWS: Row[] = [
  {
    name: 'text only (empty strings emit nothing)',
    calls: [
      ['text', 'Hel'],
      ['text', ''],
      ['text', 'lo.'],
      ['finish', { stopReason: 'end_turn', usage: { output_tokens: 3 } }],
    ],
    events: ['message_start', 'start 0 text', '0 text_delta', '0 text_delta', 'stop 0', 'message_delta end_turn', 'message_stop'],
    message: message([text('Hello.')], 'end_turn', { usage: { ...ZERO_USAGE, output_tokens: 3 } }),
  },
  {
    name: 'thinking + signature, then text',
    calls: [
      ['thinking', 'Need the '],
      ['thinking', 'file first.'],
      ['signature', 'EqQBsigA'],
      ['text', 'Reading it now.'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      '0 thinking_delta',
      '0 signature_delta',
      'stop 0',
      'start 1 text',
      '1 text_delta',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([thinking('Need the file first.', 'EqQBsigA'), text('Reading it now.')], 'end_turn'),
  },
  {
    name: 'thinking, then a tool call',
    calls: [
      ['thinking', 'Read /src/a.ts.'],
      ['tool', { id: 'toolu_01a', name: 'Read', input: { file_path: '/src/a.ts' } }],
      ['finish', { stopReason: 'tool_use' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      'stop 0',
      'start 1 tool_use',
      '1 input_json_delta',
      'stop 1',
      'message_delta tool_use',
      'message_stop',
    ],
    message: message([thinking('Read /src/a.ts.'), tool('toolu_01a', 'Read', { file_path: '/src/a.ts' })], 'tool_use'),
  },
  {
    name: 'several tool calls after text (absent input becomes {})',
    calls: [
      ['text', 'Three reads.'],
      ['tool', { id: 'toolu_a', name: 'Read', input: { file_path: '/a', limit: 10 } }],
      ['tool', { id: 'toolu_b', name: 'Grep', input: { pattern: 'x|y', glob: ['*.ts'], opts: { i: true } } }],
      ['tool', { id: 'toolu_c', name: 'Now', input: undefined }],
      ['finish', { stopReason: 'tool_use' }],
    ],
    events: [
      'message_start',
      'start 0 text',
      '0 text_delta',
      'stop 0',
      'start 1 tool_use',
      '1 input_json_delta',
      'stop 1',
      'start 2 tool_use',
      '2 input_json_delta',
      'stop 2',
      'start 3 tool_use',
      '3 input_json_delta',
      'stop 3',
      'message_delta tool_use',
      'message_stop',
    ],
    message: message(
      [
        text('Three reads.'),
        tool('toolu_a', 'Read', { file_path: '/a', limit: 10 }),
        tool('toolu_b', 'Grep', { pattern: 'x|y', glob: ['*.ts'], opts: { i: true } }),
        tool('toolu_c', 'Now', {}),
      ],
      'tool_use',
    ),
  },
  {
    name: 'a signature-only part opens an empty thinking block',
    calls: [
      ['signature', 'sigOnly'],
      ['text', 'Hi'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 signature_delta',
      'stop 0',
      'start 1 text',
      '1 text_delta',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([thinking('', 'sigOnly'), text('Hi')], 'end_turn'),
  },
  {
    name: 'a signature after text opens a thinking block for it',
    calls: [
      ['text', 'Done.'],
      ['signature', 'sigText'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 text',
      '0 text_delta',
      'stop 0',
      'start 1 thinking',
      '1 signature_delta',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([text('Done.'), thinking('', 'sigText')], 'end_turn'),
  },
  {
    name: 'a signature before a tool call stays on the thinking block',
    calls: [
      ['thinking', 'Call it.'],
      ['signature', 'sigCall'],
      ['tool', { id: 'toolu_s', name: 'Bash', input: { command: 'ls' } }],
      ['finish', { stopReason: 'tool_use' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      '0 signature_delta',
      'stop 0',
      'start 1 tool_use',
      '1 input_json_delta',
      'stop 1',
      'message_delta tool_use',
      'message_stop',
    ],
    message: message([thinking('Call it.', 'sigCall'), tool('toolu_s', 'Bash', { command: 'ls' })], 'tool_use'),
  },
  {
    name: 'thinking after a signature starts a new thinking block',
    calls: [
      ['thinking', 'First.'],
      ['signature', 'sig1'],
      ['thinking', 'Second.'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      '0 signature_delta',
      'stop 0',
      'start 1 thinking',
      '1 thinking_delta',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([thinking('First.', 'sig1'), thinking('Second.')], 'end_turn'),
  },
  {
    name: 'a second signature starts a new empty thinking block rather than replacing the first',
    calls: [
      ['thinking', 'T.'],
      ['signature', 'sig1'],
      ['signature', 'sig2'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      '0 signature_delta',
      'stop 0',
      'start 1 thinking',
      '1 signature_delta',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([thinking('T.', 'sig1'), thinking('', 'sig2')], 'end_turn'),
  },
  {
    name: 'text, thinking, text: three blocks',
    calls: [
      ['text', 'a'],
      ['thinking', 'b'],
      ['thinking', 'b'],
      ['text', 'c'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 text',
      '0 text_delta',
      'stop 0',
      'start 1 thinking',
      '1 thinking_delta',
      '1 thinking_delta',
      'stop 1',
      'start 2 text',
      '2 text_delta',
      'stop 2',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([text('a'), thinking('bb'), text('c')], 'end_turn'),
  },
  {
    name: 'redacted thinking is a complete block between others',
    calls: [
      ['thinking', 'x'],
      ['redacted', 'EmwKAhgB'],
      ['text', 'y'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      'stop 0',
      'start 1 redacted_thinking',
      'stop 1',
      'start 2 text',
      '2 text_delta',
      'stop 2',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([thinking('x'), { type: 'redacted_thinking', data: 'EmwKAhgB' }, text('y')], 'end_turn'),
  },
  {
    name: 'empty message: end_turn with nothing said',
    calls: [['finish', { stopReason: 'end_turn' }]],
    events: ['message_start', 'message_delta end_turn', 'message_stop'],
    message: message([], 'end_turn'),
  },
  {
    name: 'empty message: a refusal, with usage and only empty content before it',
    start: { ...START, inputTokens: 40 },
    calls: [
      ['text', ''],
      ['thinking', ''],
      ['signature', ''],
      ['finish', { stopReason: 'refusal', usage: { output_tokens: 0, input_tokens: 42 } }],
    ],
    events: ['message_start', 'message_delta refusal', 'message_stop'],
    message: message([], 'refusal', { usage: { ...ZERO_USAGE, input_tokens: 42 } }),
  },
  {
    name: 'max_tokens in the middle of thinking closes the thinking block',
    calls: [
      ['thinking', 'Long thought'],
      ['finish', { stopReason: 'max_tokens', usage: { output_tokens: 1024 } }],
    ],
    events: ['message_start', 'start 0 thinking', '0 thinking_delta', 'stop 0', 'message_delta max_tokens', 'message_stop'],
    message: message([thinking('Long thought')], 'max_tokens', { usage: { ...ZERO_USAGE, output_tokens: 1024 } }),
  },
  {
    name: 'a stop sequence',
    calls: [
      ['text', 'one two'],
      ['finish', { stopReason: 'stop_sequence', stopSequence: '###' }],
    ],
    events: ['message_start', 'start 0 text', '0 text_delta', 'stop 0', 'message_delta stop_sequence', 'message_stop'],
    message: message([text('one two')], 'stop_sequence', { stop_sequence: '###' }),
  },
  {
    name: 'UTF-8 text and thinking with emoji, CJK and combining marks',
    calls: [
      ['thinking', 'Pensée 🤔 '],
      ['thinking', '考える'],
      ['text', 'héllo wörld 🌍'],
      ['text', ' — 世界 👩‍👩‍👧 e\u0301'],
      ['finish', { stopReason: 'end_turn' }],
    ],
    events: [
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      '0 thinking_delta',
      'stop 0',
      'start 1 text',
      '1 text_delta',
      '1 text_delta',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ],
    message: message([thinking('Pensée 🤔 考える'), text('héllo wörld 🌍 — 世界 👩‍👩‍👧 e\u0301')], 'end_turn'),
  },
  {
    name: 'usage merged across calls: later values win, undefined and null change nothing',
    start: { ...START, inputTokens: 100, cacheReadInputTokens: 10 },
    calls: [
      ['usage', { input_tokens: 120 }],
      ['text', 'x'],
      ['usage', { output_tokens: 3, cache_read_input_tokens: 50 }],
      ['usage', { output_tokens: 7, cache_read_input_tokens: null, input_tokens: undefined }],
      ['usage', { cache_creation_input_tokens: 5 }],
      ['finish', { stopReason: 'end_turn', usage: { output_tokens: 9 } }],
    ],
    events: ['message_start', 'start 0 text', '0 text_delta', 'stop 0', 'message_delta end_turn', 'message_stop'],
    message: message([text('x')], 'end_turn', {
      usage: { input_tokens: 120, output_tokens: 9, cache_creation_input_tokens: 5, cache_read_input_tokens: 50 },
    }),
  },
  {
    name: 'unicode and escapes in tool input',
    calls: [
      ['tool', { id: 'toolu_u', name: 'Write', input: TOOL_INPUT_UNICODE }],
      ['finish', { stopReason: 'tool_use' }],
    ],
    events: ['message_start', 'start 0 tool_use', '0 input_json_delta', 'stop 0', 'message_delta tool_use', 'message_stop'],
    message: message([tool('toolu_u', 'Write', TOOL_INPUT_UNICODE)], 'tool_use'),
  },
];

// ---------------------------------------------------------------------------------------------------
// The two readers every row goes through: the gateway's own collector and the official SDK.

async function* batchesOf(perCall: StreamEvent[][]): AsyncGenerator<FrameBatch> {
  for (const events of perCall) if (events.length > 0) yield FrameBatch.of(events);
}

/** The SSE bytes of the stream, one chunk per call, as the gateway would write them. */
function sseBody(perCall: StreamEvent[][]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const events of perCall) {
        if (events.length === 0) continue;
        const bytes = FrameBatch.of(events).bytes;
        controller.enqueue(typeof bytes === 'string' ? encoder.encode(bytes) : new Uint8Array(bytes));
      }
      controller.close();
    },
  });
}

/** What the official SDK assembles from the stream: `messages.stream(...).finalMessage()` over a fetch that returns it. */
async function sdkFinalMessage(perCall: StreamEvent[][]): Promise<unknown> {
  const client = new Anthropic({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sseBody(perCall), { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } }),
  });
  const stream = client.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
  // finalMessage() adds the structured-output helper's `parsed_output: null`; it is not on the wire.
  const final: Record<string, unknown> = { ...(await stream.finalMessage()) };
  delete final.parsed_output;
  return final;
}

/** The Anthropic stream grammar (protocols B.2), as strictly as the Claude Code era SDK checks it. */
function expectGrammar(events: StreamEvent[]): void {
  expect(events[0]?.type).toBe('message_start');
  expect(events.filter((e) => e.type === 'message_start')).toHaveLength(1);
  expect(events.at(-1)?.type).toBe('message_stop');
  const last = events.at(-2);
  expect(last?.type).toBe('message_delta');
  if (last?.type === 'message_delta') {
    expect(last.delta.stop_reason).not.toBeNull();
    expect(typeof last.usage.output_tokens).toBe('number');
  }
  const deltaFor: Record<string, string[]> = {
    thinking: ['thinking_delta', 'signature_delta'],
    text: ['text_delta'],
    tool_use: ['input_json_delta'],
    redacted_thinking: [],
  };
  let open: { index: number; type: string } | null = null;
  let next = 0;
  for (const e of events.slice(1, -2)) {
    if (e.type === 'content_block_start') {
      expect(open).toBeNull();
      expect(e.index).toBe(next++);
      open = { index: e.index, type: e.content_block.type };
    } else if (e.type === 'content_block_delta') {
      expect(e.index).toBe(open?.index);
      expect(deltaFor[open!.type]).toContain(e.delta.type);
    } else if (e.type === 'content_block_stop') {
      expect(e.index).toBe(open?.index);
      open = null;
    } else {
      throw new Error(`unexpected ${e.type} inside the message`);
    }
  }
  expect(open).toBeNull();
}

describe('StreamBuilder: call sequences and the message they describe', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s: the events', (_name, row) => {
    const events = run(row.calls, row.start).flat();
    expect(events.map(describeEvent)).toEqual(row.events);
    expectGrammar(events);
  });

  it.each(ROWS.map((r) => [r.name, r] as const))('%s: the gateway collector assembles the message', async (_name, row) => {
    expect(await collectMessage(framesOf(batchesOf(run(row.calls, row.start))))).toEqual(row.message);
  });

  it.each(ROWS.map((r) => [r.name, r] as const))('%s: the official SDK assembles the message', async (_name, row) => {
    // The SDK's message has `stop_details: undefined` (1.x), which toEqual treats as absent.
    expect(await sdkFinalMessage(run(row.calls, row.start))).toEqual(row.message);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('StreamBuilder: message_start', () => {
  it('is emitted with the first content and only then', () => {
    const b = new StreamBuilder({ model: MODEL });
    expect(b.started).toBe(false);
    expect(b.text('')).toEqual([]);
    expect(b.thinking('')).toEqual([]);
    expect(b.signature('')).toEqual([]);
    b.usage({ input_tokens: 5 });
    expect(b.started).toBe(false);
    const first = b.text('x');
    expect(first.map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(b.started).toBe(true);
    expect(b.text('y').map((e) => e.type)).toEqual(['content_block_delta']);
  });

  it('has the shape the API sends: empty content, null stop fields, output_tokens 1, both cache counters', () => {
    const [start] = new StreamBuilder({ model: MODEL, id: 'msg_01abc', inputTokens: 2095, cacheReadInputTokens: 300 }).text('x');
    expect(start).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_01abc',
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 2095, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 300 },
      },
    });
  });

  it('carries usage learned before the first content', () => {
    const b = new StreamBuilder({ model: MODEL, inputTokens: 10 });
    b.usage({ input_tokens: 2100, cache_read_input_tokens: 2000 });
    const [start] = b.thinking('t');
    expect(start).toMatchObject({ message: { usage: { input_tokens: 2100, output_tokens: 1, cache_read_input_tokens: 2000 } } });
  });

  it('gets a fresh msg_ id by default', () => {
    const id = (b: StreamBuilder) => (b.text('x')[0] as Extract<StreamEvent, { type: 'message_start' }>).message.id;
    const a = id(new StreamBuilder({ model: MODEL }));
    const c = id(new StreamBuilder({ model: MODEL }));
    expect(a).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(c).not.toBe(a);
  });
});

describe('StreamBuilder: blocks', () => {
  it('content_block_start carries the complete empty block the SDK needs', () => {
    const b = new StreamBuilder(START);
    const starts = [...b.thinking('t'), ...b.text('x'), ...b.toolUse({ id: 'toolu_1', name: 'Read', input: { a: 1 } }), ...b.redactedThinking('EmwK')].filter(
      (e) => e.type === 'content_block_start',
    );
    expect(starts.map((e) => (e as { content_block: ContentBlock }).content_block)).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
      { type: 'redacted_thinking', data: 'EmwK' },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['an object', { file_path: '/a', n: [1, { x: null }] }, '{"file_path":"/a","n":[1,{"x":null}]}'],
    ['an empty object', {}, '{}'],
    ['undefined', undefined, '{}'],
    ['null', null, '{}'],
    ['unicode', { s: 'é🌍' }, '{"s":"é🌍"}'],
  ])('a tool call with %s as input sends the whole JSON in one input_json_delta', (_name, input, json) => {
    const deltas = new StreamBuilder(START).toolUse({ id: 'toolu_1', name: 'T', input }).filter((e) => e.type === 'content_block_delta');
    expect(deltas).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: json } }]);
  });

  it('a tool call leaves no block open: text after it starts the next index', () => {
    const b = new StreamBuilder(START);
    b.toolUse({ id: 'toolu_1', name: 'T', input: {} });
    expect(b.text('after').map(describeEvent)).toEqual(['start 1 text', '1 text_delta']);
  });
});

describe('StreamBuilder: finish', () => {
  it('message_delta carries the cumulative usage; output_tokens is 0 when never told', () => {
    const b = new StreamBuilder({ model: MODEL, inputTokens: 77 });
    b.text('x');
    expect(b.finish({ stopReason: 'end_turn' }).at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 77, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('keeps extra usage fields (server_tool_use) in message_delta', () => {
    const b = new StreamBuilder(START);
    b.usage({ server_tool_use: { web_search_requests: 2 } });
    expect(b.finish({ stopReason: 'end_turn', usage: { output_tokens: 4 } }).at(-2)).toMatchObject({
      usage: { output_tokens: 4, server_tool_use: { web_search_requests: 2 } },
    });
  });

  it('a second finish returns nothing', () => {
    const b = new StreamBuilder(START);
    b.text('x');
    expect(b.finish({ stopReason: 'end_turn' }).map(describeEvent)).toEqual(['stop 0', 'message_delta end_turn', 'message_stop']);
    expect(b.finish({ stopReason: 'max_tokens' })).toEqual([]);
  });

  it.each<[string, (b: StreamBuilder) => unknown]>([
    ['thinking', (b) => b.thinking('t')],
    ['signature', (b) => b.signature('s')],
    ['redactedThinking', (b) => b.redactedThinking('d')],
    ['text', (b) => b.text('x')],
    ['text with an empty string', (b) => b.text('')],
    ['toolUse', (b) => b.toolUse({ id: 'toolu_1', name: 'T', input: {} })],
    ['usage', (b) => b.usage({ output_tokens: 1 })],
  ])('%s after finish throws: content after the end is a programming error', (_name, call) => {
    const b = new StreamBuilder(START);
    b.finish({ stopReason: 'end_turn' });
    expect(() => call(b)).toThrow(/after finish\(\)/);
  });
});

describe('StreamBuilder: events once returned never change', () => {
  // A Frame serialises its event lazily, so an event object changed by a later call would change
  // the bytes sent for it.
  it('later calls do not touch the objects of earlier events', () => {
    const b = new StreamBuilder({ model: MODEL, inputTokens: 1 });
    const all: StreamEvent[] = [];
    const snapshots: string[] = [];
    const take = (events: StreamEvent[]) => {
      all.push(...events);
      snapshots.push(...events.map((e) => JSON.stringify(e)));
    };
    take(b.thinking('a'));
    b.usage({ input_tokens: 50, output_tokens: 5 });
    take(b.signature('s'));
    take(b.text('b'));
    take(b.toolUse({ id: 'toolu_1', name: 'T', input: { k: 'v' } }));
    take(b.finish({ stopReason: 'tool_use', usage: { output_tokens: 9, cache_read_input_tokens: 3 } }));
    expect(all.map((e) => JSON.stringify(e))).toEqual(snapshots);
  });
});
