// `npm run bench`: what the gateway costs its users, next to the least any Node proxy costs, and what
// its translated paths (Claude requests served by Gemini accounts, and by Google accounts over Code
// Assist v1internal) cost next to its Anthropic path.
//
// The gateway runs as users run it: `node bin/switchyard.mjs serve` on a data folder set up with the
// CLI (strict auth, two Anthropic accounts, two Gemini API-key accounts and a model rule sending
// TRANSLATED_MODEL to them), request history and per-request stdout line on, stdout and stderr going
// to files. The baseline is a bare node:http pipe (pipe-server.ts). Both forward to the fake Anthropic
// upstream from tests/fakes; the gateway's Gemini accounts point at the fake Gemini API, in a process
// of its own too. Every server and every client is a process of its own on plain `node`; this process
// only starts them, reads /proc and prints.
//
// It measures, for the gateway and the pipe:
// - throughput: autocannon, closed loop, a fixed count of small non-streaming requests at
//   concurrency 16 and 64 (after a warm-up), req/s and latency p50/p99 as the load generator saw them;
// - CPU per request: the server's utime + stime from /proc/<pid>/stat around the measured requests;
// - streaming time to first and last byte: sequential streams, pipe and gateway taking turns;
// - peak RSS (VmHWM, reset first) while 64 slow streams are open at once, and over the whole run;
// and for the gateway's translated path next to its Anthropic path (the same serve process):
// - throughput and serve's CPU per request at concurrency 16 and 64, in the same rounds as above;
// - latency of a Claude Code-sized request (about 300 KB, 20 tools), sequential, the paths in turn;
// - streaming time to first byte and first text, sequential, the paths in turn.
// The v1internal path (two Google accounts, imported as refresh tokens, on the fake Google OAuth
// endpoints and the fake Code Assist backend, in a process of their own) is measured the same way,
// through the same serve, in the same rounds and turns as the other paths.
// Then it checks the targets on the ratios of this one run. It exits 0 whatever the figures (it is a
// report) and non-zero only when the harness broke: a wrong answer, a process that died, a timeout.
//
// Environment:
//   BENCH_QUICK=1          a tenth of the requests (a smoke run; the figures are noisier)
//   BENCH_CPU_PROF=<dir>   run serve with --cpu-prof; its profile is written to <dir> when it stops
//   BENCH_SERVE_FLAGS="…"  Node flags for serve (say `--trace-gc`), to look into a figure
//   BENCH_KEEP_LOGS=<dir>  copy serve's stdout and stderr there before the temporary folder goes

import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CODE_ASSIST_MODEL, GEMINI_MODEL, MODEL, smallRequest, TRANSLATED_MODEL, type RawRequest } from './bodies.js';
import { bundleScripts, REPO_DIR, type Script } from './bundle.js';
import { runClientProcess } from './client-runner.js';
import { forkServer, type ForkedServer } from './forked-server.js';
import { killAll } from './live-processes.js';
import type { LatencyJob, LatencyResult, LatencyTarget } from './latency-child.js';
import type { LoadJob, LoadOutcome, LoadResult } from './load-child.js';
import { startLoggedServer, type LoggedServer } from './logged-server.js';
import { cpuSeconds, readRss, resetPeak, sampleRss } from './proc.js';
import {
  computeTranslatedChecks,
  PATHS,
  printChecks,
  printPhasePeaks,
  printSequential,
  printSpread,
  printSummary,
  printTable,
  printTranslated,
  SERVERS,
  type BurstFigures,
  type Figures,
  type LatencyFigures,
  type LoadFigures,
  type PathName,
  type RequestSize,
  SEQUENTIAL_TARGETS,
  type SequentialFigures,
  type SequentialTarget,
  type ServerName,
  type StreamFigures,
  type TranslatedFigures,
} from './report.js';
import { percentile } from './stats.js';
import type { StreamTiming } from './stream-request.js';
import type { BurstJob, BurstResult } from './stream-burst-child.js';
import { configureDataDir, historyEntries, requestLines, serveArgs } from './switchyard-cli.js';
import type { GoogleSetup } from './v1internal-fake-child.js';
import type { TtfbJob, TtfbResult } from './ttfb-child.js';

