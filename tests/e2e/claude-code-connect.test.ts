// `switchyard claude connect` with the real Claude Code CLI: a throwaway Claude folder whose settings
// hold permissions, hooks, an env block and an apiKeyHelper, and a shell with no gateway variables at
// all. After connect, `claude -p` reaches the gateway with auth on; after disconnect, the file is the
// original, byte for byte.

import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src-proxy/cli/main.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { runClaude } from '../helpers/claude-cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { recordingIo } from '../proxy/cli/cli-io.js';

// A helper that would win over the gateway key if it were left in place: the gateway refuses its key.
const ORIGINAL = `{
  "permissions": {
    "allow": ["Bash(echo:*)"]
  },
  "hooks": {},
  "env": {
    "FOO": "bar"
  },
  "apiKeyHelper": "echo sk-not-the-gateway-key"
}
`;

let scratch: string;
let data: string;
let claudeDir: string;
let settingsFile: string;
let upstream: FakeAnthropic;
let serve: ServeProcess | null = null;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-claude-connect-'));
  data = join(scratch, 'data');
  claudeDir = join(scratch, 'claude-config');
  settingsFile = join(claudeDir, 'settings.json');
  await mkdir(claudeDir, { recursive: true });
  await writeFile(settingsFile, ORIGINAL);
  await chmod(settingsFile, 0o640);
  upstream = await startFakeAnthropic({ keys: ['sk-upstream'], defaultBehaviour: { kind: 'reply', text: 'hello through switchyard' } });
});
afterEach(async () => {
  await serve?.stop();
  serve = null;
  await upstream.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The shell the user types in: a Claude folder of its own, and no ANTHROPIC_* variable. */
const shellEnv = () => ({ HOME: join(scratch, 'home'), CLAUDE_CONFIG_DIR: claudeDir, UPSTREAM_KEY: 'sk-upstream' });

async function switchyard(...args: string[]): Promise<{ code: number; out: string }> {
  const io = recordingIo(shellEnv());
  const code = await main([...args, '--data-dir', data], io);
  return { code, out: [...io.stdout, ...io.stderr].join('\n') };
}

function claude() {
  return runClaude('Say hello', ['--output-format', 'text'], {
    baseUrl: null,
    apiKey: null,
    scratch,
    env: { CLAUDE_CONFIG_DIR: claudeDir },
  });
}

describe('switchyard claude connect with the real Claude Code', () => {
  it('connects without serve running, reaches the gateway with auth on once serve runs, follows a key change, and disconnects to the original', async () => {
    expect(
      (await switchyard('accounts', 'add', '--provider', 'anthropic', '--base-url', upstream.url, '--key-env', 'UPSTREAM_KEY', '--label', 'work')).code,
    ).toBe(0);
    expect((await switchyard('config', 'set', 'api_key', 'sk-gateway-one')).code).toBe(0);
    expect((await switchyard('config', 'set', 'auth_mode', 'strict')).code).toBe(0);
    expect((await switchyard('claude', 'status')).code).toBe(1);

    // No serve: the command works on the data folder itself.
    const connected = await switchyard('claude', 'connect');
    expect(connected.code, connected.out).toBe(0);
    expect(connected.out).toContain(`Claude Code now uses Switchyard: ${settingsFile} points at http://127.0.0.1:8045 with the gateway key.`);
    const written = JSON.parse(await readFile(settingsFile, 'utf8'));
    expect(written).toEqual({
      permissions: { allow: ['Bash(echo:*)'] },
      hooks: {},
      env: {
        FOO: 'bar',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:8045',
        ANTHROPIC_AUTH_TOKEN: 'sk-gateway-one',
        CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1',
      },
    });
    expect((await stat(settingsFile)).mode & 0o777).toBe(0o640);

    // serve listens on a port of its own choosing this run: the connected file follows it.
    serve = await startServe(['--port', '0', '--console-port', '0', '--data-dir', data, '--quiet']);
    const status = await switchyard('claude', 'status');
    expect(status.code, status.out).toBe(0);
    expect(status.out).toContain(`points at ${serve.url}.`);

    const first = await claude();
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stdout.trim()).toBe('hello through switchyard');
    expect(upstream.messageRequests().length).toBeGreaterThan(0);

    // A new gateway key, set through the running serve, reaches the file; Claude Code keeps working.
    expect((await switchyard('config', 'set', 'api_key', 'sk-gateway-two')).code).toBe(0);
    await waitFor(async () => JSON.parse(await readFile(settingsFile, 'utf8')).env.ANTHROPIC_AUTH_TOKEN === 'sk-gateway-two');
    const second = await claude();
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);

    // Connecting again loses nothing; disconnect puts the original back exactly.
    expect((await switchyard('claude', 'connect')).out).toContain('It was connected already');
    const disconnected = await switchyard('claude', 'disconnect');
    expect(disconnected.out).toBe(`${settingsFile} is back as it was before connect.`);
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
    expect((await stat(settingsFile)).mode & 0o777).toBe(0o640);
    expect((await switchyard('claude', 'status')).code).toBe(1);
  }, 120_000);

  it('refuses a settings file that is not JSON, saying where, and leaves it as it is', async () => {
    const broken = '{\n  "env": {\n    "FOO": "bar"\n  \n';
    await writeFile(settingsFile, broken);
    const result = await switchyard('claude', 'connect');
    expect(result.code).toBe(2);
    expect(result.out).toBe(`switchyard: ${settingsFile} is not valid JSON (it ends early, at line 5, column 1). Fix it first; nothing was changed.`);
    expect(await readFile(settingsFile, 'utf8')).toBe(broken);
  });
});

/** Polls `check` every 20 ms, for at most 5 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met within 5 s');
}
