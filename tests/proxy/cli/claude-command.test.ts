// `switchyard claude connect|status|disconnect` as a user types them, on a data folder and a Claude
// folder of their own.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { recordingIo } from './cli-io.js';

let dir: string;
let claudeDir: string;
let settingsFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-claude-cli-'));
  claudeDir = join(dir, 'claude');
  settingsFile = join(claudeDir, 'settings.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = recordingIo({ HOME: join(dir, 'home'), CLAUDE_CONFIG_DIR: claudeDir, ...env });
  const code = await main([...args, '--data-dir', join(dir, 'data')], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const settings = async () => JSON.parse(await readFile(settingsFile, 'utf8')) as { env: Record<string, string> };

describe('switchyard claude', () => {
  it('prints its usage on --help, and exits 2 without a subcommand', async () => {
    const help = await run(['claude', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: switchyard claude <connect\|status\|disconnect>/);
    expect((await run(['claude', 'status', '--help'])).out).toContain('--project DIR');
    expect((await run(['claude'])).code).toBe(2);
    expect((await run(['claude', 'attach'])).err).toBe('switchyard: Unknown claude command "attach". Use connect, status or disconnect.');
  });

  it('status exits 1 until connected and 0 after, so scripts can use it', async () => {
    const before = await run(['claude', 'status']);
    expect(before.code).toBe(1);
    expect(before.out).toContain(`${settingsFile} does not exist: Claude Code does not use Switchyard.`);
    expect((await run(['claude', 'connect'])).code).toBe(0);
    const after = await run(['claude', 'status']);
    expect(after.code).toBe(0);
    expect(after.out).toBe(`Claude Code uses Switchyard: ${settingsFile} points at http://127.0.0.1:8045.`);
    const json = await run(['claude', 'status', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ connected: true, linked: true, drift: [] });
  });

  it('a port or key changed with config set reaches the connected file', async () => {
    await run(['claude', 'connect']);
    await run(['config', 'set', 'port', '9123']);
    await run(['config', 'set', 'api_key', 'sk-new-gateway-key']);
    await run(['config', 'set', 'auth_mode', 'strict']);
    expect((await settings()).env).toMatchObject({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:9123', ANTHROPIC_AUTH_TOKEN: 'sk-new-gateway-key' });
    expect((await run(['claude', 'status'])).code).toBe(0);
  });

  it('warns about drift: a file changed by hand no longer holds the gateway key', async () => {
    await run(['config', 'set', 'api_key', 'sk-gateway']);
    await run(['config', 'set', 'auth_mode', 'strict']);
    await run(['claude', 'connect']);
    const doc = await settings();
    doc.env.ANTHROPIC_AUTH_TOKEN = 'sk-typed-by-hand';
    await writeFile(settingsFile, JSON.stringify(doc, null, 2));
    const status = await run(['claude', 'status']);
    expect(status.code).toBe(1);
    expect(status.err).toBe(
      'warning: it does not hold the gateway key: the key changed, or authentication was turned on. Run switchyard claude connect again.',
    );

    const off = await run(['claude', 'disconnect']);
    expect(off.out).toBe(
      [
        `${settingsFile} was changed by something else since connect, so only Switchyard's keys were put back; the rest stays as it is now.`,
        'Left as they are (changed since connect): env.ANTHROPIC_AUTH_TOKEN.',
      ].join('\n'),
    );
    expect((await settings()).env).toEqual({ ANTHROPIC_AUTH_TOKEN: 'sk-typed-by-hand' });
  });

  it("connects a project's settings.local.json with --project, and disconnect removes the file it created", async () => {
    const project = join(dir, 'project');
    await mkdir(project);
    const file = join(project, '.claude', 'settings.local.json');
    const on = await run(['claude', 'connect', '--project', project, '--sonnet-model', 'claude-sonnet-4-6']);
    expect(on.out).toContain(`${file} points at http://127.0.0.1:8045.`);
    expect(on.out).toContain('The file did not exist; disconnect removes it again.');
    expect(JSON.parse(await readFile(file, 'utf8')).env.ANTHROPIC_DEFAULT_SONNET_MODEL).toBe('claude-sonnet-4-6');
    expect((await run(['claude', 'disconnect', '--project', project])).out).toBe(`${file} is removed again: connect had created it.`);
    expect((await run(['claude', 'disconnect', '--project', project])).out).toBe(`Switchyard had not connected ${file}; nothing was changed.`);
  });

  it('notes the variables of this shell that Claude Code would also see', async () => {
    const result = await run(['claude', 'connect'], { ANTHROPIC_BASE_URL: 'http://elsewhere' });
    expect(result.err).toContain('note: this shell also sets ANTHROPIC_BASE_URL');
  });
});
