// `npm run bench`: what the gateway costs over talking to the upstream directly, next to the floor any
// proxy pays (a bare undici pass-through), on loopback, with the fake Anthropic upstream from tests/fakes.
//
// Three child processes (fake, pass-through, gateway), one client (this process) that measures the
// three paths with the same code: client -> fake, client -> pass-through -> fake, client -> gateway ->
// fake. It prints a table and the target checks; it exits 0 whatever the figures (it is a report) and
// non-zero only when the harness itself broke.
//
// Environment:
//   BENCH_QUICK=1          a fraction of the samples (a smoke run; figures are noisier)
//   BENCH_CPU_PROF=<dir>   run the gateway child with --cpu-prof, profiles written to <dir> at exit

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { largeRequest, smallRequest } from './bodies.js';
import { buildChildren, killAllChildren, spawnChild, type Child } from './children.js';
import { checkMessage, checkStream, closedLoop, sequential, streamBursts, Target, type Bounds, type Timing } from './client.js';
import { readRss, resetPeak, sampleRss } from './memory.js';
import { computeChecks, PATHS, printChecks, printMemory, printTable, type Figures, type Latency, type MemoryFigures, type PathName, type StreamFigures } from './report.js';
import { percentile } from './stats.js';

const QUICK = process.env.BENCH_QUICK === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;

/** Sample counts scale down in quick mode; deadlines keep every loop bounded in time either way. */
const n = (full: number) => (QUICK ? Math.max(5, Math.round(full / 10)) : full);

const CONFIG = {
  // Sequential latency: warm-up, then samples in interleaved rounds (direct, pass-through, gateway,
  // direct, ...) so that a slow moment of the machine lands on all three paths, not on one.
  small: { warmup: n(300), count: n(1500), rounds: 5, timeLimitMs: 10_000 },
  large: { warmup: n(40), count: n(300), rounds: 5, timeLimitMs: 15_000 },
  stream: { warmup: n(20), count: n(150), rounds: 5, timeLimitMs: 15_000 },
  throughput: { concurrencies: [16, 64], warmup: { count: n(1000), timeLimitMs: 1500 }, run: { count: n(30_000), timeLimitMs: QUICK ? 1500 : 5000 } },
  // 64 streams at once, each STREAM_CHUNKS deltas `chunkDelayMs` apart (about 1.5 s per stream).
  memory: { streams: 64, rounds: QUICK ? 1 : 3, chunkDelayMs: 5, timeLimitMs: 30_000 },
  /** Nothing should come close; past this the bench kills everything and fails. */
  watchdogMs: 6 * 60_000,
};
const MAX_CONCURRENCY = Math.max(...CONFIG.throughput.concurrencies, CONFIG.memory.streams);

