// Server-sent events as text: decoded chunks in, each complete event out with its name and data. The
// control clients read the console's event stream with it, in Node and in the browser alike.

export interface TextEvent {
  /** The `event:` field; null for an event without one. */
  event: string | null;
  data: string;
}

/** Splits decoded SSE text into events, keeping an incomplete event until the rest arrives. */
export class SseTextParser {
  private buffer = '';
  /** The last chunk ended with a CR: a line end already, so an LF opening the next chunk is its other half. */
  private afterCr = false;

  constructor(private readonly maxEventChars = 16 * 1024 * 1024) {}

  /** Every event this chunk completed, in order. Throws when one event grows past the limit. */
  push(text: string): TextEvent[] {
    if (text === '') return [];
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    this.afterCr = text.endsWith('\r');
    this.buffer += text.replace(/\r\n?/g, '\n');
    const out: TextEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const event = parseBlock(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
      if (event) out.push(event);
    }
    if (this.buffer.length > this.maxEventChars) throw new RangeError(`an event grew past ${this.maxEventChars} characters without ending`);
    return out;
  }
}

/** One event's lines; null for a block without data (a comment, a keep-alive). */
function parseBlock(block: string): TextEvent | null {
  let event: string | null = null;
  let data: string | null = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data = data === null ? value : `${data}\n${value}`;
  }
  return data === null ? null : { event, data };
}
