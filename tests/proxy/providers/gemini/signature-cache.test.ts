import { describe, expect, it } from 'vitest';
import { decodeSignature, encodeSignature, isGeminiSignature, SignatureCache } from '../../../../src-proxy/providers/gemini/signature-cache.js';

const HOUR = 60 * 60 * 1000;

/** A cache on a clock the test moves. */
function clocked(options: { maxEntries?: number; maxAgeMs?: number } = {}) {
  let now = 1_000_000;
  const cache = new SignatureCache({ ...options, now: () => now });
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('SignatureCache', () => {
  it('returns what was stored under a tool_use id', () => {
    const { cache } = clocked();
    cache.set('toolu_1', { signature: 'sig-1', family: 'gemini-3-pro', callId: 'call-1' });
    expect(cache.get('toolu_1')).toEqual({ signature: 'sig-1', family: 'gemini-3-pro', callId: 'call-1' });
    expect(cache.get('toolu_2')).toBeUndefined();
  });

  it('a second set for the same id replaces the first', () => {
    const { cache } = clocked();
    cache.set('toolu_1', { signature: 'old', family: 'f' });
    cache.set('toolu_1', { signature: 'new', family: 'f' });
    expect(cache.get('toolu_1')?.signature).toBe('new');
    expect(cache.size).toBe(1);
  });

  // Each step: [operation, id, expected ids present afterwards (oldest first)], on a cache of 3.
  const lru: Array<[string, Array<['set' | 'get', string]>, string[]]> = [
    [
      'below the bound nothing is evicted',
      [
        ['set', 'a'],
        ['set', 'b'],
        ['set', 'c'],
      ],
      ['a', 'b', 'c'],
    ],
    [
      'the least recently stored goes first',
      [
        ['set', 'a'],
        ['set', 'b'],
        ['set', 'c'],
        ['set', 'd'],
      ],
      ['b', 'c', 'd'],
    ],
    [
      'a read makes an entry recent',
      [
        ['set', 'a'],
        ['set', 'b'],
        ['set', 'c'],
        ['get', 'a'],
        ['set', 'd'],
      ],
      ['a', 'c', 'd'],
    ],
    [
      'a rewrite makes an entry recent',
      [
        ['set', 'a'],
        ['set', 'b'],
        ['set', 'c'],
        ['set', 'a'],
        ['set', 'd'],
      ],
      ['a', 'c', 'd'],
    ],
    [
      'a miss changes nothing',
      [
        ['set', 'a'],
        ['set', 'b'],
        ['set', 'c'],
        ['get', 'x'],
        ['set', 'd'],
      ],
      ['b', 'c', 'd'],
    ],
  ];
  it.each(lru)('size bound: %s', (_name, steps, expected) => {
    const { cache } = clocked({ maxEntries: 3 });
    for (const [op, id] of steps) {
      if (op === 'set') cache.set(id, { signature: id, family: 'f' });
      else cache.get(id);
    }
    expect(cache.size).toBe(expected.length);
    for (const id of expected) expect(cache.get(id)?.signature).toBe(id);
  });

  const ages: Array<[string, number[], boolean]> = [
    ['read within the age: kept', [23 * HOUR], true],
    ['read exactly at the age: kept', [24 * HOUR], true],
    ['read after the age: gone', [24 * HOUR + 1], false],
    ['each read restarts the age (a live conversation replays its history every turn)', [20 * HOUR, 20 * HOUR, 20 * HOUR], true],
  ];
  it.each(ages)('age bound: %s', (_name, waits, kept) => {
    const { cache, advance } = clocked();
    cache.set('toolu_1', { signature: 's', family: 'f' });
    let last: unknown;
    for (const wait of waits) {
      advance(wait);
      last = cache.get('toolu_1');
    }
    expect(last !== undefined).toBe(kept);
  });

  it('an expired entry is removed when found', () => {
    const { cache, advance } = clocked({ maxAgeMs: 1000 });
    cache.set('toolu_1', { signature: 's', family: 'f' });
    advance(1001);
    cache.get('toolu_1');
    expect(cache.size).toBe(0);
  });

  it('delete and clear', () => {
    const { cache } = clocked();
    cache.set('a', { family: 'f' });
    cache.set('b', { family: 'f' });
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('signature encoding', () => {
  it('round-trips a family and a signature', () => {
    const encoded = encodeSignature('gemini-3-pro', 'CsUBAb+/==');
    expect(encoded.startsWith('gsig1.')).toBe(true);
    expect(encoded).toMatch(/^gsig1\.[A-Za-z0-9_-]+$/);
    expect(decodeSignature(encoded)).toEqual({ family: 'gemini-3-pro', signature: 'CsUBAb+/==' });
    expect(isGeminiSignature(encoded)).toBe(true);
  });

  it("keeps a thought's signature and the following call's apart, either alone or both", () => {
    expect(decodeSignature(encodeSignature('f', 'THOUGHT', 'CALL'))).toEqual({ family: 'f', signature: 'THOUGHT', call: 'CALL' });
    expect(decodeSignature(encodeSignature('f', undefined, 'CALL'))).toEqual({ family: 'f', call: 'CALL' });
    expect(decodeSignature(encodeSignature('f', 'THOUGHT'))).toEqual({ family: 'f', signature: 'THOUGHT' });
  });

  const foreign: Array<[string, unknown]> = [
    ['an Anthropic signature', 'EqQBCkgIARABGAIiQL2...'],
    ['an empty string', ''],
    ['not a string', 42],
    ['the prefix with garbage', 'gsig1.%%%'],
    ['the prefix with JSON of the wrong shape', 'gsig1.' + Buffer.from('{"x":1}').toString('base64url')],
    ['the prefix with an empty signature', 'gsig1.' + Buffer.from('{"m":"f","s":""}').toString('base64url')],
  ];
  it.each(foreign)('decodes %s to null', (_name, value) => {
    expect(decodeSignature(value)).toBeNull();
  });

  it('isGeminiSignature is false for an Anthropic signature', () => {
    expect(isGeminiSignature('EqQBCkgIARABGAIiQL2')).toBe(false);
  });
});
