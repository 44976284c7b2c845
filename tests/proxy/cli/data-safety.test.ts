// What `switchyard serve` keeps in its data folder survives what happens to a process: a kill -9 in
// the middle of a burst of account, settings and usage writes, servers racing for the folder at the
// next start, and any of its files left truncated or overwritten with garbage. After each: every file
// is valid, every change a caller was told was made is still there, no temporary file (keys and all)
// is left behind, and a damaged file is kept aside, named in one plain line, while everything else
// goes on.

import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectToRunningServer } from '../../../src-proxy/cli/control-file.js';
import { DATA_FILES, openFileRuntime } from '../../../src-proxy/cli/file-runtime.js';
import { main } from '../../../src-proxy/cli/main.js';
import type { ControlClient } from '../../../src-proxy/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startServe, type ServeProcess } from '../../helpers/serve-process.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';
import { recordingIo } from './cli-io.js';

let upstream: FakeAnthropic;
let dir: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  upstream = await startFakeAnthropic();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-data-safety-'));
});
afterEach(async () => {
  for (const serve of running.splice(0)) await serve.kill();
  await rm(dir, { recursive: true, force: true });
});

const serveArgs = () => ['--port', '0', '--console-port', '0', '--data-dir', dir, '--quiet'];

/** Several servers started at the same moment on the folder: the one that serves, and what the others said. */
async function race(count: number): Promise<{ winner: ServeProcess; refusals: string[] }> {
  const outcomes = await Promise.allSettled(Array.from({ length: count }, () => startServe(serveArgs())));
  const serving = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  running.push(...serving);
  const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
  expect(serving).toHaveLength(1);
  return { winner: serving[0]!, refusals };
}

async function control(): Promise<ControlClient> {
  const connected = await connectToRunningServer(dir);
  if (!connected) throw new Error('the running server does not answer on its control address');
  return connected.api;
}

/** Every data file that exists parses: JSON files whole, the history line by line (a line cut by the kill is the loader's to drop). */
async function expectValidFiles(): Promise<void> {
  for (const name of [DATA_FILES.settings, DATA_FILES.accounts, DATA_FILES.secrets, DATA_FILES.stats]) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text !== null) expect(() => JSON.parse(text), name).not.toThrow();
  }
  const history = await readFile(join(dir, DATA_FILES.history), 'utf8').catch(() => '');
  const whole = history.split('\n').slice(0, -1);
  for (const line of whole) expect(() => JSON.parse(line), DATA_FILES.history).not.toThrow();
}

const tempFiles = async () => (await readdir(dir)).filter((f) => f.endsWith('.tmp'));

describe('kill -9 during bursts of writes, then servers racing for the folder', () => {
  it('leaves valid files, loses no acknowledged change, sweeps the temporary files, and lets exactly one server start', async () => {
    const ROUNDS = 3;
    const acknowledged = { accounts: new Map<string, string>(), limit: 0, maxAsked: 0, requests: 0 };
    let statsBefore = 0;

    for (let round = 1; round <= ROUNDS; round++) {
      // Round 1 starts on an empty folder; later rounds race three servers over the folder the kill left.
      const { winner, refusals } = await race(round === 1 ? 1 : 3);
      for (const refusal of refusals) expect(refusal).toMatch(/another switchyard serve \(pid \d+\) is using/);
      expect(winner.output()).not.toMatch(/warning|corrupt|Error|\n\s+at /);
      expect(await tempFiles()).toEqual([]);
      const api = await control();

      // Everything acknowledged before the last kill is here, as the restarted server reads it.
      const labels = (await api.listAccounts()).map((a) => a.label);
      for (const label of acknowledged.accounts.keys()) expect(labels).toContain(label);
      const secrets = await readFile(join(dir, DATA_FILES.secrets), 'utf8').catch(() => '');
      for (const key of acknowledged.accounts.values()) expect(secrets).toContain(key);
      const limit = (await api.getSettings()).log_history_limit;
      if (round > 1) {
        expect(limit).toBeGreaterThanOrEqual(acknowledged.limit);
        expect(limit).toBeLessThanOrEqual(acknowledged.maxAsked);
      }
      const stats = (await api.getStats({ bucket: 'day' })).totals.requests;
      expect(stats).toBeGreaterThanOrEqual(statsBefore);
      // A request the kill cut off may have been counted without its answer reaching the client.
      expect(stats).toBeLessThanOrEqual(acknowledged.requests + round - 1);
      statsBefore = stats;

      // Bursts of the three kinds of writes at once, each loop bounded, until the kill cuts them off.
      let killed = false;
      const burst = async (count: number, write: (i: number) => Promise<void>) => {
        for (let i = 0; i < count && !killed; i++) {
          try {
            await write(i);
          } catch {
            if (killed) return;
            throw new Error(`a write failed before the kill (round ${round}, write ${i})`);
          }
        }
      };
      const accountWrites = burst(200, async (i) => {
        const label = `r${round}-account-${i}@example.com`;
        const key = `sk-fake-r${round}-${i}-${'k'.repeat(24)}`;
        await api.addAccount({ provider: 'anthropic', label, api_key: key, options: { base_url: upstream.url } });
        acknowledged.accounts.set(label, key);
      });
      const settingsWrites = burst(400, async (i) => {
        const value = 1000 + round * 1000 + i;
        acknowledged.maxAsked = value;
        await api.updateSettings({ log_history_limit: value });
        acknowledged.limit = value;
      });
      const requests = burst(400, async () => {
        if (acknowledged.accounts.size === 0) return new Promise((r) => setTimeout(r, 5));
        const res = await postJson(`${winner.url}/v1/messages`, messagesBody());
        await res.text();
        acknowledged.requests += 1;
      });
      // The kill comes once every kind of write is well under way.
      await expect
        .poll(() => acknowledged.accounts.size >= round * 5 && acknowledged.limit > 1000 + round * 1000 + 5 && acknowledged.requests > round * 5, {
          timeout: 20_000,
          interval: 5,
        })
        .toBe(true);
      killed = true;
      await winner.kill();
      running.splice(running.indexOf(winner), 1);
      await Promise.all([accountWrites, settingsWrites, requests]);
      await expectValidFiles();
    }
    expect(acknowledged.accounts.size).toBeGreaterThanOrEqual(15);
  }, 120_000);
});

