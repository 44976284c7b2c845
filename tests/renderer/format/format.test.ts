import { describe, expect, it } from 'vitest';
import { formatCostTotal, formatUsd } from '../../../src-renderer/format/format.js';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [1234.5, '$1,234.50'],
    [1.2, '$1.20'],
    [0.1, '$0.10'],
    [0.05, '$0.05'],
    [0.0123, '$0.012'],
    [0.0029, '$0.0029'],
    [0.00041, '$0.00041'],
    [0.0000004, '$0.0000004'],
  ])('%s reads %s', (dollars, text) => {
    expect(formatUsd(dollars)).toBe(text);
  });
});

describe('formatCostTotal', () => {
  it('says what a total leaves out, and never passes unpriced requests off as $0', () => {
    expect(formatCostTotal(1.5, 0)).toBe('$1.50');
    expect(formatCostTotal(1.5, 2)).toBe('$1.50 + 2 unpriced requests');
    expect(formatCostTotal(0, 3)).toBe('no price');
    expect(formatCostTotal(0, 0)).toBe('$0.00');
  });
});
