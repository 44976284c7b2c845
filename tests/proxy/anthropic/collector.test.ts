import { describe, expect, it } from 'vitest';
import { collectMessage, IncompleteStreamError, MessageAccumulator, messageToEvents, StreamErrorEvent } from '../../../src-proxy/anthropic/collector.js';
import { encodeEvent, Frame, SseSplitter } from '../../../src-proxy/anthropic/sse.js';
import type { ContentBlock, Message, StreamEvent, Usage } from '../../../src-proxy/anthropic/types.js';

// ---------------------------------------------------------------------------------------------------
// Builders for the events of one stream

type DeltaUsage = Extract<StreamEvent, { type: 'message_delta' }>['usage'];

const startMessage = (usage: Usage = { input_tokens: 10, output_tokens: 1 }): Message => ({
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [],
  stop_reason: null,
  stop_sequence: null,
  usage,
});

const ev = {
  start: (usage?: Usage): StreamEvent => ({ type: 'message_start', message: startMessage(usage) }),
  block: (index: number, content_block: ContentBlock): StreamEvent => ({ type: 'content_block_start', index, content_block }),
  delta: (index: number, delta: { type: string; [key: string]: unknown }): StreamEvent => ({ type: 'content_block_delta', index, delta }),
  text: (index: number, text: string) => ev.delta(index, { type: 'text_delta', text }),
  json: (index: number, partial_json: string) => ev.delta(index, { type: 'input_json_delta', partial_json }),
  stop: (index: number): StreamEvent => ({ type: 'content_block_stop', index }),
  end: (stop_reason = 'end_turn', usage: DeltaUsage = { output_tokens: 5 }): StreamEvent => ({
    type: 'message_delta',
    delta: { stop_reason, stop_sequence: null },
    usage,
  }),
  messageStop: (): StreamEvent => ({ type: 'message_stop' }),
  ping: (): StreamEvent => ({ type: 'ping' }),
};

function accumulate(events: StreamEvent[]): Message {
  const acc = new MessageAccumulator();
  for (const e of events) acc.apply(e);
  return acc.result();
}

/** A full stream around the given block events. */
const wrap = (blockEvents: StreamEvent[], stopReason = 'end_turn'): StreamEvent[] => [ev.start(), ...blockEvents, ev.end(stopReason), ev.messageStop()];

async function* framesOf(events: StreamEvent[]): AsyncGenerator<Frame> {
  for (const e of events) yield Frame.of(e);
}

// ---------------------------------------------------------------------------------------------------

