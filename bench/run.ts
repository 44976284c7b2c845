// `npm run bench`: what the gateway costs over talking to the upstream directly, next to the floor any
// proxy pays (a bare undici pass-through), on loopback, with the fake Anthropic upstream from tests/fakes.
//
// Three child processes (fake, pass-through, gateway), one client (this process) that measures the
// three paths with the same code: client -> fake, client -> pass-through -> fake, client -> gateway ->
// fake. It prints a table and the target checks; it exits 0 whatever the figures (it is a report) and
// non-zero only when the harness itself broke.
//
// Environment:
//   BENCH_QUICK=1          a tenth of the samples (a smoke run; the figures are noisier)
//   BENCH_CPU_PROF=<dir>   run the gateway child with --cpu-prof; its profile is written to <dir> at exit
//   BENCH_GATEWAY_FLAGS    extra Node flags for the gateway child only, e.g. "--optimize-for-size"

import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { largeRequest, smallRequest } from './bodies.js';
import { buildChildren, killAllChildren, spawnChild, type Child } from './children.js';
import { checkMessage, checkStream, closedLoop, sequential, streamBursts, Target, type Bounds, type Timing } from './client.js';
import { cpuSeconds, readRss, resetPeak, sampleRss } from './proc.js';
import {
  computeChecks,
  PATHS,
  PROXIES,
  printChecks,
  printMemory,
  printOwnView,
  printTable,
  type Figures,
  type Latency,
  type MemoryTable,
  type OwnView,
  type PathName,
  type ProxyName,
  type StreamFigures,
} from './report.js';
import { percentile } from './stats.js';

