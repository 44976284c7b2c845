// The printed report: one table with the pipe and the gateway side by side, what the request log holds,
// then the targets, each checked against figures measured in this run.

import { fmt, fmtDelta } from './stats.js';

export const SERVERS = ['pipe', 'gateway'] as const;
export type ServerName = (typeof SERVERS)[number];

export interface LoadFigures {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** User + system CPU seconds the server spent on the measured requests. */
  cpuSeconds: number;
  /** The same for the fake upstream behind it and for the load generator in front of it. */
  fakeCpuSeconds: number;
  loadCpuSeconds: number;
  /** req/s of each round, to show the spread. */
  roundRps: number[];
}

export interface StreamFigures {
  ttfbP50: number;
  ttfbP99: number;
  firstTextP50: number;
  ttlbP50: number;
  n: number;
}

export interface BurstFigures {
  /** VmHWM over the bursts, reset when they began. */
  peakMb: number;
  /** VmRSS when they began. */
  startMb: number;
  /** Highest VmRSS sampled every 20 ms, a cross-check of the kernel's mark. */
  sampledMb: number;
  /** Whether the kernel accepted the high-water mark reset (if not, peakMb covers the whole run). */
  resetOk: boolean;
  maxOpen: number;
  streams: number;
}

export interface Figures {
  load: Map<number, Record<ServerName, LoadFigures>>;
  /** The pipe and the gateway with streaming requests, at one concurrency. */
  streamedLoad: ({ concurrency: number } & Record<ServerName, LoadFigures>) | null;
  stream: Record<ServerName, StreamFigures>;
  bursts: Record<ServerName, BurstFigures>;
  wholeRunPeakMb: Record<ServerName, number>;
  /** The gateway's VmHWM over each phase, in the order they ran. */
  phasePeakMb: Array<{ phase: string; peakMb: number }>;
  /** Sequential requests of each size, every target in turn. */
  sequential: Record<RequestSize, SequentialFigures>;
}

export type RequestSize = 'small' | 'large';

/**
 * What the sequential requests go to: the fake Anthropic API itself, the pipe and the gateway's
 * Anthropic path in front of it; the fake Gemini API sent the gateway's own request, and the gateway's
 * Gemini path; the same for Code Assist.
 */
export const SEQUENTIAL_TARGETS = ['direct', 'pipe', 'gateway', 'gemini-direct', 'translated', 'codeassist-direct', 'codeassist'] as const;
export type SequentialTarget = (typeof SEQUENTIAL_TARGETS)[number];

/** Which direct call each target's added time is measured against. */
const DIRECT_OF: Readonly<Record<SequentialTarget, SequentialTarget | null>> = {
  direct: null,
  pipe: 'direct',
  gateway: 'direct',
  'gemini-direct': null,
  translated: 'gemini-direct',
  'codeassist-direct': null,
  codeassist: 'codeassist-direct',
};

const SEQUENTIAL_LABELS: Readonly<Record<SequentialTarget, string>> = {
  direct: 'fake Anthropic API, direct',
  pipe: 'pipe',
  gateway: 'gateway, Anthropic path',
  'gemini-direct': 'fake Gemini API, direct',
  translated: 'gateway, Gemini path',
  'codeassist-direct': 'fake Code Assist, direct',
  codeassist: 'gateway, Code Assist path',
};

export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  n: number;
}

export interface SequentialFigures {
  bodyBytes: number;
  byTarget: Record<SequentialTarget, LatencyFigures>;
  /** Serve's CPU per request over its requests of this size (its three paths, warm-up included). */
  serveCpuUs: number;
}

/** A target's p50 less its direct call's: what the hop in front of the upstream adds. */
export function addedP50(f: SequentialFigures, target: SequentialTarget): number {
  const direct = DIRECT_OF[target];
  return direct === null ? Number.NaN : f.byTarget[target].p50Ms - f.byTarget[direct].p50Ms;
}

const rps = (f: LoadFigures) => f.requests / f.seconds;
const cpuUsPerRequest = (f: LoadFigures, seconds = f.cpuSeconds) => (seconds * 1e6) / f.requests;

/** CPU per request over every measured throughput request, all concurrencies together. */
function pooledCpuUs(figures: Figures, server: ServerName): number {
  let cpu = 0;
  let requests = 0;
  for (const byServer of figures.load.values()) {
    cpu += byServer[server].cpuSeconds;
    requests += byServer[server].requests;
  }
  return (cpu * 1e6) / requests;
}

