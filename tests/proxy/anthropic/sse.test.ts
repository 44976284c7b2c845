import { describe, expect, it } from 'vitest';
import { encodeEvent, Frame, FrameBatch, SseSplitter } from '../../../src-proxy/anthropic/sse.js';
import type { StreamEvent } from '../../../src-proxy/anthropic/types.js';

// ---------------------------------------------------------------------------------------------------
// Helpers

type LineEnd = '\n' | '\r\n' | '\r';
const LINE_ENDS: Array<[name: string, eol: LineEnd]> = [
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['CR', '\r'],
];

/** An SSE block written with `\n` and converted to the line end under test. */
const withEol = (block: string, eol: LineEnd) => block.replace(/\n/g, eol);

const bytes = (s: string) => Buffer.from(s, 'utf8');
const rawBytes = (f: Frame) => Buffer.from(f.raw);

/** Feeds `input` in pieces cut at the given offsets and returns every frame, in order. */
function feed(input: Buffer, cuts: number[], splitter = new SseSplitter()): { frames: Frame[]; splitter: SseSplitter } {
  const frames: Frame[] = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    frames.push(...splitter.push(input.subarray(from, cut)));
    from = cut;
  }
  return { frames, splitter };
}

/** Every offset strictly inside `input`: each cut of the stream in two pieces. */
const everyCut = (input: Buffer) => Array.from({ length: input.length - 1 }, (_, i) => i + 1);

// A stream with the awkward parts: a multi-byte event name, text in 2-, 3- and 4-byte UTF-8, a comment
// block, a bare `retry:` block, an `id:` inside an event, a multi-line `data:` and an unnamed event.
const message = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [],
  stop_reason: null,
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 1 },
} as const;
const TEXT = 'héllo wörld — 世界 🌍🚀';

const blocks = {
  start: `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message })}\n\n`,
  comment: ': keepalive\n\n',
  ping: 'event: ping\ndata: {"type":"ping"}\n\n',
  retry: 'retry: 3000\n\n',
  delta: `event: content_block_delta\nid: 7\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: TEXT } })}\n\n`,
  exotic: 'event: déjà_vu\ndata: {"type":"déjà_vu","n":1}\n\n',
  multiline: 'event:content_block_stop\ndata:{"type":\ndata: "content_block_stop",\ndata: "index":0}\n\n',
  unnamed: 'data: {"type":"unnamed"}\n\n',
  stop: 'event: message_stop\ndata: {"type":"message_stop"}\n\n',
};

const ORDER = ['start', 'comment', 'ping', 'retry', 'delta', 'exotic', 'multiline', 'unnamed', 'stop'] as const;
const KEPT = ['start', 'ping', 'delta', 'exotic', 'multiline', 'unnamed', 'stop'] as const;

const expectedTypes = ['message_start', 'ping', 'content_block_delta', 'déjà_vu', 'content_block_stop', 'message', 'message_stop'];
const expectedEvents: unknown[] = [
  { type: 'message_start', message },
  { type: 'ping' },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: TEXT } },
  { type: 'déjà_vu', n: 1 },
  { type: 'content_block_stop', index: 0 },
  { type: 'unnamed' },
  { type: 'message_stop' },
];

function stream(eol: LineEnd, names: readonly (keyof typeof blocks)[] = ORDER): Buffer {
  return bytes(names.map((n) => withEol(blocks[n], eol)).join(''));
}

// ---------------------------------------------------------------------------------------------------

describe('encodeEvent', () => {
  it('writes one named event: `event:` line, one-line JSON `data:`, blank line', () => {
    expect(encodeEvent({ type: 'content_block_stop', index: 2 })).toBe('event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n');
  });

  it('keeps the JSON on a single line even when strings contain newlines', () => {
    const out = encodeEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'a\nb\r\nc' } });
    expect(out.split('\n')).toHaveLength(4); // event, data, blank, '' after the final \n
    expect(out).not.toContain('\r');
  });
});

describe('Frame.of', () => {
  const events: Array<[string, StreamEvent]> = [
    ['ping', { type: 'ping' }],
    ['message_stop', { type: 'message_stop' }],
    ['text delta with UTF-8', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: TEXT } }],
    ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
  ];

  it.each(events)('%s: raw is exactly encodeEvent(event)', (_name, event) => {
    expect(Frame.of(event).raw).toBe(encodeEvent(event));
  });

  it.each(events)('%s: type is the event type and event is the very object given', (_name, event) => {
    const frame = Frame.of(event);
    expect(frame.type).toBe(event.type);
    expect(frame.event).toBe(event);
  });

  it.each(events)('%s: its raw bytes split back into the same event', (_name, event) => {
    const [frame, ...rest] = new SseSplitter().push(bytes(String(Frame.of(event).raw)));
    expect(rest).toEqual([]);
    expect(frame!.type).toBe(event.type);
    expect(frame!.event).toEqual(event);
  });
});

