// `npm run bench`, fallback chains: what a rule's chain costs when its first link cannot serve. One
// `switchyard serve`, set up with the CLI as users set it up (strict auth, the request log on), with
// three rules that end on the same Anthropic account and fake upstream:
// - direct: the rule's only link is that account;
// - skipped primary: the first link's only account is out for a day (a 429 with a day's retry-after,
//   taken during the warm-up), so the link is passed over without an attempt;
// - live-failing primary: the first link's only account answers 500 on every request (no cooldown
//   follows a server error), so each request makes one attempt there first.
// A sequential client (concurrency 1, small non-streaming requests) takes the three rules and a direct
// call to the fake in turn, round after round, so a slow moment of the machine lands on all alike.
// Every account is on one fake (chain-fake-child.ts), which answers by the account's key.
// Targets: the skipped primary adds at most 0.3 ms at p50 over the direct rule; the live-failing one
// costs one upstream round trip, no more: exactly one request reaches its upstream per request, and its
// added p50 is about a direct call's. Exits 0 whatever the figures; non-zero only when the harness broke.

import { join } from 'node:path';
import { MODEL } from './bodies.js';
import { bundleScripts, REPO_DIR } from './bundle.js';
import { runClientProcess } from './client-runner.js';
import { forkServer } from './forked-server.js';
import { progressOf, runBench } from './harness.js';
import type { LatencyJob, LatencyResult } from './latency-child.js';
import { startLoggedServer } from './logged-server.js';
import { percentile } from './stats.js';
import { configureAnthropicDataDir, serveArgs, switchyard } from './switchyard-cli.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 6;
const PER_ROUND = QUICK ? 150 : 700;
const WARMUP = QUICK ? 100 : 500;
const TARGET_SKIP_MS = 0.3;
const WATCHDOG_MS = (QUICK ? 2 : 6) * 60_000;

const DIRECT = 'bench-direct';
const SKIPPED = 'bench-skipped-primary';
const LIVE_FAIL = 'bench-failing-primary';
const SERVING = 'a@example.com';
const DEAD_KEY = 'sk-fake-bench-dead';
const FLAKY_KEY = 'sk-fake-bench-flaky';

const progress = progressOf('fallback');

function rules(): unknown[] {
  const serving = { provider: 'anthropic', accounts: [SERVING] };
  return [
    { match: DIRECT, ...serving },
    { match: SKIPPED, provider: 'anthropic', accounts: ['dead'], fallback: [serving] },
    { match: LIVE_FAIL, provider: 'anthropic', accounts: ['flaky'], fallback: [serving] },
  ];
}

runBench('fallback', WATCHDOG_MS, async (work) => {
  const scripts = await bundleScripts(work);
  const fake = await forkServer('chain upstream', scripts.chainFake, [DEAD_KEY, FLAKY_KEY]);
  const dataDir = join(work, 'data');
  progress('configuring the data folder with the CLI');
  await configureAnthropicDataDir(dataDir, fake.url);
  for (const [label, key] of [
    ['dead', DEAD_KEY],
    ['flaky', FLAKY_KEY],
  ] as const) {
    await switchyard(dataDir, ['accounts', 'add', '--provider', 'anthropic', '--base-url', fake.url, '--label', label, '--key-env', 'BENCH_REFUSED_KEY'], {
      BENCH_REFUSED_KEY: key,
    });
  }
  await switchyard(dataDir, ['config', 'set', 'model_rules', JSON.stringify(rules())]);
  const serve = await startLoggedServer('gateway', serveArgs(dataDir, null), work, REPO_DIR);

  const targets = [
    { name: 'upstream', url: fake.url, model: MODEL },
    { name: 'direct', url: serve.url, model: DIRECT },
    { name: 'skipped', url: serve.url, model: SKIPPED },
    { name: 'failing', url: serve.url, model: LIVE_FAIL },
  ];
  const run = (warmup: number, count: number) =>
    runClientProcess<LatencyResult>('latency client', scripts.latency, { size: 'small', targets, warmup, count, timeLimitMs: 240_000 } satisfies LatencyJob, {
      timeoutMs: 300_000,
    });
  progress(`warm-up, ${WARMUP} requests per target (the dead account is put out by the first)`);
  await run(WARMUP, 0);
  const before = await fake.call<Record<string, number>>('counts');
  const latencies: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    progress(`round ${r + 1} of ${ROUNDS}: ${PER_ROUND} sequential requests per target`);
    const out = await run(0, PER_ROUND);
    for (const t of targets) latencies[t.name]!.push(...out.latenciesMs[t.name]!);
    await serve.assertAlive();
  }
  const after = await fake.call<Record<string, number>>('counts');
  const measured = ROUNDS * PER_ROUND;
  const tries = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);

  const p50 = (name: string) => percentile(latencies[name]!, 50);
  const p99 = (name: string) => percentile(latencies[name]!, 99);
  const skipAdds = p50('skipped') - p50('direct');
  const failAdds = p50('failing') - p50('direct');
  console.log('\nFallback chains: sequential small requests, one serve, rules ending on the same account');
  for (const [name, label] of [
    ['upstream', 'fake Anthropic API, direct'],
    ['direct', 'rule straight to the serving account'],
    ['skipped', 'first link out (skipped), then that account'],
    ['failing', 'first link failing live (500), then that account'],
  ] as const) {
    console.log(`  ${label.padEnd(50)} p50 ${p50(name).toFixed(3)} ms  p99 ${p99(name).toFixed(3)} ms  (${latencies[name]!.length} requests)`);
  }
  console.log(
    `  a skipped first link adds ${skipAdds.toFixed(3)} ms at p50 (target <= ${TARGET_SKIP_MS} ms): ${skipAdds <= TARGET_SKIP_MS ? 'met' : 'MISSED'}; ` +
      `its upstream was sent ${tries(DEAD_KEY)} of the ${measured} requests`,
  );
  console.log(
    `  a link failing live adds ${failAdds.toFixed(3)} ms at p50, a direct call to the fake takes ${p50('upstream').toFixed(3)} ms; ` +
      `its upstream was sent ${tries(FLAKY_KEY)} of the ${measured} requests (target: one each): ${tries(FLAKY_KEY) === measured ? 'met' : 'MISSED'}`,
  );
  await serve.stop();
  await fake.stop();
});
