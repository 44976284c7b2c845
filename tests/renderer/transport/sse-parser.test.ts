import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../src-renderer/transport/sse-parser.js';

describe('SseParser', () => {
  it('yields named events, skipping comments, and keeps a partial event until it is complete', () => {
    const p = new SseParser();
    expect(p.push(': connected\n\nevent: status\ndata: {"running":')).toEqual([]);
    expect(p.push('true}\n\n: keep-alive\n\nevent: request\r\ndata: 1\r\n\r\n')).toEqual([
      { event: 'status', data: '{"running":true}' },
      { event: 'request', data: '1' },
    ]);
  });

  it('joins multi-line data and ignores events without a name or data', () => {
    const p = new SseParser();
    expect(p.push('data: orphan\n\nevent: x\n\nevent: y\ndata: a\ndata: b\n\n')).toEqual([{ event: 'y', data: 'a\nb' }]);
  });
});