const QUICK = process.env.BENCH_QUICK === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
const SERVE_FLAGS = (process.env.BENCH_SERVE_FLAGS ?? '').split(' ').filter((f) => f !== '');
const KEEP_LOGS_DIR = process.env.BENCH_KEEP_LOGS ? resolve(process.env.BENCH_KEEP_LOGS) : null;

/** Request counts shrink in quick mode; time limits keep every loop bounded either way. */
const n = (full: number) => (QUICK ? Math.round(full / 10) : full);

const CONFIG = {
  throughput: {
    concurrencies: [16, 64],
    // Rounds alternate which server goes first, so neither always runs on a machine the other warmed.
    rounds: QUICK ? 1 : 2,
    warmup: { count: n(3000), timeLimitMs: 15_000 },
    measured: { count: n(15_000), timeLimitMs: 30_000 },
  },
  // The fake pauses before its first token, as a model does, then sends its 200 deltas back to back:
  // the first byte is what each server adds before the stream starts (not how fast the client gets a
  // core while the fake floods the machine), the last byte what relaying the burst costs.
  ttfb: { warmup: n(50), count: n(500), firstTokenDelayMs: 10, timeLimitMs: 60_000 },
  // The translated path next to the Anthropic path, both through the gateway, as the phase above.
  translatedTtfb: { warmup: n(30), count: n(300), timeLimitMs: 30_000 },
  // Requests one at a time, every target in turn: a small first turn, and Claude Code's size.
  sequential: {
    small: { warmup: n(50), count: n(500), timeLimitMs: 30_000 },
    large: { warmup: n(20), count: n(200), timeLimitMs: 45_000 },
  },
  // 200 deltas 5 ms apart: a stream lasts over a second, so the 64 of a burst are all open at once.
  // First thing after start-up and a warm-up burst, so the peak is what the streams cost and not the
  // heap that the c=64 load phase leaves behind (the whole-run peak, also printed, includes that).
  streams: { concurrency: 64, rounds: QUICK ? 1 : 3, warmup: 16, chunkDelayMs: 5, timeLimitMs: 30_000 },
  /** Past this the bench kills everything and fails; a full run takes well under half of it. */
  watchdogMs: (QUICK ? 4 : 12) * 60_000,
};
/** A client process gets its own time limits plus this before it is killed as hung. */
const CLIENT_GRACE_MS = 15_000;

