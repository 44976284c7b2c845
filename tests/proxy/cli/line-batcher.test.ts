import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineBatcher } from '../../../src-proxy/cli/line-batcher.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LineBatcher', () => {
  it('writes the lines of one flush interval in one write, in order', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const batcher = new LineBatcher((t) => writes.push(t), 100);
    batcher.push('one');
    batcher.push('two');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(writes).toEqual(['one\ntwo']);
    batcher.push('three');
    vi.advanceTimersByTime(100);
    expect(writes).toEqual(['one\ntwo', 'three']);
  });

  it('writes what is pending at once on flush, and nothing when nothing is', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const batcher = new LineBatcher((t) => writes.push(t), 100);
    batcher.flush();
    batcher.push('last');
    batcher.flush();
    vi.advanceTimersByTime(500);
    expect(writes).toEqual(['last']);
  });
});
