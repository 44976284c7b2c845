// Client process: the load generator. autocannon, closed loop (each connection sends its next request
// when the last is answered), a fixed number of small requests (for one JSON answer, or streamed), against one target:
// one checked request, a warm-up run, the checkpoint (the bench reads the server's CPU time), then the
// measured run. Any answer other than a 200 fails the run.

import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon, { type Result } from 'autocannon';
import { checkMessage, checkShortStream } from './answers.js';
import { MESSAGES_PATH, REQUEST_HEADERS, smallRequest } from './bodies.js';
import { runClient } from './client-ipc.js';

export interface Run {
  count: number;
  timeLimitMs: number;
}

export interface LoadJob {
  url: string;
  /** The request's model (default MODEL): TRANSLATED_MODEL sends it down the gateway's Gemini path. */
  model?: string;
  /** Streaming requests, as Claude Code sends its turns, instead of requests for one JSON answer. */
  stream?: boolean;
  concurrency: number;
  warmup: Run;
  measured: Run;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Each answer's latency, ms, in the order they came. */
  latenciesMs: number[];
  /** CPU seconds this load generator spent on the run, to show how much of the machine it took. */
  cpuSeconds: number;
  /** The run hit its time limit before its request count. */
  cutShort: boolean;
}

/** No single request may hang the run (seconds). */
const REQUEST_TIMEOUT_S = 10;

/** One request read and checked in full: autocannon counts status codes but never looks at a body. */
function probe(url: string, body: Buffer, check: (status: number, body: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url + MESSAGES_PATH, { method: 'POST', headers: { ...REQUEST_HEADERS, 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          check(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function failures(r: Result): string | null {
  if (r.non2xx + r.errors + r.timeouts + r.resets + r.mismatches === 0) return null;
  const codes = Object.entries(r.statusCodeStats)
    .map(([code, s]) => `${code} x${s.count}`)
    .join(', ');
  return `non-2xx ${r.non2xx} (${codes}), errors ${r.errors}, timeouts ${r.timeouts}, resets ${r.resets}`;
}

/**
 * One autocannon run of `run.count` requests, stopped early at `run.timeLimitMs`. Times are taken
 * here, per response: autocannon notices the end of a run only at its next sampling tick.
 */
function load(job: LoadJob, body: Buffer, run: Run): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies = new Float64Array(run.count);
    let answered = 0;
    let lastAt = 0;
    let cutShort = false;
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const instance = autocannon(
      {
        url: job.url + MESSAGES_PATH,
        method: 'POST',
        headers: REQUEST_HEADERS,
        body,
        connections: job.concurrency,
        pipelining: 1,
        amount: run.count,
        timeout: REQUEST_TIMEOUT_S,
        sampleInt: 100,
      },
      (err, result) => {
        clearTimeout(timer);
        if (err) return reject(err);
        const failed = failures(result);
        if (failed) return reject(new Error(`${job.url}, c=${job.concurrency}: ${failed}`));
        const cpu = process.cpuUsage(cpuBefore);
        const seconds = (lastAt - start) / 1000;
        resolve({
          requests: result['2xx'],
          seconds,
          rps: result['2xx'] / seconds,
          latenciesMs: Array.from(latencies.subarray(0, answered)),
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          cutShort,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => {
      if (answered < latencies.length) latencies[answered++] = ms;
      lastAt = performance.now();
    });
    const timer = setTimeout(() => {
      cutShort = true;
      instance.stop();
    }, run.timeLimitMs);
  });
}

export interface LoadOutcome {
  /** Requests answered before the measured run: the probe and the warm-up. */
  warmupRequests: number;
  warmupCutShort: boolean;
  measured: LoadResult;
}

runClient<LoadJob, LoadOutcome>('load generator', async (job, checkpoint) => {
  const stream = job.stream === true;
  const body = smallRequest(stream, job.model);
  await probe(job.url, body, stream ? checkShortStream : checkMessage);
  const warmup = await load(job, body, job.warmup);
  await checkpoint();
  const measured = await load(job, body, job.measured);
  return { warmupRequests: 1 + warmup.requests, warmupCutShort: warmup.cutShort, measured };
});
