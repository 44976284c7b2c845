// Client process: sequential non-streaming requests of Claude Code's size (claudeCodeRequest: a long
// session, 20 tools, about 300 KB) to several targets in turn, so a slow moment of the machine lands on
// all of them alike. Reports, per target, each request's time from sent to the last byte of the answer,
// which is checked once the clock has stopped.

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { checkMessage } from './answers.js';
import { claudeCodeRequest, MESSAGES_PATH, REQUEST_HEADERS } from './bodies.js';
import { runClient } from './client-ipc.js';

export interface LatencyJob {
  targets: Array<{ name: string; url: string; model: string }>;
  /** Requests per target before the measured ones, not reported. */
  warmup: number;
  /** Measured requests per target. */
  count: number;
  timeLimitMs: number;
}

export interface LatencyResult {
  /** The request body's size, bytes (the first target's; every target's differs only in the model name). */
  bodyBytes: number;
  /** Per target, each measured request's latency, ms. */
  latenciesMs: Record<string, number[]>;
}

/** No single request may hang the client. */
const REQUEST_TIMEOUT_MS = 15_000;

function timedRequest(base: URL, agent: Agent, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: MESSAGES_PATH,
        headers: { ...REQUEST_HEADERS, 'content-length': body.length },
        agent,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - start;
          try {
            checkMessage(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
            resolve(ms);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

runClient<LatencyJob, LatencyResult>('latency client', async (job) => {
  const deadline = performance.now() + job.timeLimitMs;
  const targets = job.targets.map((t) => ({
    ...t,
    body: claudeCodeRequest(t.model),
    base: new URL(t.url),
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
  }));
  const latenciesMs: Record<string, number[]> = Object.fromEntries(job.targets.map((t) => [t.name, []]));
  for (let i = 0; i < job.warmup + job.count && performance.now() < deadline; i++) {
    // Each round in the other order, so neither path always follows the other.
    for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
      const ms = await timedRequest(t.base, t.agent, t.body).catch((err: unknown) => {
        throw new Error(`${t.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      if (i >= job.warmup) latenciesMs[t.name]!.push(ms);
    }
  }
  for (const t of targets) t.agent.destroy();
  return { bodyBytes: targets[0]?.body.length ?? 0, latenciesMs };
});
