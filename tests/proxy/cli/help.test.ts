// `--help` on every command and subcommand, and `--version`, as a user types them.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_PRESETS } from '../../../src-proxy/contract/index.js';
import { HELP_COMMANDS } from '../../../src-proxy/cli/help.js';
import { main } from '../../../src-proxy/cli/main.js';
import { recordingIo } from './cli-io.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
let dir: string;
/** A data folder that cannot exist (its parent is a file): help must not need one. */
let noFolder: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-help-'));
  await writeFile(join(dir, 'file'), '');
  noFolder = join(dir, 'file', 'data');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = async (args: string[], dataDir = noFolder) => {
  const io = recordingIo();
  const code = await main([...args, '--data-dir', dataDir], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
};

/** The subcommands a command names when given one it does not know. */
async function subcommandsNamed(command: string): Promise<string[]> {
  const { err } = await run([command, 'no-such-subcommand'], join(dir, 'data'));
  const m = /Use ([a-z, ]+?)\.?$/m.exec(err);
  if (!m) throw new Error(`no list of subcommands in: ${err}`);
  return m[1]!.split(/, | or /).map((s) => s.trim());
}

describe('switchyard --help', () => {
  it.each(HELP_COMMANDS.map((c) => [c]))('`%s --help` prints its usage and exits 0, without opening the data folder', async (command) => {
    const words = command.split(' ');
    for (const flag of ['--help', '-h']) {
      const { code, out } = await run([...words, flag]);
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^Usage: switchyard ${words[0]}`));
    }
    expect((await run(['help', ...words])).out).toBe((await run([...words, '--help'])).out);
  });

  it('has a page for every subcommand that accounts and claude take', async () => {
    for (const command of ['accounts', 'claude']) {
      const subs = await subcommandsNamed(command);
      expect(subs.length).toBeGreaterThan(2);
      for (const sub of subs) expect(HELP_COMMANDS, `${command} ${sub}`).toContain(`${command} ${sub}`);
    }
    for (const sub of ['get', 'set']) expect(HELP_COMMANDS).toContain(`config ${sub}`);
    expect(HELP_COMMANDS).toContain('team status');
  });

  it('tells what a subcommand takes, with its arguments found anywhere on the line', async () => {
    const { code, out } = await run(['accounts', 'export', '/tmp/x.json', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: switchyard accounts export FILE [--include-secrets] [--force]');
    expect(out).toContain('--include-secrets');
    const add = (await run(['accounts', 'add', '-h'])).out;
    expect(add).toContain('--provider KIND');
    // Every preset of the console's Add account form, with the address it fills in.
    expect(add).toMatch(/--preset ID .*\n.*--base-url or --auth-scheme given too win/);
    for (const p of ACCOUNT_PRESETS) expect(add).toMatch(new RegExp(`^ +${p.id} +${p.options.base_url.replaceAll('.', '\\.')} +${p.kind}, key via `, 'm'));
  });

  it('lists the commands with no command, or --help alone, and refuses help for a command that does not exist', async () => {
    const bare = await run(['--help']);
    expect(bare.code).toBe(0);
    expect(bare.out).toContain('Commands:');
    expect(bare.out).toContain('switchyard COMMAND --help');
    expect((await run([])).code).toBe(1);
    const unknown = await run(['frobnicate', '--help']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown command "frobnicate"');
  });
});

describe('switchyard --version', () => {
  it('prints the package version, from the command a user runs', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) expect((await run([flag])).out).toBe(`switchyard ${version}`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src-proxy/cli/index.ts', '--version'], { cwd: ROOT });
    expect(stdout).toBe(`switchyard ${version}\n`);
  });
});
