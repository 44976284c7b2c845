import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src-proxy/logs/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.oldestFirst()).toEqual([5, 6, 7]);
    expect(ring.newestFirst()).toEqual([7, 6, 5]);
  });

  it('returns copies and can be cleared', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    const copy = ring.oldestFirst();
    copy.push(99);
    expect(ring.oldestFirst()).toEqual([1]);
    ring.clear();
    ring.push(2);
    expect(ring.oldestFirst()).toEqual([2]);
  });

  it('holds nothing with capacity 0 and rejects a bad capacity', () => {
    const ring = new RingBuffer<number>(0);
    ring.push(1);
    expect(ring.size).toBe(0);
    expect(() => new RingBuffer(-1)).toThrow(RangeError);
  });
});