describe('MessageAccumulator: content', () => {
  it('text: deltas concatenate, pings in between change nothing', () => {
    const msg = accumulate(wrap([ev.block(0, { type: 'text', text: '' }), ev.text(0, 'Hel'), ev.ping(), ev.text(0, 'lo, 世界'), ev.stop(0)]));
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello, 世界' }]);
    expect(msg.stop_reason).toBe('end_turn');
  });

  it('text: a start block that already carries text is continued', () => {
    const msg = accumulate(wrap([ev.block(0, { type: 'text', text: 'pre' }), ev.text(0, 'fill'), ev.stop(0)]));
    expect(msg.content).toEqual([{ type: 'text', text: 'prefill' }]);
  });

  it('thinking: deltas concatenate and signature_delta replaces the signature', () => {
    const msg = accumulate(
      wrap([
        ev.block(0, { type: 'thinking', thinking: '', signature: '' }),
        ev.delta(0, { type: 'thinking_delta', thinking: 'Need the ' }),
        ev.delta(0, { type: 'thinking_delta', thinking: 'file.' }),
        ev.delta(0, { type: 'signature_delta', signature: 'EqQBfirst' }),
        ev.delta(0, { type: 'signature_delta', signature: 'EqQBfinal' }),
        ev.stop(0),
      ]),
    );
    expect(msg.content).toEqual([{ type: 'thinking', thinking: 'Need the file.', signature: 'EqQBfinal' }]);
  });

  it('redacted_thinking: the start block is kept as sent', () => {
    const msg = accumulate(wrap([ev.block(0, { type: 'redacted_thinking', data: 'EmwKAhgB' }), ev.stop(0)]));
    expect(msg.content).toEqual([{ type: 'redacted_thinking', data: 'EmwKAhgB' }]);
  });

  const toolStart: ContentBlock = { type: 'tool_use', id: 'toolu_01', name: 'Read', input: {} };
  const INPUT = { file_path: '/src/a "quoted" é.ts', lines: [1, 2, { to: null }], nested: { ok: true, esc: '\\n\u00e9' } };
  const JSON_TEXT = JSON.stringify(INPUT);

  it('tool_use: input_json_delta cut in two at every offset gives the same input', () => {
    for (let cut = 0; cut <= JSON_TEXT.length; cut++) {
      const msg = accumulate(wrap([ev.block(0, toolStart), ev.json(0, JSON_TEXT.slice(0, cut)), ev.json(0, JSON_TEXT.slice(cut)), ev.stop(0)], 'tool_use'));
      expect(msg.content, `cut at ${cut}`).toEqual([{ ...toolStart, input: INPUT }]);
    }
  });

  it('tool_use: one character per delta, after the leading empty delta the API sends', () => {
    const deltas = [ev.json(0, ''), ...[...JSON_TEXT].map((ch) => ev.json(0, ch))];
    const msg = accumulate(wrap([ev.block(0, toolStart), ...deltas, ev.stop(0)], 'tool_use'));
    expect(msg.content).toEqual([{ ...toolStart, input: INPUT }]);
    expect(msg.stop_reason).toBe('tool_use');
  });

  it.each([
    ['no input_json_delta at all', [] as string[], {}],
    ['only empty deltas', ['', ''], {}],
    ['whitespace only', [' ', '\n'], {}],
    ['an empty object', ['{', '}'], {}],
  ])('tool_use with %s: input is an empty object', (_name, parts, input) => {
    const msg = accumulate(wrap([ev.block(0, toolStart), ...parts.map((p) => ev.json(0, p)), ev.stop(0)], 'tool_use'));
    expect(msg.content).toEqual([{ ...toolStart, input }]);
  });

  it('server_tool_use accumulates its input the same way', () => {
    const start: ContentBlock = { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: {} };
    const msg = accumulate(wrap([ev.block(0, start), ev.json(0, '{"query":"vit'), ev.json(0, 'est"}'), ev.stop(0)]));
    expect(msg.content).toEqual([{ ...start, input: { query: 'vitest' } }]);
  });

  it('two tool_use blocks keep their JSON buffers apart', () => {
    const a: ContentBlock = { type: 'tool_use', id: 'toolu_a', name: 'A', input: {} };
    const b: ContentBlock = { type: 'tool_use', id: 'toolu_b', name: 'B', input: {} };
    const msg = accumulate(
      wrap([ev.block(0, a), ev.json(0, '{"x":'), ev.json(0, '1}'), ev.stop(0), ev.block(1, b), ev.json(1, '{"y":2}'), ev.stop(1)], 'tool_use'),
    );
    expect(msg.content).toEqual([
      { ...a, input: { x: 1 } },
      { ...b, input: { y: 2 } },
    ]);
  });

  const citation = (n: number) => ({
    type: 'web_search_result_location',
    cited_text: `c${n}`,
    url: `https://x/${n}`,
    title: `t${n}`,
    encrypted_index: `e${n}`,
  });

  it('citations: citations_delta appends, interleaved with text deltas', () => {
    const msg = accumulate(
      wrap([
        ev.block(0, { type: 'text', text: '' }),
        ev.delta(0, { type: 'citations_delta', citation: citation(1) }),
        ev.text(0, 'The answer'),
        ev.delta(0, { type: 'citations_delta', citation: citation(2) }),
        ev.text(0, ' is 42.'),
        ev.stop(0),
      ]),
    );
    expect(msg.content).toEqual([{ type: 'text', text: 'The answer is 42.', citations: [citation(1), citation(2)] }]);
  });

  it('citations: a start block with citations null or [] is appended to', () => {
    for (const initial of [null, []]) {
      const msg = accumulate(
        wrap([ev.block(0, { type: 'text', text: '', citations: initial }), ev.delta(0, { type: 'citations_delta', citation: citation(1) }), ev.stop(0)]),
      );
      expect(msg.content).toEqual([{ type: 'text', text: '', citations: [citation(1)] }]);
    }
  });

  it('blocks of every kind in one message stay in order', () => {
    const msg = accumulate(
      wrap(
        [
          ev.block(0, { type: 'thinking', thinking: '', signature: '' }),
          ev.delta(0, { type: 'thinking_delta', thinking: 'hmm' }),
          ev.delta(0, { type: 'signature_delta', signature: 'sig' }),
          ev.stop(0),
          ev.block(1, { type: 'text', text: '' }),
          ev.text(1, 'Reading it now.'),
          ev.stop(1),
          ev.block(2, toolStart),
          ev.json(2, '{"file_path":"/a"}'),
          ev.stop(2),
        ],
        'tool_use',
      ),
    );
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(msg.content[2]!.input).toEqual({ file_path: '/a' });
  });

  // The SDK applies a delta only to a block of the matching type; a stray one changes nothing.
  it.each([
    ['text_delta on a tool_use block', toolStart, { type: 'text_delta', text: 'x' }],
    ['thinking_delta on a text block', { type: 'text', text: 'a' }, { type: 'thinking_delta', thinking: 'x' }],
    ['signature_delta on a text block', { type: 'text', text: 'a' }, { type: 'signature_delta', signature: 'x' }],
    ['citations_delta on a tool_use block', toolStart, { type: 'citations_delta', citation: citation(1) }],
    ['input_json_delta on a text block', { type: 'text', text: 'a' }, { type: 'input_json_delta', partial_json: '{"x":' }],
    ['text_delta on a thinking block', { type: 'thinking', thinking: 't', signature: 's' }, { type: 'text_delta', text: 'x' }],
    ['an unknown delta type', { type: 'text', text: 'a' }, { type: 'future_delta', stuff: 1 }],
  ] as Array<[string, ContentBlock, { type: string; [key: string]: unknown }]>)('%s is ignored', (_name, block, delta) => {
    const msg = accumulate(wrap([ev.block(0, block), ev.delta(0, delta), ev.stop(0)]));
    expect(msg.content).toEqual([block]);
  });

  it('a delta for an index with no block is ignored', () => {
    const msg = accumulate(wrap([ev.block(0, { type: 'text', text: '' }), ev.text(3, 'lost'), ev.text(0, 'kept'), ev.stop(0)]));
    expect(msg.content).toEqual([{ type: 'text', text: 'kept' }]);
  });

  it('does not modify the content_block objects of the events it reads', () => {
    const start: ContentBlock = { type: 'text', text: '' };
    accumulate(wrap([ev.block(0, start), ev.text(0, 'abc'), ev.stop(0)]));
    expect(start).toEqual({ type: 'text', text: '' });
  });

  it('unknown event types are ignored', () => {
    const msg = accumulate([ev.start(), { type: 'future_event' } as unknown as StreamEvent, ev.end(), ev.messageStop()]);
    expect(msg.content).toEqual([]);
  });
});

