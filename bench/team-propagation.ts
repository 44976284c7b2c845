// How long a pool mark learned by one gateway of a team takes to be what another gateway selects by:
// from the moment gateway A records a cooldown (or a quota mark) on an account, to the moment gateway
// B's account store holds it. Both gateways are team members built as `serve --redis` builds them, in
// this process, each with its own three connections to the redis-server; one mark at a time, so each
// sample is one trip (A's outbox -> the store's script -> the changes channel -> B).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Account } from '../src-proxy/contract/index.js';
import { openTeamRuntime } from '../src-proxy/cli/team-runtime.js';
import type { Runtime } from '../src-proxy/runtime/create-runtime.js';
import type { Team } from '../src-proxy/team/join-team.js';

export interface Propagation {
  cooldownMs: number[];
  quotaMs: number[];
}

const MARK_TIMEOUT_MS = 5000;

async function member(url: string, secret: string): Promise<{ runtime: Runtime; team: Team; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-bench-propagation-'));
  const { runtime, team } = await openTeamRuntime(dir, { url, secret }, {});
  return { runtime, team, dir };
}

/** Resolves with the time `seen` first holds for B's accounts after `mark` ran on A. */
function timeUntil(b: Team, seen: (a: Account) => boolean, mark: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let start = 0;
    const timer = setTimeout(() => {
      off();
      reject(new Error('a mark did not reach the other gateway within 5 s'));
    }, MARK_TIMEOUT_MS);
    const off = b.accounts.onChange((accounts) => {
      if (!accounts.some(seen)) return;
      const took = performance.now() - start;
      clearTimeout(timer);
      off();
      resolve(took);
    });
    start = performance.now();
    mark();
  });
}

export async function measurePropagation(url: string, secret: string, samples: number): Promise<Propagation> {
  const a = await member(url, secret);
  const b = await member(url, secret);
  try {
    const added = await a.runtime.addAccount({
      provider: 'anthropic',
      label: 'marks@example.com',
      api_key: 'sk-bench',
      options: { base_url: 'http://127.0.0.1:9' },
    });
    const id = added.id;
    const deadline = performance.now() + MARK_TIMEOUT_MS;
    while (!b.team.accounts.get(id)) {
      if (performance.now() > deadline) throw new Error('the account did not reach the other gateway');
      await new Promise((r) => setTimeout(r, 10));
    }
    const out: Propagation = { cooldownMs: [], quotaMs: [] };
    for (let i = 0; i < samples; i++) {
      const model = `bench-model-${i}`;
      const until = Date.now() + 60_000;
      out.cooldownMs.push(
        await timeUntil(
          b.team,
          (x) => x.id === id && x.cooldowns.some((c) => c.model === model),
          () => a.team.accounts.patchRuntime(id, (x) => ({ ...x, cooldowns: [{ model, until, reason: 'rate_limit' }] })),
        ),
      );
      out.quotaMs.push(
        await timeUntil(
          b.team,
          (x) => x.id === id && x.learned.quota.some((q) => q.model === model && q.remaining === 0),
          () =>
            a.team.accounts.patchRuntime(id, (x) => ({
              ...x,
              learned: { ...x.learned, quota: [{ model, remaining: 0, resets_at: until }], updated_at: Date.now() },
            })),
        ),
      );
    }
    return out;
  } finally {
    for (const m of [a, b]) {
      await m.runtime.close();
      await rm(m.dir, { recursive: true, force: true });
    }
  }
}
