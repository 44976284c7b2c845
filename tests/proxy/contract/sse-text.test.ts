import { describe, expect, it } from 'vitest';
import { SseTextParser } from '../../../src-proxy/contract/index.js';

describe('SseTextParser', () => {
  it('yields named events, skipping comments, and keeps a partial event until it is complete', () => {
    const p = new SseTextParser();
    expect(p.push(': connected\n\nevent: status\ndata: {"running":')).toEqual([]);
    expect(p.push('true}\n\n: keep-alive\n\nevent: request\r\ndata: 1\r\n\r\n')).toEqual([
      { event: 'status', data: '{"running":true}' },
      { event: 'request', data: '1' },
    ]);
  });

  it('joins multi-line data, gives an event without a name as such, and drops one without data', () => {
    const p = new SseTextParser();
    expect(p.push('data: orphan\n\nevent: x\n\nevent: y\ndata: a\ndata: b\n\n')).toEqual([
      { event: null, data: 'orphan' },
      { event: 'y', data: 'a\nb' },
    ]);
  });

  it.each([
    ['CRLF cut between two chunks', ['event: a\r\ndata: 1\r', '\n\r\n'], [{ event: 'a', data: '1' }]],
    ['CR line ends', ['event: a\rdata: 1\r\r'], [{ event: 'a', data: '1' }]],
    ['a CR ending one chunk and a blank line starting the next', ['event: a\ndata: 1\r', '\r'], [{ event: 'a', data: '1' }]],
    ['one character at a time', [...'event: a\ndata: é\n\n'], [{ event: 'a', data: 'é' }]],
  ])('reads %s', (_name, chunks, expected) => {
    const p = new SseTextParser();
    expect(chunks.flatMap((c) => p.push(c))).toEqual(expected);
  });

  it('refuses an event that grows past its limit without ending', () => {
    const p = new SseTextParser(64);
    expect(() => p.push(`event: a\ndata: ${'x'.repeat(100)}`)).toThrow(RangeError);
  });
});
