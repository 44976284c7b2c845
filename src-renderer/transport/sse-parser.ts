/** One server-sent event with a name; comments and unnamed events are not part of the control stream. */
export interface NamedEvent {
  event: string;
  data: string;
}

/** Splits decoded SSE text into events, keeping an incomplete event until the rest arrives. */
export class SseParser {
  private buffer = '';

  push(text: string): NamedEvent[] {
    this.buffer += text.replace(/\r\n?/g, '\n');
    const out: NamedEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (event !== null && data.length > 0) out.push({ event, data: data.join('\n') });
    }
    return out;
  }
}
