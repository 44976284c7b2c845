// The one client every path is measured with: an undici keep-alive Pool per target, and the loops
// built on it. Each loop is bounded both by a request count and by a deadline, and any answer other
// than a complete 200 stops the bench (a fast error would otherwise look like a fast proxy).

import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { STREAM_CHUNKS } from './bodies.js';

const HEADERS = {
  'content-type': 'application/json',
  'anthropic-version': '2023-06-01',
  'x-api-key': 'sk-ant-bench-key',
};
/** No single request may hang the bench. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface Timing {
  /** Request sent -> first body byte. */
  ttfbMs: number;
  /** Request sent -> last body byte. */
  totalMs: number;
  body: Buffer;
}

export class Target {
  private readonly pool: Pool;

  constructor(
    readonly name: string,
    readonly url: string,
    connections: number,
  ) {
    this.pool = new Pool(url, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** One POST /v1/messages, read to the end. Failures name the path they happened on. */
  async post(body: Buffer): Promise<Timing> {
    const start = performance.now();
    let first = 0;
    const chunks: Buffer[] = [];
    let status: number;
    try {
      const res = await this.pool.request({ path: '/v1/messages', method: 'POST', headers: HEADERS, body });
      status = res.statusCode;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (first === 0) first = performance.now();
        chunks.push(chunk);
      }
    } catch (err) {
      throw new Error(`${this.name}: request failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const end = performance.now();
    const text = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (status !== 200) throw new Error(`${this.name}: HTTP ${status}: ${text.toString('utf8').slice(0, 300)}`);
    return { ttfbMs: (first || end) - start, totalMs: end - start, body: text };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface Bounds {
  count: number;
  timeLimitMs: number;
}

/** Checks what a non-streaming answer must be: one assistant message. */
export function checkMessage(t: Timing, who: string): void {
  const msg = JSON.parse(t.body.toString('utf8')) as { type?: unknown; content?: unknown };
  if (msg.type !== 'message' || !Array.isArray(msg.content)) throw new Error(`${who}: the answer is not a message`);
}

/** Checks what a streamed answer must be: every text delta, then message_stop. */
export function checkStream(t: Timing, who: string): void {
  const text = t.body.toString('utf8');
  const deltas = text.split('"type":"text_delta"').length - 1;
  if (deltas !== STREAM_CHUNKS || !text.includes('event: message_stop')) {
    throw new Error(`${who}: the stream had ${deltas} text deltas (expected ${STREAM_CHUNKS}) or no message_stop`);
  }
}

/** Sends requests one after another; returns the timings, up to `count` or the deadline. */
export async function sequential(target: Target, body: Buffer, bounds: Bounds, check: (t: Timing, who: string) => void): Promise<Timing[]> {
  const deadline = performance.now() + bounds.timeLimitMs;
  const out: Timing[] = [];
  while (out.length < bounds.count && performance.now() < deadline) {
    const t = await target.post(body);
    // Checked after the clock stopped, so the check costs idle time between requests, not latency.
    check(t, target.name);
    out.push(t);
  }
  return out;
}

export interface Throughput {
  requests: number;
  seconds: number;
  rps: number;
}

/**
 * `concurrency` workers, each sending its next request as soon as its last one is answered, until
 * `count` requests were started or the deadline passed. The clock stops when the last answer is in.
 */
export async function closedLoop(target: Target, body: Buffer, concurrency: number, bounds: Bounds): Promise<Throughput> {
  const start = performance.now();
  const deadline = start + bounds.timeLimitMs;
  let started = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (started < bounds.count && performance.now() < deadline) {
      started++;
      await target.post(body);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { requests: done, seconds, rps: done / seconds };
}

/** `rounds` bursts of `concurrency` simultaneous streams, each checked; returns every stream's timing. */
export async function streamBursts(target: Target, body: Buffer, concurrency: number, rounds: number, timeLimitMs: number): Promise<Timing[]> {
  const deadline = performance.now() + timeLimitMs;
  const out: Timing[] = [];
  for (let r = 0; r < rounds && performance.now() < deadline; r++) {
    const burst = await Promise.all(Array.from({ length: concurrency }, () => target.post(body)));
    for (const t of burst) checkStream(t, target.name);
    out.push(...burst);
  }
  return out;
}