function progress(msg: string): void {
  console.error(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
}

interface Bench {
  scripts: Record<Script, string>;
  fake: ForkedServer;
  /** The fake Gemini API behind the gateway's Gemini accounts. */
  geminiFake: ForkedServer;
  /** The fake Code Assist backend (and Google OAuth endpoints) behind the gateway's Google accounts. */
  codeAssistFake: ForkedServer;
  servers: Record<ServerName, LoggedServer>;
  /** Requests the clients had answered, to set against the gateway's log. */
  gatewayRequests: number;
  /** A load run hit its time limit: the requests it dropped in flight may be logged as failures. */
  cutShort: boolean;
  /** VmHWM folded in before every reset, so nothing escapes the whole-run peak. */
  wholeRunPeakMb: Record<ServerName, number>;
  phasePeakMb: Figures['phasePeakMb'];
}

async function assertAlive(b: Bench): Promise<void> {
  if (!b.fake.alive()) throw new Error('the fake upstream exited during the run');
  if (!b.geminiFake.alive()) throw new Error('the fake Gemini upstream exited during the run');
  if (!b.codeAssistFake.alive()) throw new Error('the fake Code Assist upstream exited during the run');
  for (const s of SERVERS) await b.servers[s].assertAlive();
}

interface MeasuredLoad {
  result: LoadResult;
  cpu: { server: number; fake: number };
}

/**
 * What the load generator targets: the pipe, the gateway's Anthropic path, its translated path, or the
 * v1internal path; and, at the highest concurrency only, the pipe and the gateway with streaming
 * requests. The small requests ask for 1,024 tokens, which the gateway asks its Anthropic upstream for
 * as one JSON answer too (a longer answer it would ask for as a stream); the translated paths always
 * stream from their upstream.
 */
type LoadTarget = ServerName | 'translated' | 'codeassist' | 'pipe streamed' | 'gateway streamed';
const LOAD_TARGETS: readonly LoadTarget[] = [...SERVERS, 'translated', 'codeassist'];
const STREAMED_LOAD_TARGETS: readonly LoadTarget[] = ['pipe streamed', 'gateway streamed'];

/** Where a load target's requests go: the server, its upstream fake, the model they ask for. */
function loadEnds(b: Bench, target: LoadTarget): { server: LoggedServer; fakePid: number; model?: string } {
  if (target === 'translated') return { server: b.servers.gateway, fakePid: b.geminiFake.pid, model: TRANSLATED_MODEL };
  if (target === 'codeassist') return { server: b.servers.gateway, fakePid: b.codeAssistFake.pid, model: CODE_ASSIST_MODEL };
  if (target === 'pipe streamed') return { server: b.servers.pipe, fakePid: b.fake.pid };
  if (target === 'gateway streamed') return { server: b.servers.gateway, fakePid: b.fake.pid };
  return { server: b.servers[target], fakePid: b.fake.pid };
}

async function loadRun(b: Bench, target: LoadTarget, concurrency: number): Promise<MeasuredLoad> {
  const { warmup, measured } = CONFIG.throughput;
  const ends = loadEnds(b, target);
  const job: LoadJob = {
    url: ends.server.url,
    concurrency,
    warmup,
    measured,
    ...(ends.model ? { model: ends.model } : {}),
    ...(STREAMED_LOAD_TARGETS.includes(target) ? { stream: true } : {}),
  };
  const pids = { server: ends.server.pid, fake: ends.fakePid };
  let before = { server: Number.NaN, fake: Number.NaN };
  const out = await runClientProcess<LoadOutcome>(`load generator (${target}, c=${concurrency})`, b.scripts.load, job, {
    timeoutMs: warmup.timeLimitMs + measured.timeLimitMs + CLIENT_GRACE_MS,
    atCheckpoint: () => (before = { server: cpuSeconds(pids.server), fake: cpuSeconds(pids.fake) }),
  });
  const cpu = { server: cpuSeconds(pids.server) - before.server, fake: cpuSeconds(pids.fake) - before.fake };
  if (ends.server === b.servers.gateway) b.gatewayRequests += out.warmupRequests + out.measured.requests;
  if (out.warmupCutShort || out.measured.cutShort) {
    b.cutShort = true;
    progress(`  ${target} c=${concurrency}: stopped at the time limit (measured ${out.measured.requests} requests)`);
  }
  return { result: out.measured, cpu };
}

/** Sums the rounds of one server at one concurrency; latency percentiles are taken over all their answers. */
function combineRounds(runs: MeasuredLoad[]): LoadFigures {
  const sum = (pick: (r: MeasuredLoad) => number) => runs.reduce((total, r) => total + pick(r), 0);
  const latencies = runs.flatMap((r) => r.result.latenciesMs);
  return {
    requests: sum((r) => r.result.requests),
    seconds: sum((r) => r.result.seconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuSeconds: sum((r) => r.cpu.server),
    fakeCpuSeconds: sum((r) => r.cpu.fake),
    loadCpuSeconds: sum((r) => r.result.cpuSeconds),
    roundRps: runs.map((r) => r.result.rps),
  };
}

/** The pipe, the gateway, the gateway's translated path and the v1internal path, in the same rounds; streamed requests at the top concurrency. */
async function measureThroughput(
  b: Bench,
): Promise<{ load: Figures['load']; streamedLoad: Figures['streamedLoad']; translated: TranslatedFigures['load']; codeAssist: TranslatedFigures['load'] }> {
  const { concurrencies, rounds } = CONFIG.throughput;
  const top = Math.max(...concurrencies);
  const load: Figures['load'] = new Map();
  const translated: TranslatedFigures['load'] = new Map();
  const codeAssist: TranslatedFigures['load'] = new Map();
  let streamedLoad: Figures['streamedLoad'] = null;
  for (const c of concurrencies) {
    const runs: Record<LoadTarget, MeasuredLoad[]> = { pipe: [], gateway: [], translated: [], codeassist: [], 'pipe streamed': [], 'gateway streamed': [] };
    const targets = c === top ? [...LOAD_TARGETS, ...STREAMED_LOAD_TARGETS] : LOAD_TARGETS;
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? targets : [...targets].reverse();
      for (const s of order) {
        progress(`throughput ${s}, concurrency ${c}, round ${r + 1} of ${rounds}`);
        runs[s].push(await loadRun(b, s, c));
        await assertAlive(b);
      }
    }
    load.set(c, { pipe: combineRounds(runs.pipe), gateway: combineRounds(runs.gateway) });
    translated.set(c, combineRounds(runs.translated));
    codeAssist.set(c, combineRounds(runs.codeassist));
    if (c === top) streamedLoad = { concurrency: c, pipe: combineRounds(runs['pipe streamed']), gateway: combineRounds(runs['gateway streamed']) };
  }
  return { load, streamedLoad, translated, codeAssist };
}

async function measureStreamTimes(b: Bench): Promise<Figures['stream']> {
  const cfg = CONFIG.ttfb;
  progress(`streaming first/last byte, ${cfg.count} sequential streams each, pipe and gateway in turn`);
  await b.fake.call('streamReplies', true);
  await b.fake.call('streamDelay', 0);
  await b.fake.call('tokenDelay', cfg.firstTokenDelayMs);
  const job: TtfbJob = {
    targets: SERVERS.map((s) => ({ name: s, url: b.servers[s].url })),
    warmup: cfg.warmup,
    count: cfg.count,
    timeLimitMs: cfg.timeLimitMs,
  };
  const result = await runClientProcess<TtfbResult>('ttfb client', b.scripts.ttfb, job, { timeoutMs: cfg.timeLimitMs + CLIENT_GRACE_MS });
  await b.fake.call('tokenDelay', 0);
  await b.fake.call('streamReplies', false);
  const stream = {} as Record<ServerName, StreamFigures>;
  for (const s of SERVERS) stream[s] = streamFigures(result[s], s, cfg.timeLimitMs);
  b.gatewayRequests += cfg.warmup + stream.gateway.n;
  await assertAlive(b);
  return stream;
}

function streamFigures(t: StreamTiming[] | undefined, name: string, timeLimitMs: number): StreamFigures {
  if (!t || t.length === 0) throw new Error(`no measured streams for the ${name} within ${timeLimitMs} ms`);
  const ttfb = t.map((x) => x.ttfbMs);
  return {
    ttfbP50: percentile(ttfb, 50),
    ttfbP99: percentile(ttfb, 99),
    firstTextP50: percentile(
      t.map((x) => x.firstTextMs),
      50,
    ),
    ttlbP50: percentile(
      t.map((x) => x.totalMs),
      50,
    ),
    n: t.length,
  };
}

/** The gateway's three paths, one model name each. */
type PathTarget = PathName | 'codeassist';
const PATH_TARGETS: readonly PathTarget[] = [...PATHS, 'codeassist'];

function pathTargets(b: Bench): Array<{ name: PathTarget; url: string; model: string }> {
  return [
    ...PATHS.map((p) => ({ name: p, url: b.servers.gateway.url, model: p === 'translated' ? TRANSLATED_MODEL : MODEL })),
    { name: 'codeassist' as const, url: b.servers.gateway.url, model: CODE_ASSIST_MODEL },
  ];
}

/** Both translating fakes get the same phase settings. */
async function callTranslatingFakes(op: string, arg: unknown, b: Bench): Promise<void> {
  await Promise.all([b.geminiFake.call(op, arg), b.codeAssistFake.call(op, arg)]);
}

/** Sequential streams through the gateway, its Anthropic and translated paths and the v1internal path in turn, each fake pausing before its first token. */
async function measureTranslatedStreams(b: Bench): Promise<Record<PathTarget, StreamFigures>> {
  const cfg = CONFIG.translatedTtfb;
  const firstTokenDelayMs = CONFIG.ttfb.firstTokenDelayMs;
  progress(`translated path: streaming first/last byte, ${cfg.count} sequential streams each, Anthropic and translated paths in turn`);
  await b.fake.call('streamReplies', true);
  await b.fake.call('streamDelay', 0);
  await b.fake.call('tokenDelay', firstTokenDelayMs);
  await callTranslatingFakes('streamDelay', 0, b);
  await callTranslatingFakes('tokenDelay', firstTokenDelayMs, b);
  await callTranslatingFakes('streamReplies', true, b);
  const job: TtfbJob = { targets: pathTargets(b), warmup: cfg.warmup, count: cfg.count, timeLimitMs: cfg.timeLimitMs };
  const result = await runClientProcess<TtfbResult>('ttfb client (paths)', b.scripts.ttfb, job, { timeoutMs: cfg.timeLimitMs + CLIENT_GRACE_MS });
  await b.fake.call('tokenDelay', 0);
  await b.fake.call('streamReplies', false);
  await callTranslatingFakes('tokenDelay', 0, b);
  await callTranslatingFakes('streamReplies', false, b);
  const stream = {} as Record<PathTarget, StreamFigures>;
  for (const p of PATH_TARGETS) stream[p] = streamFigures(result[p], `${p} path`, cfg.timeLimitMs);
  b.gatewayRequests += 3 * cfg.warmup + stream.anthropic.n + stream.translated.n + stream.codeassist.n;
  await assertAlive(b);
  return stream;
}

/** Sends one request of `size` down each translated path and takes, from each fake, the request the gateway sent it. */
async function captureUpstreamRequests(b: Bench, size: RequestSize): Promise<{ gemini: RawRequest; codeAssist: RawRequest }> {
  const job: LatencyJob = {
    size,
    targets: pathTargets(b).filter((t) => t.name !== 'anthropic'),
    warmup: 0,
    count: 1,
    timeLimitMs: CONFIG.sequential[size].timeLimitMs,
  };
  await runClientProcess<LatencyResult>(`latency client (capture, ${size})`, b.scripts.latency, job, { timeoutMs: job.timeLimitMs + CLIENT_GRACE_MS });
  b.gatewayRequests += 2;
  const [gemini, codeAssist] = await Promise.all([b.geminiFake.call<RawRequest>('lastGenerate'), b.codeAssistFake.call<RawRequest>('lastGenerate')]);
  return { gemini, codeAssist };
}

/**
 * Requests of one size, one at a time, to every sequential target in turn: the fake Anthropic API
 * directly, the pipe, the gateway's three paths, and the Gemini and Code Assist fakes sent the gateway's
 * own request directly.
 */
async function measureSequential(b: Bench, size: RequestSize): Promise<SequentialFigures> {
  const cfg = CONFIG.sequential[size];
  const captured = await captureUpstreamRequests(b, size);
  progress(`${cfg.count} sequential ${size} requests to each of ${SEQUENTIAL_TARGETS.length} targets in turn`);
  const gateway = b.servers.gateway.url;
  const targets: Record<SequentialTarget, LatencyTarget> = {
    direct: { name: 'direct', url: b.fake.url, model: MODEL },
    pipe: { name: 'pipe', url: b.servers.pipe.url, model: MODEL },
    gateway: { name: 'gateway', url: gateway, model: MODEL },
    'gemini-direct': { name: 'gemini-direct', url: b.geminiFake.url, raw: captured.gemini },
    translated: { name: 'translated', url: gateway, model: TRANSLATED_MODEL },
    'codeassist-direct': { name: 'codeassist-direct', url: b.codeAssistFake.url, raw: captured.codeAssist },
    codeassist: { name: 'codeassist', url: gateway, model: CODE_ASSIST_MODEL },
  };
  const job: LatencyJob = { size, targets: SEQUENTIAL_TARGETS.map((t) => targets[t]), warmup: cfg.warmup, count: cfg.count, timeLimitMs: cfg.timeLimitMs };
  const cpuBefore = cpuSeconds(b.servers.gateway.pid);
  const result = await runClientProcess<LatencyResult>(`latency client (${size})`, b.scripts.latency, job, { timeoutMs: cfg.timeLimitMs + CLIENT_GRACE_MS });
  const cpu = cpuSeconds(b.servers.gateway.pid) - cpuBefore;
  const byTarget = {} as Record<SequentialTarget, LatencyFigures>;
  for (const t of SEQUENTIAL_TARGETS) {
    const ms = result.latenciesMs[t] ?? [];
    if (ms.length === 0) throw new Error(`no measured ${size} requests to ${t} within ${cfg.timeLimitMs} ms`);
    byTarget[t] = { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), n: ms.length };
  }
  // The CPU reading takes in the warm-up too, so the count does.
  const serveRequests = 3 * (byTarget.gateway.n + cfg.warmup);
  b.gatewayRequests += serveRequests;
  await assertAlive(b);
  return { bodyBytes: result.bodyBytes, byTarget, serveCpuUs: (cpu * 1e6) / serveRequests };
}

