import { describe, expect, it } from 'vitest';
import { OTHER_COLOUR, PALETTE, periodLabel, plotData, seriesColours } from '../../../../src-renderer/pages/stats/chart-plot.js';
import { OTHER } from '../../../../src-renderer/pages/stats/stats-series.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 6, 10);

describe('plotData', () => {
  it('centres each bar in its period, stacks the series and spans the periods whole', () => {
    const data = plotData(
      {
        times: [T0, T0 + H, T0 + 2 * H],
        series: [
          { key: 'a', label: 'a', values: [1, 0, 3], total: 4 },
          { key: 'b', label: 'b', values: [2, 5, 0], total: 7 },
        ],
      },
      'hour',
    );
    expect(data.xs).toEqual([(T0 + H / 2) / 1000, (T0 + 1.5 * H) / 1000, (T0 + 2.5 * H) / 1000]);
    expect(data.stacks).toEqual([
      [1, 0, 3],
      [3, 5, 3],
    ]);
    expect(data.range).toEqual([T0 / 1000, (T0 + 3 * H) / 1000]);
  });

  it('makes a day bar a day wide', () => {
    const data = plotData({ times: [T0], series: [{ key: 'a', label: 'a', values: [1], total: 1 }] }, 'day');
    expect(data.range[1] - data.range[0]).toBe(86_400);
  });
});

describe('seriesColours', () => {
  it('gives a key the same colour whatever other keys are shown beside it, while they do not collide', () => {
    const alone = seriesColours(['work@example.com']);
    const withOthers = seriesColours(['glm-4.6', 'work@example.com', 'claude-opus-4-1']);
    expect(withOthers.get('work@example.com')).toBe(alone.get('work@example.com'));
  });

  it('gives every key its own colour while there are colours left, and the same set the same colours in any order', () => {
    const keys = Array.from({ length: PALETTE.length }, (_, i) => `account-${i}`);
    const colours = seriesColours(keys);
    expect(new Set(keys.map((k) => colours.get(k))).size).toBe(PALETTE.length);
    expect(seriesColours([...keys].reverse())).toEqual(colours);
  });

  it('keeps grey for the others', () => {
    expect(seriesColours(['a', OTHER]).get(OTHER)).toBe(OTHER_COLOUR);
    expect(PALETTE).not.toContain(OTHER_COLOUR);
  });
});

describe('periodLabel', () => {
  it('names the day, and for an hour its start and end', () => {
    const t = new Date(2026, 11, 6, 13, 0).getTime();
    expect(periodLabel(t, 'hour')).toBe('Sun, Dec 6, 13:00–14:00');
    expect(periodLabel(new Date(2026, 11, 6).getTime(), 'day')).toBe('Sun, Dec 6');
  });
});
