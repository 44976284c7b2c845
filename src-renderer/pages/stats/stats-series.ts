// Turns a stats report into chart series: one value per time bucket for each account or model, the
// largest few kept apart and the rest summed as "other".

import type { StatsBucket, StatsBucketSize, StatsReport } from '../../../src-proxy/contract/index.js';

export type GroupBy = 'account' | 'model';
export type Metric = 'requests' | 'tokens' | 'cost';

export interface Series {
  key: string;
  label: string;
  values: number[];
  total: number;
}

export interface Chart {
  /** Bucket start times, oldest first. */
  times: number[];
  series: Series[];
}

export const OTHER = '(other)';
const HOUR = 3_600_000;

function valueOf(b: StatsBucket, metric: Metric): number {
  if (metric === 'cost') return b.cost_usd;
  return metric === 'requests' ? b.requests : b.input_tokens + b.output_tokens;
}

/**
 * Every period from `since` to `until`, empty ones as zero, so each bar stands where its time is. Hour
 * buckets are UTC hours. Day buckets start at the gateway machine's midnight: the days between are
 * filled in from this machine's midnights when the report's days fall on them (the same time zone),
 * else only the days the report has are shown.
 */
export function bucketTimes(report: StatsReport, size: StatsBucketSize, since: number, until: number): number[] {
  const present = new Set(report.buckets.map((b) => b.start));
  if (size === 'hour') for (let t = Math.floor(since / HOUR) * HOUR; t < until; t += HOUR) present.add(t);
  else if ([...present].every((t) => localMidnight(t) === t)) for (let t = localMidnight(since); t < until; t = nextDay(t)) present.add(t);
  return [...present].sort((a, b) => a - b);
}

function localMidnight(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The next local midnight (a day is 23 or 25 hours when the clocks change). */
function nextDay(midnight: number): number {
  const d = new Date(midnight);
  d.setDate(d.getDate() + 1);
  return d.getTime();
}

export function chartOf(
  report: StatsReport,
  opts: { size: StatsBucketSize; since: number; until: number; groupBy: GroupBy; metric: Metric; labelOf(key: string): string; maxSeries?: number },
): Chart {
  const times = bucketTimes(report, opts.size, opts.since, opts.until);
  const index = new Map(times.map((t, i) => [t, i]));
  const byKey = new Map<string, number[]>();
  for (const b of report.buckets) {
    const i = index.get(b.start);
    if (i === undefined) continue;
    const key = opts.groupBy === 'account' ? (b.account_id ?? '') : b.model;
    const values = byKey.get(key) ?? new Array<number>(times.length).fill(0);
    values[i]! += valueOf(b, opts.metric);
    byKey.set(key, values);
  }
  const all = [...byKey.entries()]
    .map(([key, values]) => ({ key, label: opts.labelOf(key), values, total: values.reduce((s, v) => s + v, 0) }))
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const max = opts.maxSeries ?? 6;
  if (all.length <= max) return { times, series: all };
  const kept = all.slice(0, max - 1);
  const rest = all.slice(max - 1);
  const values = times.map((_, i) => rest.reduce((s, r) => s + r.values[i]!, 0));
  return { times, series: [...kept, { key: OTHER, label: `${rest.length} others`, values, total: values.reduce((s, v) => s + v, 0) }] };
}

/** A round axis maximum at or above `max`: 1, 2 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** One line of the cost table: a day, an account and a model. */
export interface CostRow {
  day: number;
  account_id: string | null;
  model: string;
  requests: number;
  tokens: number;
  cost_usd: number;
  unpriced: number;
}

/**
 * The report as days × accounts × models, newest day first and the dearest first within a day. Hour
 * buckets are added up into the local day they fall in.
 */
export function costRows(report: StatsReport, dayOf: (t: number) => number): CostRow[] {
  const rows = new Map<string, CostRow>();
  for (const b of report.buckets) {
    const day = dayOf(b.start);
    const key = `${day}\n${b.account_id ?? ''}\n${b.model}`;
    const row = rows.get(key) ?? { day, account_id: b.account_id, model: b.model, requests: 0, tokens: 0, cost_usd: 0, unpriced: 0 };
    row.requests += b.requests;
    row.tokens += b.input_tokens + b.output_tokens;
    row.cost_usd += b.cost_usd;
    row.unpriced += b.unpriced;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.day - a.day || b.cost_usd - a.cost_usd || a.model.localeCompare(b.model));
}
