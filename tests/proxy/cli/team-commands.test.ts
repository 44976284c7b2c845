// `switchyard accounts` and `switchyard config` on a data folder that belongs to a team while no gateway
// runs on it: they act on the team, as the folder's gateway would, and the folder's own files keep only
// what each gateway keeps for itself. When the team cannot be joined, nothing changes and the command
// says why. Real redis-server, real commands in-process.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { recordingIo } from './cli-io.js';

const SECRET = 'a team secret for the command tests';
const TEAM_ENV = { SWITCHYARD_TEAM_SECRET: SECRET };

let redis: RedisServer;
let db = 0;
const dirs: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-team-cmd-'));
  dirs.push(dir);
  return dir;
}

async function run(dir: string, args: string[], env: NodeJS.ProcessEnv = TEAM_ENV) {
  const io = recordingIo(env);
  const code = await main([...args, '--data-dir', dir], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

/** A data folder that belongs to the team at `url` (as `config set team.redis_url` makes one). */
async function teamFolder(url: string): Promise<string> {
  const dir = await folder();
  expect((await run(dir, ['config', 'set', 'team.redis_url', url])).code).toBe(0);
  return dir;
}

const addAccount = (dir: string, label: string, env: NodeJS.ProcessEnv = TEAM_ENV) =>
  run(dir, ['accounts', 'add', '--provider', 'anthropic', '--base-url', 'http://127.0.0.1:9', '--key-env', 'K', '--label', label], { ...env, K: 'sk-cmd-key' });

const accountsFile = async (dir: string) => readFile(join(dir, 'accounts.json'), 'utf8').catch(() => '');

describe('commands on a team folder with no gateway running', () => {
  it('adds an account and changes a shared setting in the team, where every other folder of the team sees them', async () => {
    const url = redis.url(db++);
    const mine = await teamFolder(url);
    const other = await teamFolder(url);
    const added = await addAccount(mine, 'team-cmd@example.com');
    expect(added.code).toBe(0);
    expect(added.err).toContain(`no gateway runs on ${mine}; acting on its team at ${url}.`);
    expect((await run(mine, ['config', 'set', 'api_key', 'sk-sy-from-a-command'])).code).toBe(0);

    const listed = await run(other, ['accounts', 'list']);
    expect(listed.out).toContain('team-cmd@example.com');
    expect((await run(other, ['config', 'get', 'api_key'])).out).toBe('sk-sy-from-a-command');
    // The folder's own files hold no account: the team's are the ones its gateway serves.
    expect(await accountsFile(mine)).not.toContain('team-cmd@example.com');

    // A command is not a gateway: the team lists none.
    const client = new Redis(url);
    try {
      expect(await client.hgetall('switchyard:gateways')).toEqual({});
    } finally {
      client.disconnect();
    }
  });

  it('keeps the settings each gateway has for itself in the folder, and reads them there even while the team cannot be reached', async () => {
    const url = redis.url(db++);
    const mine = await teamFolder(url);
    const other = await teamFolder(url);
    expect((await run(mine, ['config', 'set', 'port', '9123'])).code).toBe(0);
    expect((await run(other, ['config', 'get', 'port'])).out).toBe('8045');
    expect((await run(mine, ['config', 'get', 'port'], {})).out).toBe('9123');
  });

  it('changes nothing and says why when the team store does not answer, and lets the folder’s team address be corrected', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const dir = await teamFolder(`redis://127.0.0.1:${port}/0`);

    const refused = await addAccount(dir, 'lost@example.com');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`belongs to the team at redis://127\\.0\\.0\\.1:${port}/0, and no gateway runs on it`));
    expect(refused.err).toContain('Cannot reach the team store');
    expect(refused.err).toContain('Nothing was changed.');
    expect(await accountsFile(dir)).not.toContain('lost@example.com');

    const url = redis.url(db++);
    expect((await run(dir, ['config', 'set', 'team.redis_url', url])).code).toBe(0);
    expect((await addAccount(dir, 'found@example.com')).code).toBe(0);
    expect((await run(dir, ['accounts', 'list'])).out).toContain('found@example.com');
  });

  it('refuses without the team secret, and with a secret that is not the team’s, naming what is missing', async () => {
    const url = redis.url(db++);
    const dir = await teamFolder(url);
    expect((await addAccount(dir, 'first@example.com')).code).toBe(0);

    const noSecret = await addAccount(dir, 'second@example.com', {});
    expect(noSecret.code).toBe(1);
    expect(noSecret.err).toContain('SWITCHYARD_TEAM_SECRET');
    const wrong = await addAccount(dir, 'second@example.com', { SWITCHYARD_TEAM_SECRET: 'not the secret of this team' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('The team secret does not match the team');
    expect((await run(dir, ['accounts', 'list'])).out).not.toContain('second@example.com');
  });

  it('edits the folder’s files as before when the folder has no team', async () => {
    const dir = await folder();
    expect((await addAccount(dir, 'alone@example.com', {})).code).toBe(0);
    expect(await accountsFile(dir)).toContain('alone@example.com');
  });
});