/** Folds every server's VmHWM into the whole-run peak, notes the gateway's for `phase`, and starts the next phase afresh. */
function endPhase(b: Bench, phase: string): void {
  for (const s of SERVERS) b.wholeRunPeakMb[s] = Math.max(b.wholeRunPeakMb[s], readRss(b.servers[s].pid).peakMb);
  b.phasePeakMb.push({ phase, peakMb: readRss(b.servers.gateway.pid).peakMb });
  for (const s of SERVERS) resetPeak(b.servers[s].pid);
}

async function measureBursts(b: Bench): Promise<Figures['bursts']> {
  const cfg = CONFIG.streams;
  await b.fake.call('streamReplies', true);
  await b.fake.call('streamDelay', cfg.chunkDelayMs);
  const bursts = {} as Record<ServerName, BurstFigures>;
  for (const s of SERVERS) {
    progress(`${cfg.concurrency} concurrent streams x ${cfg.rounds}, ${s}`);
    const pid = b.servers[s].pid;
    const job: BurstJob = { url: b.servers[s].url, concurrency: cfg.concurrency, rounds: cfg.rounds, warmup: cfg.warmup, timeLimitMs: cfg.timeLimitMs };
    // Filled in at the client's checkpoint, when its warm-up is over and the bursts are about to start.
    const at = { startMb: Number.NaN, resetOk: false, sampler: null as { stop(): number } | null };
    let sampledMb = Number.NaN;
    let result: BurstResult;
    try {
      result = await runClientProcess<BurstResult>(`stream burst client (${s})`, b.scripts.burst, job, {
        timeoutMs: cfg.timeLimitMs + CLIENT_GRACE_MS,
        atCheckpoint: () => {
          const rss = readRss(pid);
          b.wholeRunPeakMb[s] = Math.max(b.wholeRunPeakMb[s], rss.peakMb);
          at.startMb = rss.rssMb;
          at.resetOk = resetPeak(pid);
          at.sampler = sampleRss(pid);
        },
      });
    } finally {
      sampledMb = at.sampler?.stop() ?? Number.NaN;
    }
    const peakMb = readRss(pid).peakMb;
    b.wholeRunPeakMb[s] = Math.max(b.wholeRunPeakMb[s], peakMb);
    bursts[s] = { peakMb, startMb: at.startMb, sampledMb, resetOk: at.resetOk, maxOpen: result.maxOpen, streams: result.streams };
    if (s === 'gateway') b.gatewayRequests += cfg.warmup + result.streams;
    await assertAlive(b);
  }
  await b.fake.call('streamDelay', 0);
  await b.fake.call('streamReplies', false);
  return bursts;
}

