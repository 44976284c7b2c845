// Client process: sequential non-streaming requests of one size (a small first turn, or Claude Code's
// size: a long session, 20 tools, about 300 KB) to several targets in turn, so a slow moment of the
// machine lands on all of them alike. A target is a server taking the Anthropic request (the gateway on
// one of its paths, the pipe, or the fake Anthropic API itself), or an upstream fake sent the request the
// gateway sent it, as it was (the direct call each path is measured against). Reports, per target, each
// request's time from sent to the last byte of the answer, which is checked once the clock has stopped.

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { checkMessage, checkUpstreamReply } from './answers.js';
import { claudeCodeRequest, MESSAGES_PATH, REQUEST_HEADERS, smallRequest, type RawRequest } from './bodies.js';
import { runClient } from './client-ipc.js';
import type { RequestSize } from './report.js';

export type LatencyTarget = { name: string; url: string } & ({ model: string } | { raw: RawRequest });

export interface LatencyJob {
  size: RequestSize;
  targets: LatencyTarget[];
  /** Requests per target before the measured ones, not reported. */
  warmup: number;
  /** Measured requests per target. */
  count: number;
  timeLimitMs: number;
}

export interface LatencyResult {
  /** The Anthropic request body's size, bytes (every target's differs only in the model name). */
  bodyBytes: number;
  /** Per target, each measured request's latency, ms. */
  latenciesMs: Record<string, number[]>;
}

/** No single request may hang the client. */
const REQUEST_TIMEOUT_MS = 15_000;

interface Prepared {
  name: string;
  base: URL;
  path: string;
  headers: Record<string, string | number>;
  body: Buffer;
  check(status: number, body: string): void;
  agent: Agent;
}

function prepare(t: LatencyTarget, size: RequestSize): Prepared {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  if ('raw' in t) {
    const body = Buffer.from(t.raw.body);
    const headers = { ...t.raw.headers, 'content-length': body.length };
    return { name: t.name, base: new URL(t.url), path: t.raw.path, headers, body, check: checkUpstreamReply, agent };
  }
  const body = size === 'small' ? smallRequest(false, t.model) : claudeCodeRequest(t.model);
  return {
    name: t.name,
    base: new URL(t.url),
    path: MESSAGES_PATH,
    headers: { ...REQUEST_HEADERS, 'content-length': body.length },
    body,
    check: checkMessage,
    agent,
  };
}

function timedRequest(t: Prepared): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      {
        host: t.base.hostname,
        port: t.base.port,
        method: 'POST',
        path: t.path,
        headers: t.headers,
        agent: t.agent,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - start;
          try {
            t.check(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
            resolve(ms);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(t.body);
  });
}

runClient<LatencyJob, LatencyResult>('latency client', async (job) => {
  const deadline = performance.now() + job.timeLimitMs;
  const targets = job.targets.map((t) => prepare(t, job.size));
  const latenciesMs: Record<string, number[]> = Object.fromEntries(job.targets.map((t) => [t.name, []]));
  for (let i = 0; i < job.warmup + job.count && performance.now() < deadline; i++) {
    // Each round in the other order, so no target always follows the same one.
    for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
      const ms = await timedRequest(t).catch((err: unknown) => {
        throw new Error(`${t.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      if (i >= job.warmup) latenciesMs[t.name]!.push(ms);
    }
  }
  for (const t of targets) t.agent.destroy();
  const model = job.targets.find((t) => 'model' in t);
  const bodyBytes = model && 'model' in model ? (job.size === 'small' ? smallRequest(false, model.model) : claudeCodeRequest(model.model)).length : 0;
  return { bodyBytes, latenciesMs };
});