describe('SseSplitter', () => {
  describe.each(LINE_ENDS)('%s line ends', (_name, eol) => {
    const input = stream(eol);

    it('pushed whole: keeps data blocks, drops comments and data-less blocks, names unnamed events `message`', () => {
      const { frames, splitter } = feed(input, []);
      expect(frames.map((f) => f.type)).toEqual(expectedTypes);
      expect(frames.map((f) => f.event)).toEqual(expectedEvents);
      expect(splitter.leftover).toBe(0);
    });

    it('pushed whole: each frame raw is the exact bytes of its block', () => {
      const { frames } = feed(input, []);
      expect(frames.map(rawBytes)).toEqual(KEPT.map((n) => bytes(withEol(blocks[n], eol))));
    });

    it('cut in two at every byte offset (inside line ends, UTF-8 sequences, field names): same events', () => {
      for (const cut of everyCut(input)) {
        const { frames } = feed(input, [cut]);
        expect(
          frames.map((f) => f.type),
          `cut at ${cut}`,
        ).toEqual(expectedTypes);
        expect(
          frames.map((f) => f.event),
          `cut at ${cut}`,
        ).toEqual(expectedEvents);
      }
    });

    it('fed one byte at a time: same events', () => {
      const { frames } = feed(input, everyCut(input));
      expect(frames.map((f) => f.type)).toEqual(expectedTypes);
      expect(frames.map((f) => f.event)).toEqual(expectedEvents);
    });

    it("cut in two at every byte offset: the frames' raw bytes followed by what is pending are the input", () => {
      // A stream without dropped blocks, so pass-through must reproduce it byte for byte.
      const passThrough = stream(eol, KEPT);
      for (const cut of everyCut(passThrough)) {
        const { frames, splitter } = feed(passThrough, [cut]);
        const written = Buffer.concat([...frames.map(rawBytes), passThrough.subarray(passThrough.length - splitter.leftover)]);
        expect(written.equals(passThrough), `cut at ${cut}`).toBe(true);
        expect(frames, `cut at ${cut}`).toHaveLength(KEPT.length);
      }
    });

    it("fed one byte at a time: the frames' raw bytes are the input, byte for byte", () => {
      const passThrough = stream(eol, KEPT);
      const { frames, splitter } = feed(passThrough, everyCut(passThrough));
      const written = Buffer.concat([...frames.map(rawBytes), passThrough.subarray(passThrough.length - splitter.leftover)]);
      expect(written.equals(passThrough)).toBe(true);
    });

    it('emits an event as soon as its terminating blank line has arrived', () => {
      const splitter = new SseSplitter();
      expect(splitter.push(bytes(withEol('event: ping\ndata: {"type":"ping"}\n', eol)))).toEqual([]);
      const frames = splitter.push(bytes(eol));
      expect(frames.map((f) => f.type)).toEqual(['ping']);
    });

    it('keeps an unterminated block pending and reports its size', () => {
      const splitter = new SseSplitter();
      const partial = bytes(withEol('event: ping\ndata: {"type":"ping"}\n', eol));
      expect(splitter.push(partial)).toEqual([]);
      expect(splitter.leftover).toBe(partial.length);
    });
  });

  it.each(LINE_ENDS)('%s: frame raw is exact per block at every cut', (name, eol) => {
    const passThrough = stream(eol, KEPT);
    const expected = KEPT.map((n) => bytes(withEol(blocks[n], eol)));
    for (const cut of everyCut(passThrough)) {
      // With CRLF, a cut between the CR and the LF that end a block is the one place where the block is
      // emitted at its CR (the blank line is complete) and the LF opens the next frame instead.
      const boundary = name === 'CRLF' && passThrough[cut - 1] === 0x0d && passThrough[cut] === 0x0a && passThrough[cut - 2] === 0x0a;
      if (boundary) continue;
      const { frames } = feed(passThrough, [cut]);
      expect(frames.map(rawBytes), `cut at ${cut}`).toEqual(expected);
    }
  });

  it('CRLF cut between the final CR and LF of a block: the block is emitted at once, the LF leads the next frame', () => {
    const a = 'event: ping\r\ndata: {"type":"ping"}\r\n\r\n';
    const b = 'event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n';
    const splitter = new SseSplitter();
    const first = splitter.push(bytes(a.slice(0, -1)));
    expect(first.map((f) => f.type)).toEqual(['ping']);
    expect(first[0]!.event).toEqual({ type: 'ping' });
    const second = splitter.push(bytes(`\n${b}`));
    expect(second.map((f) => f.type)).toEqual(['message_stop']);
    expect(second[0]!.event).toEqual({ type: 'message_stop' });
    expect(Buffer.concat([...first, ...second].map(rawBytes)).toString()).toBe(a + b);
    expect(splitter.leftover).toBe(0);
  });

  it('CR line ends: the last event of the stream is not held back waiting for more bytes', () => {
    const splitter = new SseSplitter();
    const frames = splitter.push(bytes('event: message_stop\rdata: {"type":"message_stop"}\r\r'));
    expect(frames.map((f) => f.type)).toEqual(['message_stop']);
    expect(splitter.leftover).toBe(0);
  });

  it('accepts line ends mixed within one stream', () => {
    const mixed = 'event: ping\ndata: {"type":"ping"}\n\nevent: a\r\ndata: {"type":"a"}\r\n\r\nevent: b\rdata: {"type":"b"}\r\r';
    for (const cut of everyCut(bytes(mixed))) {
      const { frames } = feed(bytes(mixed), [cut]);
      expect(
        frames.map((f) => f.type),
        `cut at ${cut}`,
      ).toEqual(['ping', 'a', 'b']);
    }
  });

  describe('what counts as an event', () => {
    const cases: Array<[string, string, string[]]> = [
      ['a comment block', ': this is a comment\n\n', []],
      ['an empty comment', ':\n\n', []],
      ['a bare retry: block', 'retry: 1000\n\n', []],
      ['a bare id: block', 'id: 42\n\n', []],
      ['an event: line without data', 'event: ping\n\n', []],
      ['stray blank lines', '\n\n\n\n', []],
      ['a field that only starts with "data"', 'event: x\ndatum: {}\n\n', []],
      ['data without a space after the colon', 'event: ping\ndata:{"type":"ping"}\n\n', ['ping']],
      ['event without a space after the colon', 'event:ping\ndata: {"type":"ping"}\n\n', ['ping']],
      ['data before event', 'data: {"type":"ping"}\nevent: ping\n\n', ['ping']],
      ['a comment line inside an event', 'event: ping\n: note\ndata: {"type":"ping"}\n\n', ['ping']],
      ['no event: line', 'data: {"type":"ping"}\n\n', ['message']],
      ['a bare `data` line', 'event: ping\ndata\n\n', ['ping']],
    ];

    it.each(cases)('%s', (_name, input, types) => {
      const { frames } = feed(bytes(input), []);
      expect(frames.map((f) => f.type)).toEqual(types);
    });
  });

  describe('multi-line data', () => {
    it.each(LINE_ENDS)('joins `data:` lines with a newline (%s)', (_name, eol) => {
      const input = withEol('event: x\ndata: {"text":\ndata:"a"}\n\n', eol);
      const [frame] = feed(bytes(input), []).frames;
      expect(frame!.event).toEqual({ text: 'a' });
    });

    it('the joining newline is part of the JSON text (inside a string it is an invalid control character)', () => {
      const [frame] = feed(bytes('event: x\ndata: {"text":"a\ndata: b"}\n\n'), []).frames;
      expect(() => frame!.event).toThrow(SyntaxError);
    });
  });

  describe('lazy parsing', () => {
    it('splitting never parses the JSON: a bad payload throws only when the event is read', () => {
      const splitter = new SseSplitter();
      const frames = splitter.push(bytes('event: content_block_delta\ndata: {not json\n\n'));
      expect(frames).toHaveLength(1);
      expect(frames[0]!.type).toBe('content_block_delta');
      expect(frames[0]!.raw.toString()).toBe('event: content_block_delta\ndata: {not json\n\n');
      expect(() => frames[0]!.event).toThrow(SyntaxError);
    });

    it('parses once and returns the same object on every read', () => {
      const [frame] = new SseSplitter().push(bytes(String(Frame.of({ type: 'ping' }).raw)));
      const first = frame!.event;
      expect(frame!.event).toBe(first);
    });

    it('raw of a split frame is a Buffer with the input bytes, not a re-encoding', () => {
      const input = 'event: ping\ndata: {"type": "ping" ,"extra":  1}\n\n';
      const [frame] = new SseSplitter().push(bytes(input));
      expect(Buffer.isBuffer(frame!.raw)).toBe(true);
      expect(frame!.raw.toString()).toBe(input);
      expect(frame!.event).toEqual({ type: 'ping', extra: 1 });
    });
  });
});

describe('SseSplitter.pushBatch', () => {
  it('returns the frames a chunk completed with exactly the bytes that carry them, comments included', () => {
    const splitter = new SseSplitter();
    const first = 'event: message_start\ndata: {"type":"message_start"}\n\n: keep-alive\n\nevent: ping\ndata: {"type":"ping"}\n\nevent: content_bl';
    const batch = splitter.pushBatch(Buffer.from(first))!;
    expect(batch.frames.map((f) => f.type)).toEqual(['message_start', 'ping']);
    expect(batch.bytes.toString()).toBe(first.slice(0, first.indexOf('event: content_bl')));
    expect(splitter.pushBatch(Buffer.from('ock_stop'))).toBeNull();
    const rest = splitter.pushBatch(Buffer.from('\ndata: {"type":"content_block_stop","index":0}\n\n'))!;
    expect(rest.frames.map((f) => f.type)).toEqual(['content_block_stop']);
    expect(rest.bytes.toString()).toBe('event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n');
  });

  it('encodes a batch of events as their frames, in order', () => {
    const events = [{ type: 'ping' as const }, { type: 'message_stop' as const }];
    expect(FrameBatch.of(events).bytes).toBe(events.map(encodeEvent).join(''));
  });
});
