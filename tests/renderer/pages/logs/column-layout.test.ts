import { describe, expect, it } from 'vitest';
import { layoutColumns, type ColumnSpec } from '../../../../src-renderer/pages/logs/column-layout.js';

/** Every column at its narrowest: 940px in all. */
const SPECS: ColumnSpec[] = [
  { id: 'time', min: 76, want: 76 },
  { id: 'status', min: 56, want: 56 },
  { id: 'path', min: 90, want: 120 },
  { id: 'model', min: 140, want: 300 },
  { id: 'account', min: 110, want: 200 },
  { id: 'attempts', min: 76, want: 100 },
  { id: 'latency', min: 70, want: 70 },
  { id: 'ttfb', min: 64, want: 64 },
  { id: 'tokens', min: 90, want: 90 },
  { id: 'cost', min: 78, want: 90 },
  { id: 'error', min: 90, want: 500 },
];

describe('layoutColumns', () => {
  it('shows every column on a wide table, each as wide as its content asks, and the error column takes the rest', () => {
    const l = layoutColumns(2000, SPECS);
    expect(l.columns).toEqual(['time', 'status', 'path', 'model', 'account', 'attempts', 'latency', 'ttfb', 'tokens', 'cost', 'error']);
    expect(l.template).toBe('76px 56px 120px 300px 200px 100px 70px 64px 90px 90px minmax(500px, 1fr)');
  });

  it('drops the least needed columns before the mapped model or the account would be cut', () => {
    const l = layoutColumns(1100, SPECS);
    expect(l.columns).toEqual(['time', 'status', 'path', 'model', 'account', 'latency', 'tokens', 'cost', 'error']);
    expect(l.template).toBe('76px 56px 120px 300px 200px 70px 90px 90px minmax(98px, 1fr)');
  });

  it('gives the mapped model all it asks before the account gets more than its narrowest', () => {
    const l = layoutColumns(420, SPECS);
    expect(l.template).toBe('76px 56px minmax(178px, 1fr) 110px');
  });

  it.each([
    // width, columns kept
    [1190, ['time', 'status', 'path', 'model', 'account', 'attempts', 'latency', 'ttfb', 'tokens', 'cost', 'error']],
    [1150, ['time', 'status', 'path', 'model', 'account', 'attempts', 'latency', 'tokens', 'cost', 'error']],
    [1000, ['time', 'status', 'model', 'account', 'latency', 'tokens', 'cost', 'error']],
    [900, ['time', 'status', 'model', 'account', 'tokens', 'cost', 'error']],
    [800, ['time', 'status', 'model', 'account', 'cost', 'error']],
    [730, ['time', 'status', 'model', 'account', 'error']],
    [700, ['time', 'status', 'model', 'account']],
  ])('at %ipx keeps the key columns: %j', (width, columns) => {
    expect(layoutColumns(width, SPECS).columns).toEqual(columns);
  });

  it('scrolls sideways rather than dropping time, status, model or account', () => {
    const l = layoutColumns(300, SPECS);
    expect(l.columns).toEqual(['time', 'status', 'model', 'account']);
    expect(l.minWidth).toBe(76 + 56 + 140 + 110);
    expect(l.template).toBe('76px 56px minmax(140px, 1fr) 110px');
  });
});
