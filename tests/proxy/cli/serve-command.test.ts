// `switchyard serve` as a user runs it: a real process, real files, a real signal to stop it.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { openFileRuntime } from '../../../src-proxy/cli/file-runtime.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';
import { recordingIo } from './cli-io.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

let dir: string;
let upstream: FakeAnthropic;
let child: ChildProcessWithoutNullStreams | null = null;
/** Servers started by a test besides `child`. */
const others: ChildProcessWithoutNullStreams[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
  upstream = await startFakeAnthropic();
});
afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  for (const proc of others.splice(0)) proc.kill('SIGKILL');
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Starts `switchyard serve` from source and resolves with its URL once it says it is listening; on a
 * free port unless `portSetting`, which leaves the port to the settings.
 */
function serve(args: string[] = [], portSetting = false): Promise<{ url: string; output: () => string; exited: Promise<number | null> }> {
  const port = portSetting ? [] : ['--port', '0'];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src-proxy/cli/index.ts', 'serve', ...port, '--console-port', '0', '--data-dir', dir, ...args], {
    cwd: ROOT,
  });
  child = proc;
  let output = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The banner's last line names the URL to give Claude Code.
      const m = /ANTHROPIC_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, output: () => output, exited });
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

/** A server holding a port on 127.0.0.1, as another program would. */
async function listening(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

async function freePort(): Promise<number> {
  const server = await listening();
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// A port found free may be taken by another test process before serve listens on it: each of these
// tries another when, and only when, the answer is that the port is in use.
const PORT_TRIES = 5;

/** `serve` on the port the settings name, set to one found free. */
async function serveOnASettingsPort(): ReturnType<typeof serve> {
  for (let tried = 1; ; tried++) {
    expect(await main(['config', 'set', 'port', String(await freePort()), '--data-dir', dir], recordingIo())).toBe(0);
    try {
      return await serve([], true);
    } catch (err) {
      if (tried === PORT_TRIES || !/already in use/.test(String(err))) throw err;
    }
  }
}

/** `config set port` to a port found free, through the running serve; resolves with the port it moved to. */
async function movedToAFreePort(): Promise<number> {
  for (let tried = 1; ; tried++) {
    const port = await freePort();
    const io = recordingIo();
    const code = await main(['config', 'set', 'port', String(port), '--data-dir', dir], io);
    if (code === 0) return port;
    if (tried === PORT_TRIES || !io.stderr.join('\n').includes('already in use'))
      throw new Error(`config set port ${port} exited ${code}: ${io.stderr.join('\n')}`);
  }
}

/** Starts a server without waiting for it: it ends up serving (its banner printed) or exits with a code. */
function startRacer(): Promise<{ serving: true; proc: ChildProcessWithoutNullStreams } | { serving: false; code: number | null; output: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src-proxy/cli/index.ts', 'serve', '--port', '0', '--console-port', '0', '--data-dir', dir], {
    cwd: ROOT,
  });
  others.push(proc);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve neither served nor exited:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ANTHROPIC_BASE_URL=/.test(output)) {
        clearTimeout(timer);
        resolve({ serving: true, proc });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ serving: false, code, output });
    });
  });
}

async function addAccount() {
  const io = recordingIo({ UPSTREAM_KEY: 'sk-upstream' });
  const code = await main(
    ['accounts', 'add', '--provider', 'anthropic', '--base-url', upstream.url, '--key-env', 'UPSTREAM_KEY', '--label', 'serve@example.com', '--data-dir', dir],
    io,
  );
  expect(code).toBe(0);
}

