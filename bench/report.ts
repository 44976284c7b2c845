// The printed report: one table of figures per path, then the target checks, each a value measured in
// this run against its limit.

import { fmt, fmtDelta } from './stats.js';

export const PATHS = ['direct', 'pass-through', 'gateway'] as const;
export type PathName = (typeof PATHS)[number];

export interface Latency {
  p50: number;
  p99: number;
  n: number;
}

export interface StreamFigures {
  ttfbP50: number;
  ttlbP50: number;
  n: number;
}

export interface PathFigures {
  small: Latency;
  large: Latency;
  stream: StreamFigures;
  /** req/s by concurrency */
  rps: Map<number, { rps: number; requests: number }>;
}

export interface MemoryFigures {
  gatewayIdleMb: number;
  /** VmHWM over the whole run, 64 streams included. */
  gatewayPeakMb: number;
  /** VmHWM over the 64-stream phase alone (null when the peak could not be reset). */
  gatewayStreamsPeakMb: number | null;
  /** Highest VmRSS sampled during the 64-stream phase. */
  gatewayStreamsSampledMb: number;
  passthroughPeakMb: number;
  streams: number;
  streamTtlbP50: number;
}

export type Figures = Record<PathName, PathFigures>;

interface Row {
  label: string;
  value: (f: PathFigures) => number;
  /** How the pass-through and gateway columns relate to direct: added time, or share of its rate. */
  versus: 'added' | 'share';
  digits?: number;
}

function rows(concurrencies: number[]): Row[] {
  return [
    { label: 'POST 1 KB        p50 ms', value: (f) => f.small.p50, versus: 'added' },
    { label: 'POST 1 KB        p99 ms', value: (f) => f.small.p99, versus: 'added' },
    { label: 'POST 300 KB      p50 ms', value: (f) => f.large.p50, versus: 'added' },
    { label: 'POST 300 KB      p99 ms', value: (f) => f.large.p99, versus: 'added' },
    { label: 'stream TTFB      p50 ms', value: (f) => f.stream.ttfbP50, versus: 'added' },
    { label: 'stream last byte p50 ms', value: (f) => f.stream.ttlbP50, versus: 'added' },
    ...concurrencies.map(
      (c): Row => ({ label: `throughput c=${c}  req/s`.padEnd(23), value: (f) => f.rps.get(c)?.rps ?? Number.NaN, versus: 'share', digits: 0 }),
    ),
  ];
}

export function printTable(figures: Figures, concurrencies: number[]): void {
  const w = [24, 9, 13, 9, 15, 11];
  const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' '));
  line(['', 'direct', 'pass-through', 'gateway', 'pass-thr. vs d', 'gateway vs d']);
  for (const row of rows(concurrencies)) {
    const d = row.value(figures.direct);
    const p = row.value(figures['pass-through']);
    const g = row.value(figures.gateway);
    const digits = row.digits ?? 2;
    const versus = (x: number) => (row.versus === 'added' ? fmtDelta(x - d, digits) : `${fmt((100 * x) / d, 0)}%`);
    line([row.label, fmt(d, digits), fmt(p, digits), fmt(g, digits), versus(p), versus(g)]);
  }
  const n = figures.gateway;
  console.log(`samples per path: 1 KB ${n.small.n}, 300 KB ${n.large.n}, streams ${n.stream.n}; ` +
    `throughput requests ${[...n.rps.entries()].map(([c, r]) => `c=${c}: ${r.requests}`).join(', ')}`);
}

export function printMemory(m: MemoryFigures): void {
  const phase = m.gatewayStreamsPeakMb === null ? 'n/a (VmHWM reset refused)' : `${fmt(m.gatewayStreamsPeakMb, 1)} MB`;
  console.log(
    `gateway RSS: idle ${fmt(m.gatewayIdleMb, 1)} MB | peak over the run (VmHWM) ${fmt(m.gatewayPeakMb, 1)} MB | ` +
      `peak during ${m.streams} concurrent streams ${phase} (sampled VmRSS max ${fmt(m.gatewayStreamsSampledMb, 1)} MB, ` +
      `stream last byte p50 ${fmt(m.streamTtlbP50, 0)} ms) | pass-through peak ${fmt(m.passthroughPeakMb, 1)} MB`,
  );
}

interface Check {
  name: string;
  value: number;
  limit: number;
  unit: string;
  pass: boolean;
  /** value / limit: below 1 passes for upper bounds, above 1 for lower bounds. */
  ratio: number;
  shown: string;
}

function upper(name: string, value: number, limit: number, unit: string, shown = `${fmtDelta(value)} ${unit}`): Check {
  return { name, value, limit, unit, pass: value < limit, ratio: value / limit, shown: `${shown}  < ${limit} ${unit}` };
}

export function computeChecks(f: Figures, m: MemoryFigures, concurrency: number): Check[] {
  const gw = f.gateway;
  const pt = f['pass-through'];
  const share = (gw.rps.get(concurrency)?.rps ?? Number.NaN) / (pt.rps.get(concurrency)?.rps ?? Number.NaN);
  return [
    upper('gateway added p50, 1 KB body', gw.small.p50 - f.direct.small.p50, 1, 'ms'),
    upper('gateway added p50, 300 KB body', gw.large.p50 - f.direct.large.p50, 3, 'ms'),
    upper('gateway TTFB p50 minus pass-through', gw.stream.ttfbP50 - pt.stream.ttfbP50, 1, 'ms'),
    {
      name: `gateway req/s vs pass-through, c=${concurrency}`,
      value: share,
      limit: 0.5,
      unit: '',
      pass: share >= 0.5,
      ratio: share / 0.5,
      shown: `${fmt(100 * share, 0)}%  >= 50%`,
    },
    upper(`gateway peak RSS, ${m.streams} streams`, m.gatewayPeakMb, 150, 'MB', `${fmt(m.gatewayPeakMb, 1)} MB`),
  ];
}

export function printChecks(checks: Check[]): void {
  for (const c of checks) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(40)} ${c.shown.padEnd(22)} (${fmt(c.ratio, 2)} of the limit)`);
  }
}
