// The printed report: the latency/throughput table per path, the memory table, the gateway's own view
// of its timings, then the target checks, each a value measured in this run against its limit.

import { fmt, fmtDelta } from './stats.js';

export const PATHS = ['direct', 'pass-through', 'gateway'] as const;
export type PathName = (typeof PATHS)[number];
/** The paths that have a proxy process of their own, whose memory is measured. */
export const PROXIES = ['pass-through', 'gateway'] as const;
export type ProxyName = (typeof PROXIES)[number];

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
  /** By concurrency. */
  rps: Map<number, { rps: number; requests: number }>;
  /** CPU time the proxy process spent per request, in µs, by scenario ('1 KB', 'c=64' ...); none for direct. */
  cpuUs: Map<string, number>;
}

export type Figures = Record<PathName, PathFigures>;

/** Peak RSS (MB) per measured phase and proxy, in phase order. */
export type MemoryTable = Array<{ phase: string; peakMb: Record<ProxyName, number> }>;

/** What the gateway's request log says about the same requests (p50, ms). */
export interface OwnView {
  smallLatency: number;
  largeLatency: number;
  streamTtfb: number;
  streamLatency: number;
}

interface Row {
  label: string;
  value: (f: PathFigures) => number;
  /** How the proxy columns relate to direct: added milliseconds, share of its rate, or not at all. */
  versus: 'added' | 'share' | 'none';
  digits?: number;
}

function rows(concurrencies: number[]): Row[] {
  return [
    { label: 'POST 1 KB         p50 ms', value: (f) => f.small.p50, versus: 'added' },
    { label: 'POST 1 KB         p99 ms', value: (f) => f.small.p99, versus: 'added' },
    { label: 'POST 300 KB       p50 ms', value: (f) => f.large.p50, versus: 'added' },
    { label: 'POST 300 KB       p99 ms', value: (f) => f.large.p99, versus: 'added' },
    { label: 'stream first byte p50 ms', value: (f) => f.stream.ttfbP50, versus: 'added' },
    { label: 'stream last byte  p50 ms', value: (f) => f.stream.ttlbP50, versus: 'added' },
    ...concurrencies.map((c): Row => ({
      label: `throughput c=${c}`.padEnd(18) + 'req/s',
      value: (f) => f.rps.get(c)?.rps ?? Number.NaN,
      versus: 'share',
      digits: 0,
    })),
    // Req/s on a 2-core machine shared with the client and the fake moves with everything else that
    // runs; the CPU each proxy process spends per request is its own cost, and steadier.
    ...['1 KB', '300 KB', 'stream', ...concurrencies.map((c) => `c=${c}`)].map((scenario): Row => ({
      label: `proxy CPU ${scenario}`.padEnd(18) + 'µs/req',
      value: (f) => f.cpuUs.get(scenario) ?? Number.NaN,
      versus: 'none',
      digits: 0,
    })),
  ];
}

function printRow(widths: number[], cells: string[]): void {
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
}

export function printTable(figures: Figures, concurrencies: number[]): void {
  const w = [25, 8, 13, 8, 15, 13];
  printRow(w, ['', 'direct', 'pass-through', 'gateway', 'pass-thr. vs d', 'gateway vs d']);
  for (const row of rows(concurrencies)) {
    const d = row.value(figures.direct);
    const p = row.value(figures['pass-through']);
    const g = row.value(figures.gateway);
    const digits = row.digits ?? 2;
    const versus = (x: number) =>
      row.versus === 'added' ? fmtDelta(x - d, digits) : row.versus === 'share' ? `${fmt((100 * x) / d, 0)}%` : '';
    printRow(w, [row.label, fmt(d, digits), fmt(p, digits), fmt(g, digits), versus(p), versus(g)]);
  }
  const g = figures.gateway;
  console.log(
    `samples per path: 1 KB ${g.small.n}, 300 KB ${g.large.n}, streams ${g.stream.n}; throughput requests ` +
      [...g.rps.entries()].map(([c, r]) => `c=${c}: ${r.requests}`).join(', '),
  );
}

export function printMemory(table: MemoryTable, wholeRun: Record<ProxyName, number>): void {
  const w = [25, ...table.map((t) => Math.max(8, t.phase.length)), 9];
  printRow(w, ['peak RSS MB (VmHWM)', ...table.map((t) => t.phase), 'whole run']);
  for (const proxy of PROXIES) printRow(w, [proxy, ...table.map((t) => fmt(t.peakMb[proxy], 1)), fmt(wholeRun[proxy], 1)]);
}

export function printOwnView(v: OwnView): void {
  console.log(
    `gateway's own request log, p50: 1 KB ${fmt(v.smallLatency, 1)} ms, 300 KB ${fmt(v.largeLatency, 1)} ms, ` +
      `stream first byte ${fmt(v.streamTtfb, 1)} ms / last byte ${fmt(v.streamLatency, 1)} ms (request arrival -> byte written)`,
  );
}

interface Check {
  name: string;
  pass: boolean | null;
  /** The measured value against its limit: below 1 passes an upper bound, at least 1 a lower bound. */
  ratio: number;
  shown: string;
}

function upper(name: string, value: number, limit: number, unit: string, shown: string): Check {
  return { name, pass: value < limit, ratio: value / limit, shown: `${shown} < ${limit} ${unit}` };
}

export interface CheckInputs {
  figures: Figures;
  memory: MemoryTable;
  wholeRun: Record<ProxyName, number>;
  /** The phase whose gateway peak is checked against 150 MB. */
  streamsPhase: string;
  concurrency: number;
}

export function computeChecks({ figures: f, memory, wholeRun, streamsPhase, concurrency }: CheckInputs): Check[] {
  const gw = f.gateway;
  const pt = f['pass-through'];
  const share = (gw.rps.get(concurrency)?.rps ?? Number.NaN) / (pt.rps.get(concurrency)?.rps ?? Number.NaN);
  const streamsPeak = memory.find((m) => m.phase === streamsPhase)?.peakMb.gateway ?? Number.NaN;
  const addedSmall = gw.small.p50 - f.direct.small.p50;
  const addedLarge = gw.large.p50 - f.direct.large.p50;
  const ttfbGap = gw.stream.ttfbP50 - pt.stream.ttfbP50;
  return [
    upper('gateway added p50, 1 KB body', addedSmall, 1, 'ms', `${fmtDelta(addedSmall)} ms`),
    upper('gateway added p50, 300 KB body', addedLarge, 3, 'ms', `${fmtDelta(addedLarge)} ms`),
    upper('gateway stream TTFB p50 - pass-through', ttfbGap, 1, 'ms', `${fmtDelta(ttfbGap)} ms`),
    { name: `gateway req/s / pass-through, c=${concurrency}`, pass: share >= 0.5, ratio: share / 0.5, shown: `${fmt(100 * share, 0)}% >= 50%` },
    upper(`gateway peak RSS, ${streamsPhase}`, streamsPeak, 150, 'MB', `${fmt(streamsPeak, 1)} MB`),
    {
      name: 'gateway peak RSS, whole run (info)',
      pass: null,
      ratio: wholeRun.gateway / 150,
      shown: `${fmt(wholeRun.gateway, 1)} MB (pass-through ${fmt(wholeRun['pass-through'], 1)} MB)`,
    },
  ];
}

export function printChecks(checks: Check[]): void {
  for (const c of checks) {
    const verdict = c.pass === null ? 'info' : c.pass ? 'PASS' : 'FAIL';
    console.log(`${verdict}  ${c.name.padEnd(40)} ${c.shown.padEnd(34)} (${fmt(c.ratio, 2)} of the limit)`);
  }
}
