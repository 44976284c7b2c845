// The JSON bytes of a translated request: exactly JSON.stringify's, with the long strings a session
// resends on every turn encoded once and their bytes kept within a budget.

import { describe, expect, it } from 'vitest';
import { jsonBody, LongStringCache, MIN_KEPT_LENGTH } from '../../../../src-proxy/providers/shared/json-body.js';

/** A long string as a new request parses it: equal content, a new string. */
const long = (seed: string, length = MIN_KEPT_LENGTH * 2) =>
  (seed + ' "quoted"\n\ttabbed \\ back\u0001slash é ✓ 😀 ').repeat(Math.ceil(length / 40)).slice(0, length);
const fresh = (s: string) => JSON.parse(JSON.stringify(s)) as string;

describe('jsonBody', () => {
  it.each<[string, unknown]>([
    [
      'a Gemini request',
      {
        contents: [{ role: 'user', parts: [{ text: long('a') }, { functionResponse: { id: 't1', name: 'Read', response: { output: long('b') } } }] }],
        generationConfig: { maxOutputTokens: 32000, temperature: 0.5 },
      },
    ],
    [
      'short strings and every kind of value',
      {
        s: 'x',
        n: -0,
        f: 1.5e300,
        nan: Number.NaN,
        inf: -Infinity,
        t: true,
        nul: null,
        arr: [1, 'two', null, [], {}],
        nested: { deep: { deeper: ['é', '\u2028', '\ud800'] } },
      },
    ],
    ['what JSON.stringify leaves out or writes as null', { skip: undefined, fn: () => 1, sym: Symbol('s'), arr: [undefined, () => 1, Symbol('s'), long('c')] }],
    ['a value that says how it is written', { when: new Date(0), custom: { toJSON: () => ({ long: long('d') }) } }],
    ['integer-like keys, which come first', { b: 1, 2: 'two', a: long('e'), 1: 'one' }],
    ['a long string at the top', long('f')],
    [
      'a tool list with a long description deep in a schema',
      {
        tools: [
          {
            functionDeclarations: [
              {
                name: 'Bash',
                description: long('h'),
                parameters: {
                  type: 'OBJECT',
                  properties: { command: { type: 'STRING', description: long('i') }, timeout: { type: 'NUMBER' } },
                  required: ['command'],
                },
              },
            ],
          },
        ],
      },
    ],
    ['an object that inherits what JSON.stringify leaves out', Object.assign(Object.create({ inherited: long('j') }) as object, { own: long('k') })],
    ['a lone surrogate in a long string', `${long('g')}\ud800`],
    ['numbers and null at the top', [0, null, 'x']],
  ])('writes %s as JSON.stringify does', (_what, value) => {
    const cache = new LongStringCache();
    const expected = Buffer.from(JSON.stringify(value));
    expect(jsonBody(value, cache).equals(expected)).toBe(true);
    // Again, from what it kept.
    expect(jsonBody(value, cache).equals(expected)).toBe(true);
  });

  it('keeps the bytes of a long string, and gives them to a later request that carries an equal one', () => {
    const cache = new LongStringCache();
    const text = long('turn');
    const first = cache.bytesOf(text);
    expect(cache.bytesOf(fresh(text))).toBe(first);
    expect(cache.size).toBe(1);
    expect(jsonBody({ parts: [{ text: fresh(text) }] }, cache).equals(Buffer.from(JSON.stringify({ parts: [{ text }] })))).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('encodes anew a string that differs in one character, and keeps no short string', () => {
    const cache = new LongStringCache();
    const text = long('x');
    const first = cache.bytesOf(text);
    const changed = `${text.slice(0, -1)}!`;
    expect(cache.bytesOf(changed)).not.toBe(first);
    expect(cache.bytesOf(changed).toString()).toBe(JSON.stringify(changed));
    jsonBody({ text: 'short'.repeat(10) }, cache);
    expect(cache.size).toBe(2);
  });

  it('stays within its budget, dropping the strings used least recently', () => {
    const size = (s: string) => s.length + Buffer.byteLength(JSON.stringify(s));
    const [a, b, c] = ['a', 'b', 'c'].map((seed) => long(seed));
    const cache = new LongStringCache({ budgetBytes: size(a!) + size(b!) + 10 });
    jsonBody([a], cache);
    jsonBody([b], cache);
    jsonBody([a], cache); // a is now the most recent
    jsonBody([c], cache); // b goes
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBeLessThanOrEqual(size(a!) + size(b!) + 10);
    const kept = cache.bytesOf(a!);
    expect(cache.bytesOf(fresh(a!))).toBe(kept);
  });

  it('keeps the first strings of a request that alone fills the budget, so the next turn finds them', () => {
    const turn = ['1', '2', '3', '4'].map((seed) => long(seed));
    const one = turn[0]!.length + Buffer.byteLength(JSON.stringify(turn[0]));
    const cache = new LongStringCache({ budgetBytes: one * 2 + 10 });
    jsonBody(turn, cache);
    expect(cache.size).toBe(2);
    const kept = turn.slice(0, 2).map((s) => cache.bytesOf(s));
    // The next turn resends the conversation with one more string: its start is still there.
    const next = [...turn.map(fresh), long('5')];
    expect(jsonBody(next, cache).equals(Buffer.from(JSON.stringify(next)))).toBe(true);
    expect(cache.bytesOf(fresh(turn[0]!))).toBe(kept[0]);
    expect(cache.bytesOf(fresh(turn[1]!))).toBe(kept[1]);
  });

  it('keeps no string bigger than its whole budget', () => {
    const cache = new LongStringCache({ budgetBytes: MIN_KEPT_LENGTH });
    const text = long('big');
    expect(jsonBody({ text }, cache).toString()).toBe(JSON.stringify({ text }));
    expect(cache.size).toBe(0);
    expect(cache.heldBytes).toBe(0);
  });
});
