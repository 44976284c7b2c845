import { describe, expect, it } from 'vitest';
import { visibleRange } from '../../../../src-renderer/pages/logs/virtual-window.js';

describe('visibleRange', () => {
  it.each([
    // scrollTop, viewport, rows, expected
    [0, 300, 10_000, { start: 0, end: 19 }],
    [3000, 300, 10_000, { start: 92, end: 119 }],
    [299_700, 300, 10_000, { start: 9982, end: 10_000 }],
    [0, 300, 5, { start: 0, end: 5 }],
    [0, 300, 0, { start: 0, end: 0 }],
    [-50, 300, 100, { start: 0, end: 19 }],
  ])('scrolled to %i in a %ipx viewport over %i rows', (top, height, rows, expected) => {
    expect(visibleRange(top, height, 30, rows)).toEqual(expected);
  });
});
