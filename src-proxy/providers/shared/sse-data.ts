// Server-sent events as an upstream sends them, for upstreams whose events carry only `data:` (Gemini):
// bytes in as they arrive, the data of each complete event out. Bytes are kept until an event is
// complete, so a character cut between two reads is decoded whole.

const LF = 0x0a;
const CR = 0x0d;

export class SseDataSplitter {
  private pending: Buffer | null = null;
  private size = 0;

  constructor(private readonly maxEventBytes = 16 * 1024 * 1024) {}

  /** The data of every event this chunk completed, in order. Throws when one event grows past the limit. */
  push(chunk: Buffer): string[] {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const end = blockEnd(buf, start);
      if (end === null) break;
      const block = buf.toString('utf8', start, end.contentEnd);
      const data = dataOf(block);
      if (data !== null) out.push(data);
      start = end.next;
    }
    this.pending = start < buf.length ? buf.subarray(start) : null;
    this.size = this.pending?.length ?? 0;
    if (this.size > this.maxEventBytes) throw new RangeError(`an upstream event grew past ${this.maxEventBytes} bytes without ending`);
    return out;
  }

  /** The data of a last event the upstream ended without its blank line, if any. */
  end(): string[] {
    const rest = this.pending;
    this.pending = null;
    if (!rest) return [];
    const data = dataOf(rest.toString('utf8'));
    return data === null ? [] : [data];
  }
}

/** Where the event starting at `from` ends: its content, and past its blank line. */
function blockEnd(buf: Buffer, from: number): { contentEnd: number; next: number } | null {
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c !== LF && c !== CR) continue;
    // A line ends at i; the event ends if the next line is empty.
    const afterLine = c === CR && buf[i + 1] === LF ? i + 2 : i + 1;
    if (afterLine >= buf.length) return null;
    const d = buf[afterLine];
    if (d === LF) return { contentEnd: i, next: afterLine + 1 };
    if (d === CR) {
      if (afterLine + 1 >= buf.length) return null; // a CR that may be followed by LF
      return { contentEnd: i, next: buf[afterLine + 1] === LF ? afterLine + 2 : afterLine + 1 };
    }
    i = afterLine - 1;
  }
  return null;
}

/** The event's data lines joined, or null for an event without data (a comment, a keep-alive). */
function dataOf(block: string): string | null {
  let data: string | null = null;
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}