describe('switchyard serve', () => {
  it('serves requests, logs them, stops cleanly on SIGTERM, and keeps the history across restarts', async () => {
    await addAccount();
    const first = await serve();
    const port = new URL(first.url).port;
    expect(first.output()).toContain(`Switchyard gateway listening on 127.0.0.1:${port} (loopback only; auth off)\n`);
    expect(first.output()).toContain(`ANTHROPIC_BASE_URL=${first.url} claude\n`);
    expect(first.output()).not.toContain('from other machines');
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const res = await postJson(`${first.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('serve@example.com');
    expect(upstream.messageRequests()[0]!.key).toBe('sk-upstream');

    child!.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/200 POST \/v1\/messages claude-sonnet-4-6 \[serve@example.com\]/);
    expect(first.output()).toContain('SIGTERM: stopping');
    expect(first.output()).not.toContain('sk-upstream');

    // The history is on disk, bounded, and read back by the next run.
    const lines = (await readFile(join(dir, 'request-history.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const runtime = await openFileRuntime(dir);
    const [entry] = await runtime.listRequests({});
    await runtime.close();
    expect(entry).toMatchObject({ path: '/v1/messages', status: 200, account_label: 'serve@example.com' });
  });

  it('prints the console URL with its token, keeps the token across restarts, and the console stays up while the gateway is stopped', async () => {
    const first = await serve(['--quiet']);
    const consoleUrl = /console: (http:\/\/127\.0\.0\.1:\d+\/ui\/#token=([A-Za-z0-9_-]+))\n/.exec(first.output());
    expect(consoleUrl).not.toBeNull();
    const token = consoleUrl![2]!;
    expect((await readFile(join(dir, 'console-token'), 'utf8')).trim()).toBe(token);
    if (process.platform !== 'win32') expect((await stat(join(dir, 'console-token'))).mode & 0o777).toBe(0o600);
    const origin = new URL(consoleUrl![1]!).origin;
    const api = (method: string) => fetch(`${origin}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{"args":[]}' });
    expect(await (await api('stopGateway')).json()).toMatchObject({ ok: true, value: { running: false } });
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    expect(await (await api('getStatus')).json()).toMatchObject({ ok: true, value: { running: false } });
    expect((await fetch(`${origin}/api/getStatus`, { method: 'POST', body: '{"args":[]}' })).status).toBe(401);
    child!.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await serve(['--quiet']);
    expect(second.output()).toContain(`#token=${token}\n`);
  });

  it('stops on SIGINT too', async () => {
    const run = await serve(['--quiet']);
    child!.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('refuses to listen beyond loopback without authentication', async () => {
    const io = recordingIo();
    const code = await main(['serve', '--host', '0.0.0.0', '--port', '0', '--console-port', '0', '--data-dir', dir], io);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(
      /Refusing to listen on 0\.0\.0\.0 \(all interfaces, from serve --host\) without authentication: .* or run serve with --host 127\.0\.0\.1\./,
    );
  });

  it('refuses, through the running server, to turn authentication off while it listens on 0.0.0.0', async () => {
    await addAccount();
    const setup = recordingIo();
    expect(await main(['config', 'set', 'api_key', 'sk-lan-key', '--data-dir', dir], setup)).toBe(0);
    expect(await main(['config', 'set', 'auth_mode', 'strict', '--data-dir', dir], setup)).toBe(0);
    // Bound to all interfaces; the test talks to it on 127.0.0.1 only.
    const running = await serve(['--host', '0.0.0.0']);
    const onDisk = await readFile(join(dir, 'settings.json'), 'utf8');

    const off = recordingIo();
    expect(await main(['config', 'set', 'auth_mode', 'off', '--data-dir', dir], off)).toBe(2);
    expect(off.stdout).toEqual([]);
    // "from serve --host": the running server judged it, with the address it really listens on.
    expect(off.stderr).toEqual([
      "switchyard: Refusing to turn authentication off: the gateway's listen address is 0.0.0.0 (all interfaces, from serve --host), so anyone on the network could use your upstream accounts without a key. " +
        'Keep authentication on, or first restart serve with --host 127.0.0.1.',
    ]);
    const clear = recordingIo();
    expect(await main(['config', 'set', 'api_key', '', '--data-dir', dir], clear)).toBe(2);
    expect(clear.stderr.join('\n')).toMatch(/^switchyard: Refusing to clear api_key: the gateway's listen address is 0\.0\.0\.0/);

    expect(await readFile(join(dir, 'settings.json'), 'utf8')).toBe(onDisk);
    const get = recordingIo();
    expect(await main(['config', 'get', 'auth_mode', '--data-dir', dir], get)).toBe(0);
    expect(get.stdout).toEqual(['strict']);
    expect((await postJson(`${running.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': '' } })).status).toBe(401);
    expect((await postJson(`${running.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-lan-key' } })).status).toBe(200);
  });

  it('names the address it really listens on when bound to all interfaces, and the URL for Claude Code apart', async () => {
    const setup = recordingIo();
    expect(await main(['config', 'set', 'api_key', 'sk-lan-key', '--data-dir', dir], setup)).toBe(0);
    expect(await main(['config', 'set', 'auth_mode', 'strict', '--data-dir', dir], setup)).toBe(0);
    const running = await serve(['--host', '0.0.0.0']);
    const port = new URL(running.url).port;
    const lines = running.output().split('\n');
    expect(lines[0]).toBe(`Switchyard gateway listening on 0.0.0.0:${port} (all interfaces; auth strict)`);
    expect(running.output()).toContain(`  point Claude Code at it: ANTHROPIC_BASE_URL=http://127.0.0.1:${port} ANTHROPIC_API_KEY=<api_key> claude\n`);
    expect(running.output()).not.toContain('sk-lan-key');
    // With no account yet, it says how to add one: on the command line or in the console it printed.
    await expect.poll(() => running.output()).toContain('    or in the console above\n');
    expect(running.output()).toContain('  no accounts yet: add one with `switchyard accounts add --provider anthropic');
  });

  it('says so when the port is taken', async () => {
    const first = await serve();
    const port = new URL(first.url).port;
    const otherDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-other-'));
    const io = recordingIo();
    const code = await main(['serve', '--port', port, '--data-dir', otherDir], io);
    await rm(otherDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
  });

  it('says so when the console port is taken, and stops the gateway it had started', async () => {
    const first = await serve();
    const consolePort = /console: http:\/\/127\.0\.0\.1:(\d+)\//.exec(first.output())![1]!;
    const otherDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-other-'));
    const io = recordingIo();
    const code = await main(['serve', '--port', '0', '--console-port', consolePort, '--data-dir', otherDir], io);
    await rm(otherDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toContain(`the console cannot listen on 127.0.0.1:${consolePort} (in use); use --console-port PORT, or 0 for a free one.`);
  });

  it('refuses a port in use through the running server: exit 2, nothing saved, still serving, and the next port moves it', async () => {
    const running = await serveOnASettingsPort();
    const taken = await listening();
    const takenPort = (taken.address() as AddressInfo).port;
    try {
      const refused = recordingIo();
      expect(await main(['config', 'set', 'port', String(takenPort), '--data-dir', dir], refused)).toBe(2);
      expect(refused.stderr.join('\n')).toContain(`Port ${takenPort} on 127.0.0.1 is already in use`);
      const shown = recordingIo();
      expect(await main(['config', 'get', 'port', '--data-dir', dir], shown)).toBe(0);
      expect(shown.stdout).toEqual([new URL(running.url).port]);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

      const next = await movedToAFreePort();
      expect((await fetch(`http://127.0.0.1:${next}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('lets exactly one of two servers started at the same moment run, on a fresh folder and over the lock of one killed with -9', async () => {
    for (const round of ['fresh folder', 'after kill -9']) {
      if (round === 'after kill -9') {
        const killed = await serve();
        child!.kill('SIGKILL');
        await killed.exited;
      }
      const outcomes = await Promise.all([startRacer(), startRacer()]);
      const serving = outcomes.filter((o) => o.serving);
      const refused = outcomes.filter((o) => !o.serving);
      expect(serving, round).toHaveLength(1);
      expect(refused[0]).toMatchObject({ code: 1, output: expect.stringMatching(/another switchyard serve \(pid \d+\) is using/) });
      const winner = serving[0]!.proc;
      const exited = new Promise((resolve) => winner.on('exit', resolve));
      winner.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('starts over a control.json left pointing at another web server', async () => {
    const foreign = await listening();
    try {
      const url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
      await writeFile(join(dir, 'control.json'), JSON.stringify({ pid: process.pid, url, token: 'left-behind-token-0123456789' }));
      const running = await serve();
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect(JSON.parse(await readFile(join(dir, 'control.json'), 'utf8')).pid).toBe(child!.pid);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('refuses a second server on the same data folder', async () => {
    await serve();
    const io = recordingIo();
    expect(await main(['serve', '--port', '0', '--data-dir', dir], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/another switchyard serve \(pid \d+\) is using/);
  });

  it('applies account and setting changes made while it runs, and loses none of them when it stops', async () => {
    const running = await serve();
    await addAccount(); // goes through the running server
    const res = await postJson(`${running.url}/v1/messages`, messagesBody());
    expect(res.headers.get('x-account-email')).toBe('serve@example.com');

    const io = recordingIo();
    expect(await main(['config', 'set', 'api_key', 'sk-live-change', '--data-dir', dir], io)).toBe(0);
    expect(await main(['config', 'set', 'auth_mode', 'strict', '--data-dir', dir], io)).toBe(0);
    expect((await postJson(`${running.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect((await postJson(`${running.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-live-change' } })).status).toBe(200);

    child!.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    const accounts = JSON.parse(await readFile(join(dir, 'accounts.json'), 'utf8'));
    expect(accounts.accounts).toEqual([expect.objectContaining({ label: 'serve@example.com', stats: expect.objectContaining({ requests: 2 }) })]);
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ auth_mode: 'strict', api_key: 'sk-live-change' });
    await expect(readFile(join(dir, 'control.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
