// Tool parameters kept per schema: a turn that sends a tool seen before reuses what was made for its
// schema, a schema that differs in anything is made anew, and only so many schemas are kept.

import { describe, expect, it } from 'vitest';
import type { GeminiSchema } from '../../../../src-proxy/providers/gemini/schema-sanitizer.js';
import { ToolParametersCache } from '../../../../src-proxy/providers/gemini/tool-parameters.js';

const schema = (extra: Record<string, unknown> = {}) => ({ type: 'object', properties: { file_path: { type: 'string', ...extra } }, required: ['file_path'] });
/** A schema as a new request parses it: equal content, new objects. */
const parsed = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function counting() {
  let calls = 0;
  const make = (): GeminiSchema => {
    calls++;
    return { type: 'OBJECT', properties: { file_path: { type: 'STRING' } } };
  };
  return { make, calls: () => calls };
}

describe('ToolParametersCache', () => {
  it('makes the parameters of a schema once, and gives them to a later request with an equal schema', () => {
    const cache = new ToolParametersCache();
    const { make, calls } = counting();
    const first = cache.get(parsed(schema()), make);
    expect(cache.get(parsed(schema()), make)).toBe(first);
    expect(calls()).toBe(1);
  });

  it.each([
    ['a description', schema({ description: 'Where the file is' })],
    ['a type', { ...schema(), properties: { file_path: { type: 'number' } } }],
    ['a required field', { ...schema(), required: [] }],
    ['key order', { required: ['file_path'], type: 'object', properties: { file_path: { type: 'string' } } }],
  ])('makes anew for a schema that differs in %s', (_what, changed) => {
    const cache = new ToolParametersCache();
    const { make, calls } = counting();
    const first = cache.get(schema(), make);
    expect(cache.get(changed, make)).not.toBe(first);
    expect(calls()).toBe(2);
  });

  it('keeps a tool without parameters as one', () => {
    const cache = new ToolParametersCache();
    let calls = 0;
    const none = () => {
      calls++;
      return undefined;
    };
    expect(cache.get({ type: 'object', properties: {} }, none)).toBeUndefined();
    expect(cache.get({ type: 'object', properties: {} }, none)).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('keeps the schemas used most recently', () => {
    const cache = new ToolParametersCache(2);
    const { make, calls } = counting();
    const [a, b, c] = [schema({ title: 'a' }), schema({ title: 'b' }), schema({ title: 'c' })];
    cache.get(a, make);
    cache.get(b, make);
    cache.get(a, make); // a is now the most recent
    cache.get(c, make); // b goes
    expect(cache.size).toBe(2);
    expect(calls()).toBe(3);
    cache.get(a, make);
    expect(calls()).toBe(3);
    cache.get(b, make);
    expect(calls()).toBe(4);
  });

  it('keeps what it gives out from being changed by a request that shares it', () => {
    const cache = new ToolParametersCache();
    const kept = cache.get(schema(), () => ({ type: 'OBJECT', properties: { file_path: { type: 'STRING' } } }))!;
    expect(() => {
      kept.properties!.file_path!.type = 'NUMBER';
    }).toThrow(TypeError);
    expect(() => {
      kept.required = ['x'];
    }).toThrow(TypeError);
  });
});