async function startServers(tmp: string, dataDir: string): Promise<Bench> {
  progress('bundling the scripts the processes run');
  const scripts = await bundleScripts(tmp);
  const fake = await forkServer('fake upstream', scripts.fake, []);
  const geminiFake = await forkServer('fake Gemini upstream', scripts.geminiFake, []);
  const codeAssistFake = await forkServer('fake Code Assist upstream', scripts.codeAssistFake, []);
  progress(
    `fake upstream ${fake.url} (pid ${fake.pid}), fake Gemini upstream ${geminiFake.url} (pid ${geminiFake.pid}), ` +
      `fake Code Assist upstream ${codeAssistFake.url} (pid ${codeAssistFake.pid}); configuring the gateway's data folder with the switchyard CLI`,
  );
  await configureDataDir(dataDir, fake.url, geminiFake.url, codeAssistFake.url, await codeAssistFake.call<GoogleSetup>('google'));
  const pipe = await startLoggedServer('pipe', [scripts.pipe, fake.url], tmp, tmp);
  const gateway = await startLoggedServer('switchyard serve', serveArgs(dataDir, CPU_PROF_DIR, SERVE_FLAGS), tmp, REPO_DIR);
  progress(`pipe ${pipe.url} (pid ${pipe.pid}), gateway ${gateway.url} (pid ${gateway.pid})`);
  const wholeRunPeakMb = { pipe: 0, gateway: 0 };
  return {
    scripts,
    fake,
    geminiFake,
    codeAssistFake,
    servers: { pipe, gateway },
    gatewayRequests: 0,
    cutShort: false,
    wholeRunPeakMb,
    phasePeakMb: [],
  };
}

