import { describe, expect, it } from 'vitest';
import { SseDataSplitter } from '../../../../src-proxy/providers/shared/sse-data.js';

function feed(parts: Array<string | Buffer>): string[] {
  const s = new SseDataSplitter();
  const out: string[] = [];
  for (const p of parts) out.push(...s.push(Buffer.isBuffer(p) ? p : Buffer.from(p)));
  out.push(...s.end());
  return out;
}

describe('SseDataSplitter', () => {
  it.each<[string, Array<string | Buffer>, string[]]>([
    ['CRLF events, as Gemini sends them', ['data: {"a":1}\r\n\r\ndata: {"b":2}\r\n\r\n'], ['{"a":1}', '{"b":2}']],
    ['LF events', ['data: {"a":1}\n\ndata: {"b":2}\n\n'], ['{"a":1}', '{"b":2}']],
    ['CR events', ['data: x\r\rdata: y\r\r'], ['x', 'y']],
    ['an event cut anywhere', ['data: {"te', 'xt":"hi"}\r', '\n\r', '\n'], ['{"text":"hi"}']],
    ['a CRLF cut between CR and LF', ['data: a\r\n\r', '\ndata: b\r\n\r\n'], ['a', 'b']],
    ['several data lines joined', ['data: a\ndata: b\n\n'], ['a\nb']],
    ['comments and other fields ignored', [': keep-alive\n\nevent: x\nid: 3\ndata: y\n\n'], ['y']],
    ['no space after the colon', ['data:{"a":1}\n\n'], ['{"a":1}']],
    ['a last event without its blank line', ['data: {"a":1}\r\n\r\ndata: {"last":true}'], ['{"a":1}', '{"last":true}']],
  ])('%s', (_title, parts, expected) => {
    expect(feed(parts)).toEqual(expected);
  });

  it('decodes a character cut between two reads whole', () => {
    const bytes = Buffer.from('data: {"text":"café 你好 🌍"}\r\n\r\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['{"text":"café 你好 🌍"}']);
    }
  });

  it('refuses an event that never ends past its size limit', () => {
    const s = new SseDataSplitter(64);
    expect(() => s.push(Buffer.from(`data: ${'x'.repeat(100)}`))).toThrow(RangeError);
  });
});
