import { describe, expect, it } from 'vitest';
import { nestedDeeperThan } from '../../../src-proxy/lib/json-depth.js';

/** Arrays within arrays, `levels` deep, built without recursion. */
function arrays(levels: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('nestedDeeperThan', () => {
  it.each([
    ['a string', 'text', 1, false],
    ['null', null, 1, false],
    ['an empty object, at a limit of 1', {}, 1, false],
    ['an object in an object, at a limit of 1', { a: {} }, 1, true],
    ['an object in an object, at a limit of 2', { a: {} }, 2, false],
    ['a deep branch beside shallow ones', { a: 1, b: [1, 2, { c: [[]] }], d: {} }, 5, false],
    ['a deep branch beside shallow ones, one level short', { a: 1, b: [1, 2, { c: [[]] }], d: {} }, 4, true],
    ['arrays 5 deep at a limit of 5', arrays(5), 5, false],
    ['arrays 6 deep at a limit of 5', arrays(6), 5, true],
  ])('%s', (_name, value, limit, deeper) => {
    expect(nestedDeeperThan(value, limit)).toBe(deeper);
  });

  it('measures 100,000 levels without running out of stack', () => {
    expect(nestedDeeperThan(arrays(100_000), 128)).toBe(true);
    expect(nestedDeeperThan(arrays(100_000), 100_000)).toBe(false);
  });
});
