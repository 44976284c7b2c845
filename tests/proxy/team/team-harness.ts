// Gateways of one team, as the team tests run them: each with its own data folder and listener, one real
// redis-server (started for the test file on a free loopback port, no persistence) between them, real
// upstream fakes behind. Each team gets a Redis database of its own.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openTeamRuntime } from '../../../src-proxy/cli/team-runtime.js';
import type { Account } from '../../../src-proxy/contract/index.js';
import type { Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import type { Team } from '../../../src-proxy/team/join-team.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { messagesBody } from '../../helpers/sse-client.js';

export const SECRET = 'correct horse battery staple';

export interface Member {
  runtime: Runtime;
  team: Team;
  /** The gateway's base URL ('' when not started). */
  url: string;
  instance: string;
}

export interface MemberOptions {
  secret?: string;
  seed?: boolean;
  host?: string;
  start?: boolean;
}

export interface TeamHarness {
  redis(): RedisServer;
  /** A Redis URL with a database no other team of this file uses. */
  freshUrl(): string;
  member(url: string, opts?: MemberOptions): Promise<Member>;
  twoGateways(): Promise<[Member, Member, string]>;
  upstream(): Promise<FakeAnthropic>;
  /**
   * Adds one Anthropic account per label through `through`, each on an upstream fake of its own (key
   * `sk-1`, `sk-2`...), and waits until `seenBy` lists them all; the fakes in the labels' order.
   */
  sharedAccounts<L extends readonly string[]>(through: Member, seenBy: Member, labels: L): Promise<{ [K in keyof L]: FakeAnthropic }>;
  /** Runs at the end of the current test, newest first. */
  cleanup(fn: () => Promise<void>): void;
}

/** Registers the file's hooks (Redis for the file, cleanups after each test) and returns the helpers. */
export function teamHarness(): TeamHarness {
  let redis: RedisServer;
  let db = 0;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const member = async (url: string, opts: MemberOptions = {}): Promise<Member> => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-team-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { runtime, team } = await openTeamRuntime(
      dir,
      { url, secret: opts.secret ?? SECRET },
      { seedFromLocal: opts.seed },
      {
        listenOverride: { host: opts.host ?? '127.0.0.1', port: 0 },
        onInternalError: (err) => {
          throw err;
        },
      },
    );
    cleanups.push(() => runtime.close());
    if (opts.start === false) return { runtime, team, url: '', instance: team.link.instance };
    const status = await runtime.startGateway();
    return { runtime, team, url: status.url!, instance: team.link.instance };
  };
  const freshUrl = () => redis.url(db++);
  const upstream = async () => {
    const fake = await startFakeAnthropic();
    cleanups.push(() => fake.close());
    return fake;
  };
  return {
    redis: () => redis,
    freshUrl,
    member,
    async twoGateways() {
      const url = freshUrl();
      return [await member(url), await member(url), url];
    },
    upstream,
    async sharedAccounts(through, seenBy, labels) {
      const fakes: FakeAnthropic[] = [];
      for (const [i, label] of labels.entries()) {
        const fake = await upstream();
        fakes.push(fake);
        await through.runtime.addAccount({ provider: 'anthropic', label, api_key: `sk-${i + 1}`, options: { base_url: fake.url } });
      }
      await eventually(async () => (await seenBy.runtime.listAccounts()).length === labels.length);
      return fakes as never;
    },
    cleanup: (fn) => void cleanups.push(fn),
  };
}

/** Polls `check` until it holds (at most `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Resolves once the member's accounts satisfy `seen`: at once if they do, else on the change that makes
 * them (no polling: the store's announcement is what it waits for).
 */
export function whenAccounts(m: Member, seen: (accounts: readonly Account[]) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (seen(m.team.accounts.list())) return resolve();
    const off = m.team.accounts.onChange((accounts) => {
      if (!seen(accounts)) return;
      off();
      resolve();
    });
  });
}

/** A request of a conversation of its own (one first message binds one conversation to one account). */
export const question = (n: number | string): Record<string, unknown> => messagesBody({ messages: [{ role: 'user', content: `question ${n}` }] });

export const accountOf = (res: Response): string | null => res.headers.get('x-account-email');