interface Row {
  label: string;
  value: (s: ServerName) => number;
  digits: number;
  /** How the gateway column relates to the pipe's. */
  versus: 'ratio' | 'delta' | 'none';
}

function rows(f: Figures): Row[] {
  const out: Row[] = [];
  for (const [c, byServer] of f.load) {
    const at = (s: ServerName) => byServer[s];
    out.push(
      { label: `c=${c}  req/s`, value: (s) => rps(at(s)), digits: 0, versus: 'ratio' },
      { label: `c=${c}  latency p50 ms`, value: (s) => at(s).p50Ms, digits: 2, versus: 'delta' },
      { label: `c=${c}  latency p99 ms`, value: (s) => at(s).p99Ms, digits: 2, versus: 'delta' },
      { label: `c=${c}  CPU µs/request`, value: (s) => cpuUsPerRequest(at(s)), digits: 0, versus: 'ratio' },
      { label: `c=${c}    fake upstream's`, value: (s) => cpuUsPerRequest(at(s), at(s).fakeCpuSeconds), digits: 0, versus: 'none' },
      { label: `c=${c}    load generator's`, value: (s) => cpuUsPerRequest(at(s), at(s).loadCpuSeconds), digits: 0, versus: 'none' },
    );
  }
  for (const size of ['small', 'large'] as const) {
    const seq = f.sequential[size];
    const kb = `${Math.round(seq.bodyBytes / 1024)} KB`;
    out.push({ label: `${kb} alone, added p50 ms`, value: (s) => addedP50(seq, s), digits: 2, versus: 'delta' });
  }
  out.push(
    { label: 'all   CPU µs/request', value: (s) => pooledCpuUs(f, s), digits: 0, versus: 'ratio' },
    { label: 'stream first byte p50 ms', value: (s) => f.stream[s].ttfbP50, digits: 2, versus: 'delta' },
    { label: 'stream first byte p99 ms', value: (s) => f.stream[s].ttfbP99, digits: 2, versus: 'delta' },
    { label: 'stream first text p50 ms', value: (s) => f.stream[s].firstTextP50, digits: 2, versus: 'delta' },
    { label: 'stream last byte  p50 ms', value: (s) => f.stream[s].ttlbP50, digits: 2, versus: 'delta' },
    { label: 'slow streams open at once', value: (s) => f.bursts[s].maxOpen, digits: 0, versus: 'none' },
    { label: '  RSS MB as they began', value: (s) => f.bursts[s].startMb, digits: 1, versus: 'none' },
    { label: '  peak RSS MB (VmHWM)', value: (s) => f.bursts[s].peakMb, digits: 1, versus: 'ratio' },
    { label: 'peak RSS MB, whole run', value: (s) => f.wholeRunPeakMb[s], digits: 1, versus: 'ratio' },
  );
  return out;
}

function line(cells: string[], widths: number[]): void {
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
}

export function printTable(f: Figures): void {
  const w = [26, 9, 9, 14];
  line(['', 'pipe', 'gateway', 'gateway/pipe'], w);
  for (const row of rows(f)) {
    const p = row.value('pipe');
    const g = row.value('gateway');
    const versus = row.versus === 'ratio' ? `${fmt(g / p, 2)}x` : row.versus === 'delta' ? `${fmtDelta(g - p, 2)} ms` : '';
    line([row.label, fmt(p, row.digits), fmt(g, row.digits), versus], w);
  }
}

export function printSpread(f: Figures): void {
  const parts: string[] = [];
  for (const [c, byServer] of f.load) {
    for (const s of SERVERS) parts.push(`${s} c=${c}: ${byServer[s].roundRps.map((r) => fmt(r, 0)).join(', ')}`);
  }
  console.log(`req/s per round (${parts.join('; ')})`);
  for (const s of SERVERS) {
    const b = f.bursts[s];
    if (!b.resetOk) console.log(`note: the ${s}'s VmHWM could not be reset; its streams peak covers the whole run`);
  }
  console.log(
    `VmRSS sampled every 20 ms during the streams: pipe max ${fmt(f.bursts.pipe.sampledMb, 1)} MB, gateway max ${fmt(f.bursts.gateway.sampledMb, 1)} MB`,
  );
}

