// `npm run bench`, team mode: what sharing the pool through Redis adds to a request. One gateway alone
// (its files), and two gateways of one team on one redis-server (started here on a free loopback port,
// no persistence), all three `switchyard serve` processes running at once as users run them, with the
// same two Anthropic accounts on the fake upstream, auth on and the request log on. A sequential client
// (concurrency 1, small non-streaming requests) takes the three in turn, round after round, so a slow
// moment of the machine lands on all of them alike. Team mode's target: at most 0.3 ms more at p50.
// Then how long a cooldown or quota mark learned by one gateway takes to reach another (target: 100 ms).
// Exits 0 whatever the figures; non-zero only when the harness broke.

import { join } from 'node:path';
import { startRedis } from '../tests/helpers/redis-server.js';
import { bundleScripts, REPO_DIR } from './bundle.js';
import { runClientProcess } from './client-runner.js';
import { forkServer } from './forked-server.js';
import { progressOf, runBench } from './harness.js';
import { killAll } from './live-processes.js';
import type { LoadJob, LoadOutcome } from './load-child.js';
import { startLoggedServer, type LoggedServer } from './logged-server.js';
import { percentile } from './stats.js';
import { measurePropagation } from './team-propagation.js';
import { configureAnthropicDataDir, serveArgs } from './switchyard-cli.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 6;
const PER_ROUND = QUICK ? 200 : 1000;
const WARMUP = QUICK ? 200 : 1000;
const TARGET_MS = 0.3;
const TEAM_SECRET = 'bench team secret, long enough';
const PROPAGATION_SAMPLES = QUICK ? 50 : 300;
const PROPAGATION_TARGET_MS = 100;
const WATCHDOG_MS = (QUICK ? 2 : 6) * 60_000;

const progress = progressOf('team');

async function measure(script: string, server: LoggedServer, count: number): Promise<number[]> {
  const job: LoadJob = { url: server.url, concurrency: 1, warmup: { count: 20, timeLimitMs: 10_000 }, measured: { count, timeLimitMs: 60_000 } };
  const out = await runClientProcess<LoadOutcome>(`sequential client (${server.name})`, script, job, { timeoutMs: 90_000 });
  return out.measured.latenciesMs;
}

runBench('team', WATCHDOG_MS, async (work) => {
  const redis = await startRedis();
  try {
    const scripts = await bundleScripts(work);
    const fake = await forkServer('fake upstream', scripts.fake, []);
    const dirs = { alone: join(work, 'alone'), a: join(work, 'team-a'), b: join(work, 'team-b') };
    progress('configuring the data folders with the CLI');
    await configureAnthropicDataDir(dirs.alone, fake.url);
    await configureAnthropicDataDir(dirs.a, fake.url);
    process.env.SWITCHYARD_TEAM_SECRET = TEAM_SECRET;
    const url = redis.url(0);
    const alone = await startLoggedServer('gateway alone', serveArgs(dirs.alone, null), work, REPO_DIR);
    const a = await startLoggedServer('team gateway a', [...serveArgs(dirs.a, null), '--redis', url, '--seed-from-local'], work, REPO_DIR);
    const b = await startLoggedServer('team gateway b', [...serveArgs(dirs.b, null), '--redis', url], work, REPO_DIR);
    const servers = [alone, a, b];
    progress(`warm-up, ${WARMUP} requests each`);
    for (const s of servers) await measure(scripts.load, s, WARMUP);
    const latencies = { alone: [] as number[], team: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? servers : [...servers].reverse();
      progress(`round ${r + 1} of ${ROUNDS}: ${PER_ROUND} sequential requests each`);
      for (const s of order) (s === alone ? latencies.alone : latencies.team).push(...(await measure(scripts.load, s, PER_ROUND)));
      for (const s of servers) await s.assertAlive();
    }
    const p50 = { alone: percentile(latencies.alone, 50), team: percentile(latencies.team, 50) };
    const p99 = { alone: percentile(latencies.alone, 99), team: percentile(latencies.team, 99) };
    const added = p50.team - p50.alone;
    console.log('\nTeam mode: sequential small requests, two gateways on one Redis against one gateway alone');
    console.log(`  alone:            p50 ${p50.alone.toFixed(3)} ms  p99 ${p99.alone.toFixed(3)} ms  (${latencies.alone.length} requests)`);
    console.log(`  team (a and b):   p50 ${p50.team.toFixed(3)} ms  p99 ${p99.team.toFixed(3)} ms  (${latencies.team.length} requests)`);
    console.log(`  team mode adds ${added.toFixed(3)} ms at p50 (target <= ${TARGET_MS} ms): ${added <= TARGET_MS ? 'met' : 'MISSED'}`);
    for (const s of servers) await s.stop();
    await fake.stop();

    progress(`propagation: ${PROPAGATION_SAMPLES} cooldowns and ${PROPAGATION_SAMPLES} quota marks, one at a time`);
    const marks = await measurePropagation(redis.url(1), TEAM_SECRET, PROPAGATION_SAMPLES);
    console.log('\nTeam mode: a mark learned by gateway a, until gateway b selects by it (two team members in one process, one redis-server)');
    for (const [name, samples] of [
      ['cooldown', marks.cooldownMs],
      ['quota mark', marks.quotaMs],
    ] as const) {
      const max = Math.max(...samples);
      console.log(
        `  ${name.padEnd(11)} p50 ${percentile(samples, 50).toFixed(3)} ms  p99 ${percentile(samples, 99).toFixed(3)} ms  max ${max.toFixed(3)} ms  (${samples.length} marks; target <= ${PROPAGATION_TARGET_MS} ms: ${max <= PROPAGATION_TARGET_MS ? 'met' : 'MISSED'})`,
      );
    }
  } finally {
    // The gateways go before the store they are connected to.
    killAll();
    await redis.stop();
  }
});
