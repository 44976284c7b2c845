import { describe, expect, it } from 'vitest';
import { mergeNewestFirst } from '../../../../src-renderer/pages/logs/live-requests.js';
import { logEntry } from '../../fake-control.js';

const e = (id: string, time: number) => logEntry({ id, time });
const ids = (list: ReturnType<typeof mergeNewestFirst>) => list.map((x) => x.id);

describe('mergeNewestFirst', () => {
  it.each([
    ['history into an empty table', [], [e('b', 2), e('a', 1)], 10, ['b', 'a']],
    ['live entries before older ones', [e('a', 1)], [e('c', 3), e('b', 2)], 10, ['c', 'b', 'a']],
    ['an entry seen twice once', [e('b', 2), e('a', 1)], [e('b', 2)], 10, ['b', 'a']],
    ['by arrival, whatever order they came in', [e('c', 3)], [e('a', 1), e('d', 4)], 10, ['d', 'c', 'a']],
    ['the oldest dropped past the cap', [e('b', 2), e('a', 1)], [e('c', 3)], 2, ['c', 'b']],
  ] as const)('%s', (_name, a, b, max, expected) => {
    expect(ids(mergeNewestFirst(a, b, max))).toEqual(expected);
  });
});