export interface Check {
  name: string;
  pass: boolean;
  shown: string;
}

/** The sequential requests, every target in turn: p50 and what each hop adds over its direct call. */
export function printSequential(f: Figures): void {
  const sizes = ['small', 'large'] as const;
  const w = [28, 9, 9, 9, 9, 9, 9];
  const heads = sizes.flatMap((size) => {
    const kb = `${Math.round(f.sequential[size].bodyBytes / 1024)} KB`;
    return [`${kb} p50`, 'p99', 'added'];
  });
  line(['one request at a time (ms)', ...heads], w);
  for (const target of SEQUENTIAL_TARGETS) {
    const cells = sizes.flatMap((size) => {
      const seq = f.sequential[size];
      const added = addedP50(seq, target);
      return [fmt(seq.byTarget[target].p50Ms, 2), fmt(seq.byTarget[target].p99Ms, 2), Number.isNaN(added) ? '' : fmtDelta(added, 2)];
    });
    line([SEQUENTIAL_LABELS[target], ...cells], w);
  }
  console.log(
    `added: over the direct call to the same fake with the same request (the gateway's, as it sent it); ${f.sequential.large.byTarget.gateway.n} requests per target and size; ` +
      `serve CPU per request ${fmt(f.sequential.small.serveCpuUs, 0)} µs (${Math.round(f.sequential.small.bodyBytes / 1024)} KB) and ${fmt(f.sequential.large.serveCpuUs, 0)} µs (${Math.round(f.sequential.large.bodyBytes / 1024)} KB) over its three paths`,
  );
}

export function printPhasePeaks(f: Figures): void {
  console.log(`gateway peak RSS by phase (VmHWM, reset before each): ${f.phasePeakMb.map((p) => `${p.phase} ${fmt(p.peakMb, 1)} MB`).join(', ')}`);
}

export function printChecks(checks: Check[]): void {
  for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(44)} ${c.shown}`);
}

// ---- the translated path (Claude -> Gemini -> Claude), next to the gateway's Anthropic path ----

export const PATHS = ['anthropic', 'translated'] as const;
export type PathName = (typeof PATHS)[number];

export interface TranslatedFigures {
  /** Throughput on the translated path; the Anthropic path's is the gateway's in Figures.load. */
  load: Map<number, LoadFigures>;
  /** The sequential target of this path (its direct call is DIRECT_OF's). */
  target: SequentialTarget;
  /** Sequential streams, the two paths in turn. */
  stream: Record<PathName, StreamFigures>;
}

function translatedRows(f: Figures, t: TranslatedFigures): Array<{ label: string; value: (p: PathName) => number; digits: number; versus: Row['versus'] }> {
  const out: Array<{ label: string; value: (p: PathName) => number; digits: number; versus: Row['versus'] }> = [];
  for (const [c, translated] of t.load) {
    const gateway = f.load.get(c)?.gateway;
    if (!gateway) continue;
    const at = (p: PathName) => (p === 'translated' ? translated : gateway);
    out.push(
      { label: `c=${c}  req/s`, value: (p) => rps(at(p)), digits: 0, versus: 'ratio' },
      { label: `c=${c}  latency p50 ms`, value: (p) => at(p).p50Ms, digits: 2, versus: 'delta' },
      { label: `c=${c}  latency p99 ms`, value: (p) => at(p).p99Ms, digits: 2, versus: 'delta' },
      { label: `c=${c}  serve CPU µs/request`, value: (p) => cpuUsPerRequest(at(p)), digits: 0, versus: 'ratio' },
      { label: `c=${c}    fake upstream's`, value: (p) => cpuUsPerRequest(at(p), at(p).fakeCpuSeconds), digits: 0, versus: 'none' },
    );
  }
  const large = f.sequential.large;
  const kb = Math.round(large.bodyBytes / 1024);
  const target = (p: PathName): SequentialTarget => (p === 'translated' ? t.target : 'gateway');
  out.push(
    { label: `${kb} KB alone, p50 ms`, value: (p) => large.byTarget[target(p)].p50Ms, digits: 2, versus: 'delta' },
    { label: `${kb} KB, added over direct`, value: (p) => addedP50(large, target(p)), digits: 2, versus: 'delta' },
    { label: 'stream first byte p50 ms', value: (p) => t.stream[p].ttfbP50, digits: 2, versus: 'delta' },
    { label: 'stream first byte p99 ms', value: (p) => t.stream[p].ttfbP99, digits: 2, versus: 'delta' },
    { label: 'stream first text p50 ms', value: (p) => t.stream[p].firstTextP50, digits: 2, versus: 'delta' },
    { label: 'stream last byte  p50 ms', value: (p) => t.stream[p].ttlbP50, digits: 2, versus: 'delta' },
  );
  return out;
}

