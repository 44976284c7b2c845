import { describe, expect, it } from 'vitest';
import { chartOf, niceMax } from '../../../../src-renderer/pages/stats/stats-series.js';
import type { StatsBucket, StatsReport } from '../../contract.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 6, 10);

function bucket(start: number, account_id: string | null, model: string, requests: number, tokens = 0): StatsBucket {
  return { start, account_id, model, requests, failures: 0, input_tokens: tokens, output_tokens: 0, cost_usd: 0, unpriced: 0 };
}
function report(buckets: StatsBucket[]): StatsReport {
  return { bucket: 'hour', buckets, totals: { requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced: 0 } };
}
const label = (k: string) => `L:${k}`;

describe('chartOf', () => {
  it('fills every hour of the range, summing buckets of the same account across models', () => {
    const chart = chartOf(report([bucket(T0, 'a', 'm1', 2), bucket(T0, 'a', 'm2', 3), bucket(T0 + 2 * H, 'b', 'm1', 1)]), {
      size: 'hour',
      since: T0,
      until: T0 + 3 * H,
      groupBy: 'account',
      metric: 'requests',
      labelOf: label,
    });
    expect(chart.times).toEqual([T0, T0 + H, T0 + 2 * H]);
    expect(chart.series).toEqual([
      { key: 'a', label: 'L:a', values: [5, 0, 0], total: 5 },
      { key: 'b', label: 'L:b', values: [0, 0, 1], total: 1 },
    ]);
  });

  it('groups by model and counts tokens as input plus output', () => {
    const b = { ...bucket(T0, 'a', 'glm-4.6', 1), input_tokens: 100, output_tokens: 20 };
    const chart = chartOf(report([b]), { size: 'hour', since: T0, until: T0 + H, groupBy: 'model', metric: 'tokens', labelOf: label });
    expect(chart.series).toEqual([{ key: 'glm-4.6', label: 'L:glm-4.6', values: [120], total: 120 }]);
  });

  it('keeps the largest series apart and sums the rest as others', () => {
    const buckets = ['a', 'b', 'c', 'd'].map((id, i) => bucket(T0, id, 'm', 10 - i));
    const chart = chartOf(report(buckets), { size: 'day', since: T0, until: T0 + H, groupBy: 'account', metric: 'requests', labelOf: label, maxSeries: 3 });
    expect(chart.series.map((s) => [s.label, s.total])).toEqual([
      ['L:a', 10],
      ['L:b', 9],
      ['2 others', 15],
    ]);
  });

  it("fills in every day of the range when the report's days start at this machine's midnight", () => {
    const day = (n: number) => new Date(2026, 10, 28 + n).getTime();
    const chart = chartOf(report([bucket(day(3), 'a', 'm', 1), bucket(day(1), 'a', 'm', 2)]), {
      size: 'day',
      since: day(0) + 5 * H,
      until: day(4) + H,
      groupBy: 'account',
      metric: 'requests',
      labelOf: label,
    });
    expect(chart.times).toEqual([day(0), day(1), day(2), day(3), day(4)]);
    expect(chart.series[0]!.values).toEqual([0, 2, 0, 1, 0]);
  });

  it("shows only the days the report has when they start at another midnight than this machine's", () => {
    const offset = new Date(2026, 10, 28).getTime() + 3 * H;
    const chart = chartOf(report([bucket(offset + 86_400_000, 'a', 'm', 1), bucket(offset, 'a', 'm', 2)]), {
      size: 'day',
      since: offset - 5 * 86_400_000,
      until: offset + 2 * 86_400_000,
      groupBy: 'account',
      metric: 'requests',
      labelOf: label,
    });
    expect(chart.times).toEqual([offset, offset + 86_400_000]);
    expect(chart.series[0]!.values).toEqual([2, 1]);
  });
});

describe('niceMax', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [480, 500],
    [501, 1000],
  ])('%i -> %i', (max, nice) => expect(niceMax(max)).toBe(nice));
});