describe('MessageAccumulator: message_delta and usage', () => {
  const START_USAGE: Usage = { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 3, cache_read_input_tokens: 7 };

  // As the SDK: output_tokens always taken; the other counters are cumulative totals, overwritten only
  // when the delta carries a non-null value (0 is a value).
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['only output_tokens', { output_tokens: 42 }, { ...START_USAGE, output_tokens: 42 }],
    ['a corrected input_tokens', { output_tokens: 42, input_tokens: 2100 }, { ...START_USAGE, output_tokens: 42, input_tokens: 2100 }],
    [
      'null counters',
      { output_tokens: 42, input_tokens: null, cache_read_input_tokens: null, cache_creation_input_tokens: null },
      { ...START_USAGE, output_tokens: 42 },
    ],
    [
      'zero counters',
      { output_tokens: 0, input_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    ],
    [
      'cache counters',
      { output_tokens: 9, cache_read_input_tokens: 900, cache_creation_input_tokens: 50 },
      { ...START_USAGE, output_tokens: 9, cache_read_input_tokens: 900, cache_creation_input_tokens: 50 },
    ],
    [
      'server_tool_use',
      { output_tokens: 9, server_tool_use: { web_search_requests: 1 } },
      { ...START_USAGE, output_tokens: 9, server_tool_use: { web_search_requests: 1 } },
    ],
    ['server_tool_use null', { output_tokens: 9, server_tool_use: null }, { ...START_USAGE, output_tokens: 9 }],
  ])('message_delta with %s', (_name, usage, expected) => {
    const msg = accumulate([ev.start({ ...START_USAGE }), ev.end('end_turn', usage as DeltaUsage), ev.messageStop()]);
    expect(msg.usage).toEqual(expected);
  });

  it('several message_delta events: each overwrites, the last wins', () => {
    const msg = accumulate([
      ev.start({ ...START_USAGE }),
      { type: 'message_delta', delta: { stop_reason: null }, usage: { output_tokens: 5, input_tokens: 20 } },
      { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 8 } },
      ev.messageStop(),
    ]);
    expect(msg.usage).toEqual({ ...START_USAGE, input_tokens: 20, output_tokens: 8 });
    expect(msg.stop_reason).toBe('max_tokens');
  });

  it.each([
    ['a matched stop sequence', { stop_reason: 'stop_sequence', stop_sequence: '###' }, '###'],
    ['stop_sequence null', { stop_reason: 'end_turn', stop_sequence: null }, null],
    ['stop_sequence absent', { stop_reason: 'end_turn' }, null],
  ])('stop_reason and stop_sequence from message_delta: %s', (_name, delta, stopSequence) => {
    const msg = accumulate([ev.start(), { type: 'message_delta', delta, usage: { output_tokens: 1 } }, ev.messageStop()]);
    expect(msg.stop_reason).toBe(delta.stop_reason);
    expect(msg.stop_sequence).toBe(stopSequence);
  });

  it('keeps the message_start fields (id, model, role, extra fields)', () => {
    const msg = accumulate([
      { type: 'message_start', message: { ...startMessage(), id: 'msg_x', model: 'glm-4.6', container: null } },
      ev.end(),
      ev.messageStop(),
    ]);
    expect(msg).toMatchObject({ id: 'msg_x', type: 'message', role: 'assistant', model: 'glm-4.6', container: null });
  });
});