/** `name`: what the translated column is called (the Gemini path is `translated`, Code Assist's `v1internal`). */
export function printTranslated(f: Figures, t: TranslatedFigures, name = 'translated'): void {
  const w = [28, 9, 10, 20];
  line(['', 'anthropic', name, `${name}/anthropic`], w);
  for (const row of translatedRows(f, t)) {
    const a = row.value('anthropic');
    const tr = row.value('translated');
    const versus = row.versus === 'ratio' ? `${fmt(tr / a, 2)}x` : row.versus === 'delta' ? `${fmtDelta(tr - a, 2)} ms` : '';
    line([row.label, fmt(a, row.digits), fmt(tr, row.digits), versus], w);
  }
  const parts: string[] = [];
  for (const [c, translated] of t.load) parts.push(`${name} c=${c}: ${translated.roundRps.map((r) => fmt(r, 0)).join(', ')}`);
  console.log(`req/s per round (${parts.join('; ')})`);
  console.log(
    `${Math.round(f.sequential.large.bodyBytes / 1024)} KB requests: added is over a direct call to each path's own fake with the request the gateway sent it; ` +
      `the fakes' CPU is in both (each parses and checks the request it gets)`,
  );
  console.log(
    `first byte: the Anthropic path relays the upstream's message_start before the first token; the ${name} path has nothing to send ` +
      "before Gemini's first content, so its first byte comes with the first text: the first text is the time to compare",
  );
}

export function computeTranslatedChecks(f: Figures, t: TranslatedFigures, concurrency: number, name = 'translated'): Check[] {
  const gateway = f.load.get(concurrency)?.gateway;
  const translated = t.load.get(concurrency);
  const share = gateway && translated ? rps(translated) / rps(gateway) : Number.NaN;
  const ttft = t.stream.translated.firstTextP50 - t.stream.anthropic.firstTextP50;
  return [
    { name: `${name}: stream TTFB p50 (first text) within 2 ms`, pass: Math.abs(ttft) <= 2, shown: `${fmtDelta(ttft, 2)} ms` },
    { name: `${name}: req/s >= 0.6x the Anthropic path's, c=${concurrency}`, pass: share >= 0.6, shown: `${fmt(share, 2)}x` },
  ];
}

// ---- the summary: the figures the gateway is held to, with their floors, in one place ----

/** One line of the summary: what is measured, the pipe's figure when it has one, the gateway's, and the floor it is held to. */
interface SummaryLine {
  label: string;
  pipe: string;
  gateway: string;
  versus: string;
  floor?: Floor;
}

/** A floor the gateway is held to: the rule as words, and whether this run met it. */
interface Floor {
  rule: string;
  pass: boolean;
}

/** The 1-minute load average of the machine at the start and the end of the run, and its CPU count. */
export interface MachineLoad {
  cpus: number;
  atStart: number;
  atEnd: number;
}

