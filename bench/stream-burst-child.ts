// Client process: bursts of simultaneous streams against one target, to hold that many streams open
// in the server at once while the bench watches its memory. Counts how many were open together.

import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { smallRequest } from './bodies.js';
import { runClient } from './client-ipc.js';
import { timedStream } from './stream-request.js';

export interface BurstJob {
  url: string;
  concurrency: number;
  /** Bursts after the checkpoint. */
  rounds: number;
  /** Size of one burst before the checkpoint, which opens the connections and wakes the JIT. */
  warmup: number;
  timeLimitMs: number;
}

export interface BurstResult {
  streams: number;
  /** Most streams open at the same moment, as this client saw them. */
  maxOpen: number;
  /** Each stream's time to its last byte, ms. */
  totalMs: number[];
}

runClient<BurstJob, BurstResult>('stream burst client', async (job, checkpoint) => {
  const body = smallRequest(true);
  const base = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  let open = 0;
  let maxOpen = 0;
  const hooks = {
    opened: () => {
      open++;
      maxOpen = Math.max(maxOpen, open);
    },
    closed: () => open--,
  };
  await Promise.all(Array.from({ length: job.warmup }, () => timedStream(base, agent, body)));
  await checkpoint();
  const deadline = performance.now() + job.timeLimitMs;
  const totalMs: number[] = [];
  for (let r = 0; r < job.rounds && performance.now() < deadline; r++) {
    const burst = await Promise.all(Array.from({ length: job.concurrency }, () => timedStream(base, agent, body, hooks)));
    totalMs.push(...burst.map((t) => t.totalMs));
  }
  agent.destroy();
  return { streams: totalMs.length, maxOpen, totalMs };
});