describe('MessageAccumulator: errors and incomplete streams', () => {
  it('an error event throws StreamErrorEvent carrying the error', () => {
    const acc = new MessageAccumulator();
    acc.apply(ev.start());
    let thrown: unknown;
    try {
      acc.apply({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StreamErrorEvent);
    expect((thrown as StreamErrorEvent).error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    expect((thrown as StreamErrorEvent).message).toBe('Overloaded');
    expect((thrown as StreamErrorEvent).name).toBe('StreamErrorEvent');
  });

  it('an error event as the very first event also throws StreamErrorEvent', () => {
    expect(() => new MessageAccumulator().apply({ type: 'error', error: { type: 'api_error', message: 'boom' } })).toThrow(StreamErrorEvent);
  });

  it.each<[string, StreamEvent[]]>([
    ['no events at all', []],
    ['only message_start', [ev.start()]],
    ['everything but message_stop', [ev.start(), ev.block(0, { type: 'text', text: '' }), ev.text(0, 'hi'), ev.stop(0), ev.end()]],
    ['cut inside a block', [ev.start(), ev.block(0, { type: 'text', text: '' }), ev.text(0, 'hi')]],
  ])('result() with %s throws IncompleteStreamError', (_name, events) => {
    const acc = new MessageAccumulator();
    for (const e of events) acc.apply(e);
    expect(acc.done).toBe(false);
    expect(() => acc.result()).toThrow(IncompleteStreamError);
  });

  it('a content event before message_start throws IncompleteStreamError', () => {
    expect(() => new MessageAccumulator().apply(ev.block(0, { type: 'text', text: '' }))).toThrow(IncompleteStreamError);
  });

  it('message_stop without message_start is still incomplete', () => {
    const acc = new MessageAccumulator();
    acc.apply(ev.messageStop());
    expect(() => acc.result()).toThrow(IncompleteStreamError);
  });
});

describe('collectMessage', () => {
  const events = wrap([ev.block(0, { type: 'text', text: '' }), ev.text(0, 'Hi there'), ev.stop(0)]);

  it('collects frames into the message', async () => {
    const msg = await collectMessage(framesOf(events));
    expect(msg.content).toEqual([{ type: 'text', text: 'Hi there' }]);
    expect(msg.usage).toEqual({ input_tokens: 10, output_tokens: 5 });
  });

  it('collects frames split from raw SSE bytes', async () => {
    const bytes = Buffer.from(events.map(encodeEvent).join(''));
    const splitter = new SseSplitter();
    async function* frames() {
      for (let i = 0; i < bytes.length; i += 7) yield* splitter.push(bytes.subarray(i, i + 7));
    }
    expect(await collectMessage(frames())).toEqual(accumulate(events));
  });

  it('stops reading at message_stop', async () => {
    async function* frames(): AsyncGenerator<Frame> {
      yield* framesOf(events);
      throw new Error('read past message_stop');
    }
    await expect(collectMessage(frames())).resolves.toMatchObject({ stop_reason: 'end_turn' });
  });

  it('rejects with IncompleteStreamError when the frames end before message_stop', async () => {
    await expect(collectMessage(framesOf(events.slice(0, -1)))).rejects.toBeInstanceOf(IncompleteStreamError);
  });

  it('rejects with StreamErrorEvent on an error frame', async () => {
    const broken = [...events.slice(0, 3), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } as StreamEvent];
    await expect(collectMessage(framesOf(broken))).rejects.toBeInstanceOf(StreamErrorEvent);
  });
});

describe('messageToEvents', () => {
  const message = (content: ContentBlock[], over: Partial<Message> = {}): Message => ({
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    ...over,
  });

  const cases: Array<[string, Message]> = [
    ['empty content', message([])],
    ['text', message([{ type: 'text', text: 'Hello, 世界 🌍' }])],
    ['empty text', message([{ type: 'text', text: '' }])],
    ['text with citations null (the API shape)', message([{ type: 'text', text: 'plain', citations: null }])],
    [
      'text with citations',
      message([
        {
          type: 'text',
          text: 'cited',
          citations: [{ type: 'web_search_result_location', cited_text: 'c', url: 'https://x', title: 't', encrypted_index: 'e' }],
        },
      ]),
    ],
    ['thinking with signature', message([{ type: 'thinking', thinking: 'Need the file first.', signature: 'EqQBCkYIBxgCKkA' }])],
    ['thinking omitted (empty text, signature only)', message([{ type: 'thinking', thinking: '', signature: 'EqQB' }])],
    ['redacted_thinking', message([{ type: 'redacted_thinking', data: 'EmwKAhgB' }])],
    [
      'tool_use',
      message([{ type: 'tool_use', id: 'toolu_01', name: 'Read', input: { file_path: '/src/a.ts', n: [1, { x: null }] } }], { stop_reason: 'tool_use' }),
    ],
    ['tool_use without arguments', message([{ type: 'tool_use', id: 'toolu_01', name: 'Now', input: {} }], { stop_reason: 'tool_use' })],
    [
      'thinking + text + tool_use',
      message(
        [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'text', text: 'Reading it now.' },
          { type: 'tool_use', id: 'toolu_01T1', name: 'Read', input: { file_path: '/src/a.ts' } },
        ],
        { stop_reason: 'tool_use' },
      ),
    ],
    [
      'server tool use and its result',
      message([
        { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'q' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: [{ type: 'web_search_result', url: 'https://x', title: 't' }] },
        { type: 'text', text: 'done' },
      ]),
    ],
    ['a stop sequence', message([{ type: 'text', text: 'abc' }], { stop_reason: 'stop_sequence', stop_sequence: '###' })],
    [
      'usage with extra fields',
      message([], { usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: null, server_tool_use: null, service_tier: 'standard' } }),
    ],
  ];

  it.each(cases)('%s: round-trips through MessageAccumulator to an equal message', (_name, msg) => {
    expect(accumulate(messageToEvents(msg))).toEqual(msg);
  });

  it.each(cases)('%s: round-trips through SSE bytes too', async (_name, msg) => {
    const bytes = Buffer.from(messageToEvents(msg).map(encodeEvent).join(''));
    const frames = new SseSplitter().push(bytes);
    expect(await collectMessage(framesOf(frames.map((f) => f.event)))).toEqual(msg);
  });

  it.each(cases)('%s: follows the stream grammar', (_name, msg) => {
    expectGrammar(messageToEvents(msg));
  });

  it('starts blocks with the complete shapes the SDK needs', () => {
    const events = messageToEvents(cases[10]![1]);
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => (e as { content_block: ContentBlock }).content_block);
    expect(starts).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'toolu_01T1', name: 'Read', input: {} },
    ]);
  });

  it('message_start carries stop_reason null, empty content and output_tokens 1', () => {
    const [first] = messageToEvents(message([{ type: 'text', text: 'x' }]));
    expect(first).toEqual({
      type: 'message_start',
      message: { ...message([]), stop_reason: null, stop_sequence: null, usage: { ...message([]).usage, output_tokens: 1 } },
    });
  });

  it('a message without a stop_reason ends with end_turn', () => {
    const events = messageToEvents(message([], { stop_reason: null }));
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'end_turn' } });
  });

  it('does not modify the message it streams', () => {
    const msg = message([{ type: 'tool_use', id: 't', name: 'n', input: { a: 1 } }]);
    const before = structuredClone(msg);
    messageToEvents(msg);
    expect(msg).toEqual(before);
  });
});

/** The Anthropic stream grammar (protocols B.2), as the SDK depends on it. */
function expectGrammar(events: StreamEvent[]): void {
  expect(events[0]?.type).toBe('message_start');
  expect(events.at(-1)?.type).toBe('message_stop');
  const last = events.at(-2);
  expect(last?.type).toBe('message_delta');
  if (last?.type === 'message_delta') {
    expect(last.delta.stop_reason).not.toBeNull();
    expect(typeof last.usage.output_tokens).toBe('number');
  }
  let open: number | null = null;
  let next = 0;
  for (const e of events.slice(1, -2)) {
    if (e.type === 'content_block_start') {
      expect(open).toBeNull();
      expect(e.index).toBe(next);
      open = next++;
    } else if (e.type === 'content_block_delta') {
      expect(e.index).toBe(open);
    } else if (e.type === 'content_block_stop') {
      expect(e.index).toBe(open);
      open = null;
    } else {
      expect(e.type).toBe('ping');
    }
  }
  expect(open).toBeNull();
}
