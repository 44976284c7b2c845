// Two `switchyard serve --redis` processes of one team, as a team runs them: real processes, their own
// data folders, one real redis-server, the CLI talking to one of them.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';
import { recordingIo } from './cli-io.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TEAM_ENV = { SWITCHYARD_TEAM_SECRET: 'a team secret for the tests' };
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let redis: RedisServer;
let upstream: FakeAnthropic;
const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startFakeAnthropic();
});
afterAll(async () => {
  await upstream.close();
  await redis.stop();
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

interface Served {
  url: string;
  dir: string;
  proc: ChildProcessWithoutNullStreams;
  output: () => string;
}

async function serve(args: string[], env: NodeJS.ProcessEnv = TEAM_ENV, dataDir?: string): Promise<Served> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-team-serve-')));
  dirs.push(dir);
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-proxy/cli/index.ts', 'serve', '--port', '0', '--console-port', '0', '--data-dir', dir, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
    },
  );
  children.push(proc);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /ANTHROPIC_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, dir, proc, output: () => output });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function teamStatus(dir: string): Promise<string> {
  const io = recordingIo();
  expect(await main(['team', 'status', '--data-dir', dir], io)).toBe(0);
  return io.stdout.join('\n');
}

describe('switchyard serve --redis', () => {
  it('shares accounts and the gateway key added through one gateway with the other, lists both, and goes on when one is killed', async () => {
    const url = redis.url(1);
    const a = await serve(['--redis', url, '--quiet']);
    const b = await serve(['--quiet'], { ...TEAM_ENV, SWITCHYARD_REDIS_URL: url });
    expect(a.output()).toMatch(/team: redis:\/\/127\.0\.0\.1:\d+\/1 as \S+/);

    // Through A's running server, as a user adds an account and turns on the gateway key.
    const add = recordingIo({ UPSTREAM_KEY: 'sk-upstream-team' });
    expect(
      await main(
        [
          'accounts',
          'add',
          '--provider',
          'anthropic',
          '--base-url',
          upstream.url,
          '--key-env',
          'UPSTREAM_KEY',
          '--label',
          'team@example.com',
          '--data-dir',
          a.dir,
        ],
        add,
      ),
    ).toBe(0);
    expect(await main(['config', 'set', 'api_key', 'sk-sy-team', '--data-dir', a.dir], recordingIo())).toBe(0);
    expect(await main(['config', 'set', 'auth_mode', 'strict', '--data-dir', a.dir], recordingIo())).toBe(0);

    await eventually(async () => (await postJson(`${b.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-sy-team' } })).status === 200);
    expect((await postJson(`${b.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect(upstream.messageRequests().at(-1)!.key).toBe('sk-upstream-team');

    await eventually(async () => (await teamStatus(b.dir)).startsWith('Team: 2 gateways'));
    // Each gateway with its address and version, once both have said where they listen.
    await eventually(async () => {
      const listed = await teamStatus(a.dir);
      return listed.startsWith('Team: 2 gateways') && listed.includes(`${a.url}  v${VERSION}`) && listed.includes(`${b.url}  v${VERSION}`);
    });

    a.proc.kill('SIGKILL');
    for (let i = 0; i < 5; i++) {
      expect((await postJson(`${b.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-sy-team' } })).status).toBe(200);
    }
    await eventually(async () => (await teamStatus(b.dir)).startsWith('Team: 1 gateway on'), 10_000);
    expect(await teamStatus(b.dir)).toMatch(/\(silent\)/);
  });

  it('keeps the other gateway off an account a stream holds, and forgets that stream once its gateway is killed', async () => {
    const url = redis.url(4);
    const a = await serve(['--redis', url, '--quiet']);
    const b = await serve(['--quiet'], { ...TEAM_ENV, SWITCHYARD_REDIS_URL: url });
    for (const [label, key] of [
      ['one@example.com', 'sk-held-one'],
      ['two@example.com', 'sk-held-two'],
    ] as const) {
      const io = recordingIo({ K: key });
      expect(
        await main(['accounts', 'add', '--provider', 'anthropic', '--base-url', upstream.url, '--key-env', 'K', '--label', label, '--data-dir', a.dir], io),
      ).toBe(0);
    }
    // Each request its own conversation, so no binding decides for the rotation.
    let n = 0;
    const question = (text: string) => messagesBody({ messages: [{ role: 'user', content: text }] });
    const servedBy = async (m: Served) => (await postJson(`${m.url}/v1/messages`, question(`held ${n++}`))).headers.get('x-account-email');
    await eventually(async () => (await servedBy(b)) !== null);

    // A stream on `one`, held by its upstream, through A. A's rotation starts at `one`, unless B's last
    // requests were still counted on it: then `two` answers, and A asks again.
    const onOne = () => upstream.messageRequests().filter((r) => r.key === 'sk-held-one').length;
    const before = onOne();
    upstream.refuse('sk-held-one', { kind: 'hang' });
    const client = new AbortController();
    for (let tries = 1; onOne() === before; tries++) {
      if (tries > 5) throw new Error('A never sent the held stream to one@example.com');
      const held = postJson(`${a.url}/v1/messages`, { ...question(`held ${n++}`), stream: true }, { signal: client.signal }).then((r) => r.text());
      await Promise.race([held, upstream.waitFor(() => onOne() > before, 10_000)]).catch(() => undefined);
    }
    upstream.refuse('sk-held-one', null);
    // B's rotation alternates; while the stream lasts it keeps to `two`.
    await eventually(async () => {
      for (let i = 0; i < 4; i++) if ((await servedBy(b)) !== 'two@example.com') return false;
      return true;
    });

    a.proc.kill('SIGKILL');
    client.abort();
    await eventually(async () => (await servedBy(b)) === 'one@example.com', 15_000);
  });

  it('refuses to start with a team secret that is not the team’s', async () => {
    const url = redis.url(2);
    await serve(['--redis', url, '--quiet']);
    const io = recordingIo({ SWITCHYARD_TEAM_SECRET: 'another secret, also long' });
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-team-serve-'));
    dirs.push(dir);
    expect(await main(['serve', '--redis', url, '--port', '0', '--console-port', '0', '--data-dir', dir], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/The team secret does not match the team at redis:\/\/127\.0\.0\.1:\d+\/2/);
  });

  it('seeds an empty team from the data folder, and never a team that has accounts', async () => {
    const url = redis.url(3);
    const seededDir = await mkdtemp(join(tmpdir(), 'switchyard-team-seed-'));
    dirs.push(seededDir);
    const add = (label: string, dir: string) =>
      main(
        ['accounts', 'add', '--provider', 'anthropic', '--base-url', upstream.url, '--key-env', 'K', '--label', label, '--data-dir', dir],
        recordingIo({ K: 'sk-local' }),
      );
    expect(await add('local@example.com', seededDir)).toBe(0);
    const first = await serve(['--redis', url, '--seed-from-local', '--quiet'], TEAM_ENV, seededDir);
    expect(first.output()).toContain('seeded the empty team with 1 account(s)');
    const second = await serve(['--redis', url, '--seed-from-local', '--quiet']);
    expect(second.output()).toContain('not seeded: the team already has 1 account(s)');
    await eventually(async () => (await postJson(`${second.url}/v1/messages`, messagesBody())).headers.get('x-account-email') === 'local@example.com');
  });
});