function progress(msg: string): void {
  console.error(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
}

type Targets = Record<PathName, Target>;
type Check = (t: Timing, who: string) => void;

interface RoundsConfig {
  warmup: number;
  count: number;
  rounds: number;
  timeLimitMs: number;
}

/** Sequential requests on every path: warm-up, then `rounds` interleaved slices of the samples. */
async function interleaved(targets: Targets, body: Buffer, cfg: RoundsConfig, check: Check): Promise<Record<PathName, Timing[]>> {
  const slice: Bounds = { count: Math.ceil(cfg.count / cfg.rounds), timeLimitMs: cfg.timeLimitMs / cfg.rounds };
  const out = {} as Record<PathName, Timing[]>;
  for (const path of PATHS) {
    await sequential(targets[path], body, { count: cfg.warmup, timeLimitMs: cfg.timeLimitMs / 2 }, check);
    out[path] = [];
  }
  for (let r = 0; r < cfg.rounds; r++) {
    for (const path of PATHS) out[path].push(...(await sequential(targets[path], body, slice, check)));
  }
  return out;
}

function latencyOf(timings: Timing[]): Latency {
  const totals = timings.map((t) => t.totalMs);
  return { p50: percentile(totals, 50), p99: percentile(totals, 99), n: totals.length };
}

function streamOf(timings: Timing[]): StreamFigures {
  return {
    ttfbP50: percentile(timings.map((t) => t.ttfbMs), 50),
    ttlbP50: percentile(timings.map((t) => t.totalMs), 50),
    n: timings.length,
  };
}

async function measure(targets: Targets, fake: Child): Promise<Figures> {
  const small = smallRequest();
  const large = largeRequest();
  const stream = smallRequest(true);
  progress(`request bodies: ${small.length} B, ${large.length} B, stream ${stream.length} B`);

  progress('sequential latency, 1 KB');
  const smallT = await interleaved(targets, small, CONFIG.small, checkMessage);
  progress('sequential latency, 300 KB');
  const largeT = await interleaved(targets, large, CONFIG.large, checkMessage);
  progress('streaming, 200 deltas');
  await fake.call('streamDelay', 0);
  const streamT = await interleaved(targets, stream, CONFIG.stream, checkStream);

  const figures = {} as Figures;
  for (const path of PATHS) {
    figures[path] = { small: latencyOf(smallT[path]), large: latencyOf(largeT[path]), stream: streamOf(streamT[path]), rps: new Map() };
  }
  for (const c of CONFIG.throughput.concurrencies) {
    for (const path of PATHS) {
      progress(`throughput ${path}, concurrency ${c}`);
      // The warm-up opens the pool's connections (on both hops) and lets the JIT settle at this load.
      await closedLoop(targets[path], small, c, CONFIG.throughput.warmup);
      const r = await closedLoop(targets[path], small, c, CONFIG.throughput.run);
      figures[path].rps.set(c, r);
    }
  }
  return figures;
}

async function measureGatewayMemory(gateway: Target, gatewayPid: number, fake: Child, idleMb: number, passthroughPid: number): Promise<MemoryFigures> {
  const cfg = CONFIG.memory;
  progress(`gateway memory, ${cfg.streams} concurrent streams x ${cfg.rounds}`);
  const runPeakMb = readRss(gatewayPid).peakMb;
  const reset = resetPeak(gatewayPid);
  await fake.call('streamDelay', cfg.chunkDelayMs);
  const sampler = sampleRss(gatewayPid);
  const timings = await streamBursts(gateway, smallRequest(true), cfg.streams, cfg.rounds, cfg.timeLimitMs);
  const sampledMb = sampler.stop();
  await fake.call('streamDelay', 0);
  const after = readRss(gatewayPid);
  return {
    gatewayIdleMb: idleMb,
    gatewayPeakMb: Math.max(runPeakMb, after.peakMb, sampledMb),
    gatewayStreamsPeakMb: reset ? after.peakMb : null,
    gatewayStreamsSampledMb: sampledMb,
    passthroughPeakMb: readRss(passthroughPid).peakMb,
    streams: cfg.streams,
    streamTtlbP50: percentile(timings.map((t) => t.totalMs), 50),
  };
}

async function historyLines(dataDir: string): Promise<number> {
  const text = await readFile(join(dataDir, 'request-history.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '').length;
}

async function main(): Promise<void> {
  const started = performance.now();
  const tmp = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  const dataDir = join(tmp, 'gateway-data');
  const children: Child[] = [];
  const targets: Target[] = [];
  try {
    progress('bundling the child servers');
    const files = await buildChildren(tmp);
    const fake = await spawnChild('fake upstream', files.fake, []);
    children.push(fake);
    const passthrough = await spawnChild('pass-through', files.passthrough, [fake.url]);
    children.push(passthrough);
    const gatewayArgv = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    const gateway = await spawnChild('gateway', files.gateway, [fake.url, dataDir], gatewayArgv);
    children.push(gateway);
    progress(`fake ${fake.url} (pid ${fake.pid}), pass-through ${passthrough.url} (pid ${passthrough.pid}), gateway ${gateway.url} (pid ${gateway.pid})`);

    const t: Targets = {
      direct: new Target('direct', fake.url, MAX_CONCURRENCY),
      'pass-through': new Target('pass-through', passthrough.url, MAX_CONCURRENCY),
      gateway: new Target('gateway', gateway.url, MAX_CONCURRENCY),
    };
    targets.push(...Object.values(t));
    const idleMb = readRss(gateway.pid).rssMb;

    const figures = await measure(t, fake);
    const memory = await measureGatewayMemory(t.gateway, gateway.pid, fake, idleMb, passthrough.pid);
    const heap = await gateway.call<NodeJS.MemoryUsage>('memory');
    const logged = await gateway.call<number>('logged');

    await Promise.all(targets.map((x) => x.close()));
    targets.length = 0;
    await Promise.all(children.map((c) => c.stop()));
    children.length = 0;
    const onDisk = await historyLines(dataDir);

    console.log('');
    console.log(`Switchyard bench — loopback, Node ${process.version}, ${QUICK ? 'QUICK run, ' : ''}${((performance.now() - started) / 1000).toFixed(0)} s`);
    printTable(figures, CONFIG.throughput.concurrencies);
    printMemory(memory);
    console.log(
      `gateway heap at the end: used ${(heap.heapUsed / 2 ** 20).toFixed(1)} MB of ${(heap.heapTotal / 2 ** 20).toFixed(1)} MB, ` +
        `external ${(heap.external / 2 ** 20).toFixed(1)} MB; request log: ${logged} entries in memory, ${onDisk} lines in the history file`,
    );
    console.log('');
    printChecks(computeChecks(figures, memory, Math.max(...CONFIG.throughput.concurrencies)));
    if (CPU_PROF_DIR) console.log(`\ngateway CPU profile written to ${CPU_PROF_DIR}`);
  } finally {
    await Promise.allSettled(targets.map((x) => x.close()));
    await Promise.allSettled(children.map((c) => c.stop()));
    killAllChildren();
    await rm(tmp, { recursive: true, force: true });
  }
}

// No orphans, however the bench ends: normal exit, a thrown error, Ctrl-C, or the watchdog.
process.on('exit', killAllChildren);
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
    console.error('bench: the harness failed:', err);
    process.exit(1);
  },
);
