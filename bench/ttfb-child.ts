// Client process: sequential streaming requests to several targets in turn (pipe, gateway, pipe,
// gateway, ...), so a slow moment of the machine lands on all of them alike. Reports, per target, the
// time to the first and to the last body byte of every measured stream. A target may name the model
// its requests ask for, so two targets can be two paths through one server.

import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { smallRequest } from './bodies.js';
import { runClient } from './client-ipc.js';
import { timedStream, type StreamTiming } from './stream-request.js';

export interface TtfbJob {
  /** `model` defaults to MODEL. */
  targets: Array<{ name: string; url: string; model?: string }>;
  /** Streams per target before the measured ones, not reported. */
  warmup: number;
  /** Measured streams per target. */
  count: number;
  timeLimitMs: number;
}

export type TtfbResult = Record<string, StreamTiming[]>;

runClient<TtfbJob, TtfbResult>('ttfb client', async (job) => {
  const deadline = performance.now() + job.timeLimitMs;
  const targets = job.targets.map((t) => ({
    ...t,
    body: smallRequest(true, t.model),
    base: new URL(t.url),
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
  }));
  const result: TtfbResult = Object.fromEntries(job.targets.map((t) => [t.name, []]));
  for (let i = 0; i < job.warmup + job.count && performance.now() < deadline; i++) {
    for (const t of targets) {
      const timing = await timedStream(t.base, t.agent, t.body);
      if (i >= job.warmup) result[t.name]!.push(timing);
    }
  }
  for (const t of targets) t.agent.destroy();
  return result;
});