export function summaryLines(f: Figures, paths: TranslatedFigures[], floorConcurrency: number): SummaryLine[] {
  const out: SummaryLine[] = [];
  for (const [c, at] of f.load) {
    const share = rps(at.gateway) / rps(at.pipe);
    out.push({
      label: `throughput, c=${c}`,
      pipe: `${fmt(rps(at.pipe), 0)} req/s`,
      gateway: `${fmt(rps(at.gateway), 0)} req/s`,
      versus: `${fmt(share, 2)}x`,
      ...(c === floorConcurrency ? { floor: { rule: '>= 0.5x the pipe', pass: share >= 0.5 } } : {}),
    });
  }
  const streamed = f.streamedLoad;
  if (streamed) {
    const share = rps(streamed.gateway) / rps(streamed.pipe);
    out.push({
      label: `throughput, c=${streamed.concurrency}, streamed`,
      pipe: `${fmt(rps(streamed.pipe), 0)} req/s`,
      gateway: `${fmt(rps(streamed.gateway), 0)} req/s`,
      versus: `${fmt(share, 2)}x`,
      floor: { rule: '>= 0.5x the pipe', pass: share >= 0.5 },
    });
  }
  const cpu = { pipe: pooledCpuUs(f, 'pipe'), gateway: pooledCpuUs(f, 'gateway') };
  out.push({ label: 'CPU per request', pipe: `${fmt(cpu.pipe, 0)} µs`, gateway: `${fmt(cpu.gateway, 0)} µs`, versus: `${fmt(cpu.gateway / cpu.pipe, 2)}x` });
  if (streamed) {
    out.push({
      label: 'CPU per request, streamed',
      pipe: `${fmt(cpuUsPerRequest(streamed.pipe), 0)} µs`,
      gateway: `${fmt(cpuUsPerRequest(streamed.gateway), 0)} µs`,
      versus: `${fmt(cpuUsPerRequest(streamed.gateway) / cpuUsPerRequest(streamed.pipe), 2)}x`,
    });
  }
  for (const size of ['small', 'large'] as const) {
    const seq = f.sequential[size];
    const added = { pipe: addedP50(seq, 'pipe'), gateway: addedP50(seq, 'gateway') };
    out.push({
      label: `added p50, ${Math.round(seq.bodyBytes / 1024)} KB request`,
      pipe: `${fmtDelta(added.pipe, 2)} ms`,
      gateway: `${fmtDelta(added.gateway, 2)} ms`,
      versus: `${fmtDelta(added.gateway - added.pipe, 2)} ms`,
    });
  }
  const ttfbGap = f.stream.gateway.ttfbP50 - f.stream.pipe.ttfbP50;
  out.push({
    label: 'stream first byte p50',
    pipe: `${fmt(f.stream.pipe.ttfbP50, 2)} ms`,
    gateway: `${fmt(f.stream.gateway.ttfbP50, 2)} ms`,
    versus: `${fmtDelta(ttfbGap, 2)} ms`,
    floor: { rule: "<= the pipe's + 0.5 ms", pass: ttfbGap <= 0.5 },
  });
  const streams = f.bursts;
  out.push({
    label: `peak RSS, ${streams.gateway.maxOpen} streams open`,
    pipe: `${fmt(streams.pipe.peakMb, 1)} MB`,
    gateway: `${fmt(streams.gateway.peakMb, 1)} MB`,
    versus: '',
    floor: { rule: '<= 130 MB', pass: streams.gateway.peakMb <= 130 },
  });
  const kb = Math.round(f.sequential.large.bodyBytes / 1024);
  for (const t of paths) {
    const added = addedP50(f.sequential.large, t.target);
    out.push({
      label: `${kb} KB, ${SEQUENTIAL_LABELS[t.target].replace('gateway, ', '')}`,
      pipe: '',
      gateway: `${fmtDelta(added, 2)} ms`,
      versus: 'over direct',
      floor: { rule: '<= +4 ms', pass: added <= 4 },
    });
  }
  out.push({
    label: 'peak RSS, whole bench',
    pipe: `${fmt(f.wholeRunPeakMb.pipe, 1)} MB`,
    gateway: `${fmt(f.wholeRunPeakMb.gateway, 1)} MB`,
    versus: '',
    floor: { rule: '<= 150 MB', pass: f.wholeRunPeakMb.gateway <= 150 },
  });
  return out;
}

/** The summary, last in the report: each figure on one line, its floor checked where it has one, and the machine's load. */
export function printSummary(f: Figures, paths: TranslatedFigures[], floorConcurrency: number, load: MachineLoad): void {
  const w = [32, 13, 13, 12, 26];
  console.log('summary: switchyard serve (Express 5) against the bare node:http pipe, this run');
  line(['', 'pipe', 'gateway', 'versus', 'floor'], w);
  for (const l of summaryLines(f, paths, floorConcurrency)) {
    const floor = l.floor ? `${l.floor.rule.padStart(20)}  ${l.floor.pass ? 'PASS' : 'FAIL'}` : '';
    line([l.label, l.pipe, l.gateway, l.versus, floor], w);
  }
  console.log(`load average (1 min): ${fmt(load.atStart, 2)} when the run began, ${fmt(load.atEnd, 2)} when it ended, on ${load.cpus} CPUs`);
}
