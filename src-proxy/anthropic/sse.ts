// Server-sent events in the Anthropic dialect: every event named, one JSON object per `data:` line.
// A Frame is one event as it travels through the gateway. Frames read from an Anthropic-shaped upstream
// keep their exact bytes, so a pass-through stream is written without re-serialising, and the JSON is
// parsed only when someone asks for the event (the log reads a handful per stream, not every delta).

import type { StreamEvent } from './types.js';

export function encodeEvent(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export class Frame {
  private constructor(
    readonly type: string,
    private rawBytes: Buffer | string | null,
    private parsed: StreamEvent | null,
  ) {}

  static of(event: StreamEvent): Frame {
    return new Frame(event.type, null, event);
  }

  /** A complete SSE block (terminator included) whose event name is already known. */
  static fromBlock(type: string, block: Buffer): Frame {
    return new Frame(type, block, null);
  }

  get raw(): Buffer | string {
    return (this.rawBytes ??= encodeEvent(this.parsed as StreamEvent));
  }

  get event(): StreamEvent {
    return (this.parsed ??= parseBlockData(this.rawBytes as Buffer) as StreamEvent);
  }
}

/**
 * The frames that arrived together, and the bytes to send for them in one write: the upstream's own
 * bytes when they came from an SSE upstream (comments between events included, which SSE clients
 * skip), or the frames' encodings otherwise.
 */
export class FrameBatch {
  constructor(
    readonly frames: readonly Frame[],
    private rawBytes: Buffer | string | null = null,
  ) {}

  static of(events: readonly StreamEvent[]): FrameBatch {
    return new FrameBatch(events.map((e) => Frame.of(e)));
  }

  get bytes(): Buffer | string {
    return (this.rawBytes ??= this.frames.map((f) => (typeof f.raw === 'string' ? f.raw : f.raw.toString('utf8'))).join(''));
  }
}

/** The frames of a stream of batches, one at a time (for the collector). */
export async function* framesOf(batches: AsyncIterable<FrameBatch>): AsyncGenerator<Frame> {
  for await (const batch of batches) yield* batch.frames;
}

const LF = 0x0a;
const CR = 0x0d;

/** Joins the `data:` lines of one SSE block and parses them as JSON. */
function parseBlockData(block: Buffer): unknown {
  const lines = block.toString('utf8').split(/\r\n|\r|\n/);
  let data: string | null = null;
  for (const line of lines) {
    if (!line.startsWith('data')) continue;
    const value = fieldValue(line, 'data');
    if (value === null) continue;
    data = data === null ? value : `${data}\n${value}`;
  }
  if (data === null) throw new SyntaxError('SSE event has no data');
  return JSON.parse(data);
}

function fieldValue(line: string, name: string): string | null {
  if (line.length === name.length) return '';
  if (line.charCodeAt(name.length) !== 0x3a /* : */) return null;
  return line.charCodeAt(name.length + 1) === 0x20 ? line.slice(name.length + 2) : line.slice(name.length + 1);
}

/** The event name of a block: its `event:` field, or `message` when it has none (SSE's default). */
function blockEventName(block: Buffer): string | null {
  let hasData = false;
  let name: string | null = null;
  let start = 0;
  while (start < block.length) {
    let end = start;
    while (end < block.length && block[end] !== LF && block[end] !== CR) end++;
    if (end > start) {
      const first = block[start];
      if (first === 0x65 /* e */ && name === null && block.toString('latin1', start, start + 6) === 'event:') {
        name = fieldValue(block.toString('utf8', start, end), 'event');
      } else if (first === 0x64 /* d */ && block.toString('latin1', start, start + 5) === 'data:') {
        hasData = true;
      } else if (first === 0x64 && end - start === 4 && block.toString('latin1', start, end) === 'data') {
        hasData = true;
      }
    }
    start = end + 1;
  }
  if (!hasData) return null;
  return name ?? 'message';
}

/**
 * Splits a byte stream into SSE blocks. Accepts `\n`, `\r\n` and `\r` line ends; blocks that carry no
 * data (comments, bare `retry:`) are dropped.
 */
export class SseSplitter {
  private pending: Buffer | null = null;
  private sawCR = false;

  /** Feeds one chunk; returns the frames it completed (often exactly one). */
  push(chunk: Buffer): Frame[] {
    return this.pushBatch(chunk)?.frames.slice() ?? [];
  }

  /**
   * Feeds one chunk; returns the frames it completed together with the bytes that carry them, which are
   * contiguous (blocks follow each other), so a pass-through writes them in one call. Null when the
   * chunk completed no block.
   */
  pushBatch(chunk: Buffer): FrameBatch | null {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    if (!this.sawCR && chunk.includes(CR)) this.sawCR = true;
    const frames: Frame[] = [];
    let start = 0;
    for (;;) {
      const end = this.blockEnd(buf, start);
      if (end < 0) break;
      const block = buf.subarray(start, end);
      start = end;
      const name = blockEventName(block);
      if (name !== null) frames.push(Frame.fromBlock(name, block));
    }
    this.pending = start < buf.length ? buf.subarray(start) : null;
    return start === 0 ? null : new FrameBatch(frames, buf.subarray(0, start));
  }

  /** Bytes of an unterminated block at the end of the stream, if any. */
  get leftover(): number {
    return this.pending?.length ?? 0;
  }

  /** Index just past the blank line ending the block that starts at `from`, or -1. */
  private blockEnd(buf: Buffer, from: number): number {
    if (!this.sawCR) {
      const i = buf.indexOf('\n\n', from);
      return i < 0 ? -1 : i + 2;
    }
    // Slow path for CR line ends: walk line by line until an empty line. A CR ends its line on its own
    // (an LF right after it belongs to the same line end). When the chunk ends on the CR of the closing
    // blank line the block is complete and is emitted now: waiting for a possible LF would hold a
    // CR-only stream's last event forever. Such an LF then leads the next block as an empty line, which
    // is harmless and keeps the bytes in order. Any other block is re-scanned from its start.
    let i = from;
    let lineStart = from;
    while (i < buf.length) {
      const c = buf[i];
      if (c === LF || c === CR) {
        const empty = i === lineStart;
        let next = i + 1;
        if (c === CR && next < buf.length && buf[next] === LF) next++;
        if (empty && i > from) return next;
        lineStart = next;
        i = next;
      } else {
        i++;
      }
    }
    return -1;
  }
}