const QUICK = process.env.BENCH_QUICK === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
const GATEWAY_FLAGS = (process.env.BENCH_GATEWAY_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');

/** Sample counts shrink in quick mode; deadlines keep every loop bounded in time either way. */
const n = (full: number) => (QUICK ? Math.max(5, Math.round(full / 10)) : full);

const CONFIG = {
  // Sequential latency: a warm-up, then the samples in interleaved rounds (direct, pass-through,
  // gateway, direct, ...) so that a slow moment of the machine lands on all three paths, not on one.
  small: { warmup: n(300), count: n(1500), rounds: 5, timeLimitMs: 10_000 },
  large: { warmup: n(40), count: n(300), rounds: 5, timeLimitMs: 15_000 },
  // The fake sends the 200 deltas back to back (chunk delay 0): the stream costs what relaying costs.
  stream: { warmup: n(20), count: n(150), rounds: 5, timeLimitMs: 15_000 },
  throughput: {
    concurrencies: [16, 64],
    warmup: { count: n(1000), timeLimitMs: 1500 },
    run: { count: n(30_000), timeLimitMs: QUICK ? 1500 : 5000 },
  },
  // 64 streams at once, each 200 deltas 5 ms apart (about 1.3 s a stream), on fresh proxies (after a
  // short warm-up), so the peak is that of the streams and not of the load phases before them.
  streams: { concurrency: 64, rounds: QUICK ? 1 : 3, chunkDelayMs: 5, warmup: 20, timeLimitMs: 30_000 },
  /** Nothing should come close; past this the bench kills everything and fails. */
  watchdogMs: 6 * 60_000,
};
const STREAMS_PHASE = `${CONFIG.streams.concurrency} streams`;
const MAX_CONCURRENCY = Math.max(...CONFIG.throughput.concurrencies, CONFIG.streams.concurrency);

function progress(msg: string): void {
  console.error(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
}

type Targets = Record<PathName, Target>;
type Check = (t: Timing, who: string) => void;

interface Bench {
  targets: Targets;
  fake: Child;
  gateway: Child;
  pids: Record<ProxyName, number>;
}

/**
 * Peak RSS per phase: the kernel's high-water mark is reset when a phase begins and read when it ends.
 * The whole-run peak is kept apart: every mark is read before it is reset, so nothing between phases
 * (start-up, warm-ups) escapes it. Where the reset is refused, a phase's mark covers everything before.
 */
class PeakTracker {
  readonly phases: MemoryTable = [];
  readonly wholeRun = { 'pass-through': 0, gateway: 0 } satisfies Record<ProxyName, number>;

  constructor(private readonly pids: Record<ProxyName, number>) {
    this.phases.push({ phase: 'start-up', peakMb: this.mark() });
  }

  async during<T>(phase: string, work: () => Promise<T>): Promise<T> {
    this.mark();
    for (const proxy of PROXIES) resetPeak(this.pids[proxy]);
    const result = await work();
    this.phases.push({ phase, peakMb: this.mark() });
    return result;
  }

  /** Reads every high-water mark, folding it into the whole-run peak. */
  mark(): Record<ProxyName, number> {
    const peakMb = {} as Record<ProxyName, number>;
    for (const proxy of PROXIES) {
      peakMb[proxy] = readRss(this.pids[proxy]).peakMb;
      this.wholeRun[proxy] = Math.max(this.wholeRun[proxy], peakMb[proxy]);
    }
    return peakMb;
  }
}

interface RoundsConfig {
  warmup: number;
  count: number;
  rounds: number;
  timeLimitMs: number;
}

interface Sequential {
  timings: Record<PathName, Timing[]>;
  /** CPU time each proxy process spent per measured request, in µs. */
  cpuUs: Record<ProxyName, number>;
}

function cpuOf(pids: Record<ProxyName, number>): Record<ProxyName, number> {
  return { 'pass-through': cpuSeconds(pids['pass-through']), gateway: cpuSeconds(pids.gateway) };
}

/**
 * Sequential requests on every path: a warm-up, then `rounds` interleaved slices of the samples. The
 * proxies' CPU is read around all the rounds at once (its 10 ms resolution is too coarse per slice); a
 * proxy whose turn it is not sits idle and spends next to nothing meanwhile.
 */
async function interleaved(b: Bench, body: Buffer, cfg: RoundsConfig, check: Check): Promise<Sequential> {
  const slice: Bounds = { count: Math.ceil(cfg.count / cfg.rounds), timeLimitMs: cfg.timeLimitMs / cfg.rounds };
  const timings = {} as Record<PathName, Timing[]>;
  for (const path of PATHS) {
    await sequential(b.targets[path], body, { count: cfg.warmup, timeLimitMs: cfg.timeLimitMs / 2 }, check);
    timings[path] = [];
  }
  const before = cpuOf(b.pids);
  for (let r = 0; r < cfg.rounds; r++) {
    for (const path of PATHS) timings[path].push(...(await sequential(b.targets[path], body, slice, check)));
  }
  const after = cpuOf(b.pids);
  const cpuUs = {} as Record<ProxyName, number>;
  for (const proxy of PROXIES) cpuUs[proxy] = ((after[proxy] - before[proxy]) * 1e6) / timings[proxy].length;
  return { timings, cpuUs };
}

function latencyOf(timings: Timing[]): Latency {
  const totals = timings.map((t) => t.totalMs);
  return { p50: percentile(totals, 50), p99: percentile(totals, 99), n: totals.length };
}

function streamOf(timings: Timing[]): StreamFigures {
  return { ttfbP50: percentile(timings.map((t) => t.ttfbMs), 50), ttlbP50: percentile(timings.map((t) => t.totalMs), 50), n: timings.length };
}

interface LogEntryTimes {
  stream: boolean;
  status: number;
  latency_ms: number;
  ttfb_ms: number | null;
}

/** The gateway's request log for the last `count` requests, which must all have been answered 200. */
async function gatewayLog(gateway: Child, count: number): Promise<LogEntryTimes[]> {
  const entries = await gateway.call<LogEntryTimes[]>('recent', count);
  const failed = entries.filter((e) => e.status !== 200);
  if (failed.length > 0) throw new Error(`gateway logged ${failed.length} requests with a status other than 200`);
  return entries;
}

/**
 * 64 simultaneous 200-delta streams, on the pass-through and then on the gateway. A few streams first,
 * outside the measured phase: the first requests make V8 compile the hot paths, a transient peak of its
 * own that the whole-run figure keeps but that is not what 64 streams cost.
 */
async function measureStreams(b: Bench, peaks: PeakTracker): Promise<number> {
  const cfg = CONFIG.streams;
  const body = smallRequest(true);
  progress('stream warm-up, pass-through and gateway');
  for (const proxy of PROXIES) await streamBursts(b.targets[proxy], body, 4, Math.ceil(cfg.warmup / 4), cfg.timeLimitMs);
  await b.fake.call('streamDelay', cfg.chunkDelayMs);
  let sampledMb = 0;
  await peaks.during(STREAMS_PHASE, async () => {
    for (const proxy of PROXIES) {
      progress(`${cfg.concurrency} concurrent streams x ${cfg.rounds}, ${proxy}`);
      const sampler = proxy === 'gateway' ? sampleRss(b.pids.gateway) : null;
      await streamBursts(b.targets[proxy], body, cfg.concurrency, cfg.rounds, cfg.timeLimitMs);
      sampledMb = sampler?.stop() ?? sampledMb;
    }
  });
  await b.fake.call('streamDelay', 0);
  return sampledMb;
}

async function measureSequential(b: Bench, figures: Figures): Promise<OwnView> {
  const { gateway } = b;
  const small = smallRequest();
  const large = largeRequest();
  progress(`sequential latency, ${small.length} B body`);
  const smallS = await interleaved(b, small, CONFIG.small, checkMessage);
  const smallLog = await gatewayLog(gateway, smallS.timings.gateway.length);
  progress(`sequential latency, ${large.length} B body`);
  const largeS = await interleaved(b, large, CONFIG.large, checkMessage);
  const largeLog = await gatewayLog(gateway, largeS.timings.gateway.length);
  progress('sequential streams, 200 deltas back to back');
  const streamS = await interleaved(b, smallRequest(true), CONFIG.stream, checkStream);
  const streamLog = await gatewayLog(gateway, streamS.timings.gateway.length);

  for (const path of PATHS) {
    figures[path].small = latencyOf(smallS.timings[path]);
    figures[path].large = latencyOf(largeS.timings[path]);
    figures[path].stream = streamOf(streamS.timings[path]);
  }
  for (const proxy of PROXIES) {
    figures[proxy].cpuUs.set('1 KB', smallS.cpuUs[proxy]);
    figures[proxy].cpuUs.set('300 KB', largeS.cpuUs[proxy]);
    figures[proxy].cpuUs.set('stream', streamS.cpuUs[proxy]);
  }
  return {
    smallLatency: percentile(smallLog.map((e) => e.latency_ms), 50),
    largeLatency: percentile(largeLog.map((e) => e.latency_ms), 50),
    streamTtfb: percentile(streamLog.map((e) => e.ttfb_ms ?? Number.NaN), 50),
    streamLatency: percentile(streamLog.map((e) => e.latency_ms), 50),
  };
}

/**
 * Closed-loop throughput per path and concurrency, and for the proxies the CPU time they spent per
 * request: on a 2-core machine shared with the client and the fake, req/s moves with whatever else
 * runs, while CPU per request is the proxy's own cost.
 */
async function measureThroughput(b: Bench, figures: Figures): Promise<void> {
  const body = smallRequest();
  for (const c of CONFIG.throughput.concurrencies) {
    for (const path of PATHS) {
      progress(`throughput ${path}, concurrency ${c}`);
      // The warm-up opens the pool's connections (on both hops) and lets the JIT settle at this load.
      await closedLoop(b.targets[path], body, c, CONFIG.throughput.warmup);
      const pid = path === 'direct' ? null : b.pids[path];
      const cpuBefore = pid === null ? 0 : cpuSeconds(pid);
      const result = await closedLoop(b.targets[path], body, c, CONFIG.throughput.run);
      figures[path].rps.set(c, result);
      if (pid !== null) figures[path].cpuUs.set(`c=${c}`, ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.requests);
    }
  }
}

async function historyLines(dataDir: string): Promise<number> {
  const text = await readFile(join(dataDir, 'request-history.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '').length;
}

async function startChildren(tmp: string, dataDir: string, children: Child[]): Promise<Record<'fake' | ProxyName, Child>> {
  progress('bundling the child servers');
  const files = await buildChildren(tmp);
  const start = async (name: string, file: string, args: string[], execArgv: string[] = []) => {
    const child = await spawnChild(name, file, args, execArgv);
    children.push(child);
    return child;
  };
  const fake = await start('fake upstream', files.fake, []);
  const passthrough = await start('pass-through', files.passthrough, [fake.url]);
  const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const gateway = await start('gateway', files.gateway, [fake.url, dataDir], [...profile, ...GATEWAY_FLAGS]);
  progress(`fake ${fake.url} (pid ${fake.pid}), pass-through ${passthrough.url} (pid ${passthrough.pid}), gateway ${gateway.url} (pid ${gateway.pid})`);
  return { fake, 'pass-through': passthrough, gateway };
}

async function main(): Promise<void> {
  const started = performance.now();
  const tmp = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  tmpDirs.push(tmp);
  const dataDir = join(tmp, 'gateway-data');
  const children: Child[] = [];
  const targets: Target[] = [];
  try {
    const procs = await startChildren(tmp, dataDir, children);
    const t: Targets = {
      direct: new Target('direct', procs.fake.url, MAX_CONCURRENCY),
      'pass-through': new Target('pass-through', procs['pass-through'].url, MAX_CONCURRENCY),
      gateway: new Target('gateway', procs.gateway.url, MAX_CONCURRENCY),
    };
    targets.push(...Object.values(t));
    const b: Bench = { targets: t, fake: procs.fake, gateway: procs.gateway, pids: { 'pass-through': procs['pass-through'].pid, gateway: procs.gateway.pid } };

    const figures = {} as Figures;
    for (const path of PATHS) figures[path] = { small: latencyOf([]), large: latencyOf([]), stream: streamOf([]), rps: new Map(), cpuUs: new Map() };
    const peaks = new PeakTracker(b.pids);
    const sampledMb = await measureStreams(b, peaks);
    const ownView = await peaks.during('sequential', () => measureSequential(b, figures));
    await peaks.during('throughput', () => measureThroughput(b, figures));
    peaks.mark();

    await Promise.all(targets.map((x) => x.close()));
    targets.length = 0;
    await Promise.all(children.map((c) => c.stop()));
    children.length = 0;
    const onDisk = await historyLines(dataDir);

    console.log('');
    const flags = GATEWAY_FLAGS.length > 0 ? `gateway flags ${GATEWAY_FLAGS.join(' ')}, ` : '';
    console.log(`Switchyard bench: loopback, Node ${process.version}, ${QUICK ? 'QUICK run, ' : ''}${flags}${((performance.now() - started) / 1000).toFixed(0)} s`);
    printTable(figures, CONFIG.throughput.concurrencies);
    console.log('');
    printMemory(peaks.phases, peaks.wholeRun);
    console.log(`(gateway VmRSS sampled every 20 ms during the ${STREAMS_PHASE}: max ${sampledMb.toFixed(1)} MB)`);
    printOwnView(ownView);
    console.log(`request history file after the run: ${onDisk} entries (log_history_limit 2000, compacted at twice that)`);
    console.log('');
    printChecks(computeChecks({ figures, memory: peaks.phases, wholeRun: peaks.wholeRun, streamsPhase: STREAMS_PHASE, concurrency: Math.max(...CONFIG.throughput.concurrencies) }));
    if (CPU_PROF_DIR) console.log(`\ngateway CPU profile written to ${CPU_PROF_DIR}`);
  } finally {
    await Promise.allSettled(targets.map((x) => x.close()));
    await Promise.allSettled(children.map((c) => c.stop()));
    killAllChildren();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Removed on the way out even when the bench dies before its own cleanup (e.g. EPIPE on stdout). */
const tmpDirs: string[] = [];

// No orphans, however the bench ends: normal exit, a thrown error, Ctrl-C, or the watchdog.
process.on('exit', () => {
  killAllChildren();
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}
setTimeout(() => {
  console.error(`bench: still running after ${CONFIG.watchdogMs / 1000} s; aborting`);
  killAllChildren();
  process.exit(2);
}, CONFIG.watchdogMs).unref();

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench: the harness failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