describe('a data file truncated or overwritten with garbage', () => {
  let snapshot: string;

  beforeAll(async () => {
    // A folder in use: accounts with keys, changed settings, requests in the history and the stats.
    snapshot = await mkdtemp(join(tmpdir(), 'switchyard-data-snapshot-'));
    const runtime = await openFileRuntime(snapshot, { listenOverride: { host: '127.0.0.1', port: 0 } });
    await runtime.addAccount({
      provider: 'anthropic',
      label: 'kept@example.com',
      api_key: 'sk-fake-kept-0123456789abcdef',
      options: { base_url: upstream.url },
    });
    await runtime.updateSettings({ log_history_limit: 4321 });
    const status = await runtime.startGateway();
    for (let i = 0; i < 3; i++) await (await postJson(`${status.url!}/v1/messages`, messagesBody())).text();
    await runtime.close();
  });
  afterAll(async () => {
    await rm(snapshot, { recursive: true, force: true });
  });

  const FILES = [DATA_FILES.settings, DATA_FILES.accounts, DATA_FILES.secrets, DATA_FILES.stats, DATA_FILES.history];
  const DAMAGE: Array<[string, (bytes: Buffer) => Buffer]> = [
    ['truncated', (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['garbage', () => Buffer.from([0x00, 0xff, 0x7b, 0x22, 0xfe, 0x0a, 0x5d, 0x5d, 0x01])],
  ];

  it.each(FILES.flatMap((file) => DAMAGE.map(([how, damage]) => [file, how, damage] as const)))(
    '%s %s: one plain warning, the damaged file kept aside as it was, every other file and its data untouched',
    async (file, _how, damage) => {
      await cp(snapshot, dir, { recursive: true });
      const damaged = damage(await readFile(join(dir, file)));
      await writeFile(join(dir, file), damaged);
      const others = FILES.filter((f) => f !== file);
      const before = new Map(await Promise.all(others.map(async (f) => [f, await readFile(join(dir, f))] as const)));

      const io = recordingIo();
      expect(await main(['accounts', 'list', '--json', '--data-dir', dir], io)).toBe(0);
      const err = io.stderr.join('\n');
      expect(err).not.toMatch(/\n\s+at |TypeError|SyntaxError/);

      // Nothing is lost: the damaged bytes are kept aside (or, for a history line cut short, dropped alone).
      const folder = await readdir(dir);
      const aside = folder.filter((f) => f.startsWith(`${file}.corrupt`));
      if (aside.length > 0) {
        expect(aside).toHaveLength(1);
        expect(await readFile(join(dir, aside[0]!))).toEqual(damaged);
        expect(err).toMatch(new RegExp(`^warning: .*kept as .*${aside[0]!.replaceAll('.', '\\.')}`, 'm'));
      } else {
        expect(file).toBe(DATA_FILES.history);
      }
      for (const [f, bytes] of before) expect(await readFile(join(dir, f)), f).toEqual(bytes);

      // What the other files hold is still served.
      const accounts = JSON.parse(io.stdout.join('\n')) as Array<{ label: string }>;
      if (file !== DATA_FILES.accounts) expect(accounts.map((a) => a.label)).toEqual(['kept@example.com']);
      const settings = recordingIo();
      expect(await main(['config', 'get', 'log_history_limit', '--data-dir', dir], settings)).toBe(0);
      if (file !== DATA_FILES.settings) expect(settings.stdout.join('')).toContain('4321');

      // A server starts on the folder and serves with what is left.
      const serve = await startServe(serveArgs());
      running.push(serve);
      const res = await postJson(`${serve.url}/v1/messages`, messagesBody());
      if (file === DATA_FILES.accounts) expect(res.status).toBe(503);
      else if (file === DATA_FILES.secrets) {
        // The account stays; without its key it is named as out of service, and nothing is sent upstream.
        expect(res.status).toBe(502);
        expect(await res.text()).toContain('no API key is stored for this account');
      } else expect(res.status).toBe(200);
      expect(await tempFiles()).toEqual([]);
    },
    30_000,
  );
});