/** Stops the servers the way a user would (SIGTERM), so serve closes cleanly and writes its profile. */
async function stopServers(b: Bench): Promise<number | null> {
  for (const s of SERVERS) b.wholeRunPeakMb[s] = Math.max(b.wholeRunPeakMb[s], readRss(b.servers[s].pid).peakMb);
  const [serveCode] = await Promise.all([b.servers.gateway.stop(), b.servers.pipe.stop(), b.fake.stop(), b.geminiFake.stop(), b.codeAssistFake.stop()]);
  return serveCode;
}

function describeSetup(elapsedMs: number, largeBytes: number): string[] {
  const { throughput: tp, ttfb, streams, translatedTtfb, sequential } = CONFIG;
  return [
    `Switchyard bench: Node ${process.version}, ${cpus().length} CPUs, loopback, ${QUICK ? 'QUICK run' : 'full run'}, ${(elapsedMs / 1000).toFixed(0)} s`,
    `  gateway: node bin/switchyard.mjs --data-dir <tmp> serve --port 0${CPU_PROF_DIR ? ' (with --cpu-prof)' : ''}${SERVE_FLAGS.length ? ` (node ${SERVE_FLAGS.join(' ')})` : ''}; auth strict, 2 Anthropic + 2 Gemini + 2 Google accounts, ` +
      `model rules ${TRANSLATED_MODEL} -> gemini ${GEMINI_MODEL} and ${CODE_ASSIST_MODEL} -> antigravity ${GEMINI_MODEL}, request history and per-request stdout line on`,
    `  pipe:    node:http request + pipe per request, keep-alive agent, nothing else; both forward ${MODEL} to the fake Anthropic upstream`,
    `  load:    autocannon in its own process, closed loop, POST /v1/messages with a ${smallRequest().length} B body, non-streaming; ` +
      `per server (and the gateway's translated path) and concurrency ${tp.rounds} x (${tp.warmup.count} warm-up + ${tp.measured.count} measured) requests; ` +
      `at concurrency ${Math.max(...tp.concurrencies)} the same with streaming requests for the pipe and the gateway (the gateway asks its Anthropic upstream for what the client asked: the answer is short)`,
    `  streams: ${streams.concurrency} at once x ${streams.rounds} (200 deltas ${streams.chunkDelayMs} ms apart) first, after a warm-up; ` +
      `later ${ttfb.count} sequential each (first token after ${ttfb.firstTokenDelayMs} ms, then 200 deltas back to back), pipe and gateway in turn`,
    `  translated path: ${TRANSLATED_MODEL} through the same serve to the fake Gemini API (its own process), next to ${MODEL} to the fake Anthropic upstream; ` +
      `the load above, then ${translatedTtfb.count} sequential streams each (first token after ${ttfb.firstTokenDelayMs} ms, 200 pieces back to back), ` +
      `the two paths in turn`,
    `  v1internal path: ${CODE_ASSIST_MODEL} through the same serve to the fake Code Assist backend (its own process, with the fake Google OAuth endpoints ` +
      `the accounts' tokens come from: the token and the envelope checked, then the inner request handed to an in-process fake Gemini API over loopback HTTP), ` +
      `in the same load rounds and stream turns as the paths above`,
    `  one at a time: ${sequential.small.count} requests of ${smallRequest().length} B and ${sequential.large.count} Claude Code-sized ones ` +
      `(${Math.round(largeBytes / 1024)} KB: a long session with its tool results and 20 tools, non-streaming) to each target in turn: the fake Anthropic API directly, ` +
      `the pipe, the gateway's three paths, and the Gemini and Code Assist fakes sent directly the request the gateway sent them (taken from the fake before the run)`,
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  const tmp = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  tmpDirs.push(tmp);
  const dataDir = join(tmp, 'gateway-data');
  let b: Bench | null = null;
  try {
    b = await startServers(tmp, dataDir);
    const bursts = await measureBursts(b);
    endPhase(b, `${CONFIG.streams.concurrency} streams`);
    const { load, streamedLoad, translated: translatedLoad, codeAssist: codeAssistLoad } = await measureThroughput(b);
    endPhase(b, 'load');
    const stream = await measureStreamTimes(b);
    const translatedStream = await measureTranslatedStreams(b);
    endPhase(b, 'sequential streams');
    const small = await measureSequential(b, 'small');
    endPhase(b, 'small requests');
    const large = await measureSequential(b, 'large');
    endPhase(b, 'large requests');
    const sequential = { small, large };
    const serveCode = await stopServers(b);
    if (serveCode !== 0) throw new Error(`switchyard serve exited with code ${serveCode} on SIGTERM`);

    const lines = await requestLines(b.servers.gateway.outFile);
    const history = await historyEntries(dataDir);
    if (lines.ok !== lines.total && !b.cutShort) throw new Error(`serve printed ${lines.total - lines.ok} request lines with a status other than 200`);
    const figures: Figures = {
      load,
      streamedLoad,
      stream,
      bursts,
      wholeRunPeakMb: b.wholeRunPeakMb,
      phasePeakMb: b.phasePeakMb,
      sequential,
    };
    const translated: TranslatedFigures = { load: translatedLoad, target: 'translated', stream: translatedStream };
    const codeAssist: TranslatedFigures = {
      load: codeAssistLoad,
      target: 'codeassist',
      stream: { anthropic: translatedStream.anthropic, translated: translatedStream.codeassist },
    };

    console.log('');
    for (const line of describeSetup(performance.now() - started, sequential.large.bodyBytes)) console.log(line);
    console.log('');
    printTable(figures);
    console.log('');
    printSpread(figures);
    printPhasePeaks(figures);
    console.log('');
    printSequential(figures);
    console.log(
      `request log: serve's stdout file has ${lines.total} request lines (${lines.ok} with status 200) for the ${b.gatewayRequests} requests answered to the clients; ` +
        `the request history holds ${history} entries (log_history_limit 2000, in two files of up to that many each)`,
    );
    console.log('');
    console.log('translated path (Claude → Gemini → Claude)');
    printTranslated(figures, translated);
    console.log('');
    printChecks(computeTranslatedChecks(figures, translated, Math.max(...CONFIG.throughput.concurrencies)));
    console.log('');
    console.log('v1internal path (Claude → Gemini in the Code Assist envelope → Claude)');
    printTranslated(figures, codeAssist, 'v1internal');
    console.log('');
    printChecks(computeTranslatedChecks(figures, codeAssist, Math.max(...CONFIG.throughput.concurrencies), 'v1internal'));
    console.log('');
    printSummary(figures, [translated, codeAssist], Math.max(...CONFIG.throughput.concurrencies), {
      cpus: cpus().length,
      atStart: loadAtStart,
      atEnd: loadavg()[0]!,
    });
    if (CPU_PROF_DIR) console.log(`\ngateway CPU profile written to ${CPU_PROF_DIR}`);
  } catch (err) {
    // The servers' own words often say why; their log files go with the temporary folder.
    if (b) for (const s of SERVERS) console.error(await b.servers[s].postMortem());
    throw err;
  } finally {
    killAll();
    if (KEEP_LOGS_DIR && b) {
      await mkdir(KEEP_LOGS_DIR, { recursive: true });
      for (const s of SERVERS) for (const file of [b.servers[s].outFile, b.servers[s].errFile]) await copyFile(file, join(KEEP_LOGS_DIR, basename(file)));
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Removed on the way out even when the bench dies before its own cleanup. */
const tmpDirs: string[] = [];

// No orphans, however the bench ends: normal exit, a thrown error, Ctrl-C, or the watchdog.
process.on('exit', () => {
  killAll();
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping`);
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${CONFIG.watchdogMs / 1000} s; killing everything`);
  process.exit(1);
}, CONFIG.watchdogMs);

main().then(
  () => clearTimeout(watchdog),
  (err: unknown) => {
    console.error('bench failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
    clearTimeout(watchdog);
  },
);
