// `switchyard accounts add --preset ID`: a provider's kind, base URL and key scheme from the presets the
// console's Add account form offers, with what the user types beside it winning.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_PRESETS } from '../../../src-proxy/contract/index.js';
import { main } from '../../../src-proxy/cli/main.js';
import { chooseKind } from '../../../src-proxy/cli/preset-flags.js';
import { UsageError } from '../../../src-proxy/cli/io.js';
import { recordingIo } from './cli-io.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

describe('chooseKind', () => {
  it.each([
    ['--provider alone', 'anthropic', undefined, { 'base-url': 'https://x.example' }, 'anthropic', '--provider anthropic', { 'base-url': 'https://x.example' }],
    ['--preset alone', undefined, 'zai', {}, 'anthropic', '--preset zai', { 'base-url': 'https://api.z.ai/api/anthropic', 'auth-scheme': 'bearer' }],
    [
      'a preset whatever its case',
      undefined,
      'KIMI',
      {},
      'anthropic',
      '--preset kimi',
      { 'base-url': 'https://api.moonshot.ai/anthropic', 'auth-scheme': 'bearer' },
    ],
    [
      '--preset with the --provider it is for',
      'anthropic',
      'deepseek',
      {},
      'anthropic',
      '--provider anthropic',
      { 'base-url': 'https://api.deepseek.com/anthropic', 'auth-scheme': 'x-api-key' },
    ],
    ['the Gemini preset', undefined, 'gemini', {}, 'gemini', '--preset gemini', { 'base-url': 'https://generativelanguage.googleapis.com' }],
    [
      'a --base-url given with a preset',
      undefined,
      'zai',
      { 'base-url': 'https://open.bigmodel.cn/api/anthropic' },
      'anthropic',
      '--preset zai',
      { 'base-url': 'https://open.bigmodel.cn/api/anthropic', 'auth-scheme': 'bearer' },
    ],
    [
      'an --auth-scheme given with a preset',
      undefined,
      'minimax',
      { 'auth-scheme': 'bearer' },
      'anthropic',
      '--preset minimax',
      { 'base-url': 'https://api.minimax.io/anthropic', 'auth-scheme': 'bearer' },
    ],
    [
      'a switch given with a preset',
      undefined,
      'zai',
      { 'strip-cache-control': true },
      'anthropic',
      '--preset zai',
      { 'base-url': 'https://api.z.ai/api/anthropic', 'auth-scheme': 'bearer', 'strip-cache-control': true },
    ],
  ])('%s: adds %s %s', (_case, provider, preset, values, kind, named, flags) => {
    expect(chooseKind(provider, preset, values)).toEqual({ kind, named, values: flags });
  });

  it.each([
    [
      undefined,
      undefined,
      '--provider or --preset is required (providers: anthropic, gemini, antigravity; presets: anthropic, zai, kimi, deepseek, minimax, gemini).',
    ],
    [undefined, 'openrouter', 'Unknown preset "openrouter"; known presets: anthropic, zai, kimi, deepseek, minimax, gemini.'],
    ['gemini', 'zai', '--provider gemini does not agree with --preset zai, whose provider is anthropic; give one of them.'],
    ['antigravity', 'gemini', '--provider antigravity does not agree with --preset gemini, whose provider is gemini; give one of them.'],
    ['openai', 'zai', 'Unsupported provider "openai"; supported: anthropic, gemini, antigravity.'],
  ])('refuses --provider %s with --preset %s: %s', (provider, preset, message) => {
    expect(() => chooseKind(provider, preset, {})).toThrow(new UsageError(message));
  });

  it('leaves the values it was given as they were', () => {
    const values = { label: 'glm' };
    chooseKind(undefined, 'zai', values);
    expect(values).toEqual({ label: 'glm' });
  });
});

describe('switchyard accounts add --preset', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-preset-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv = { ZAI_API_KEY: 'sk-zai-preset-value' }) => {
    const io = recordingIo(env);
    const code = await main([...args, '--data-dir', dir], io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };
  const listed = async () => JSON.parse((await run(['accounts', 'list', '--json'])).out) as { provider: string; label: string; options: object }[];

  it.each(ACCOUNT_PRESETS.map((p) => [p.id, p] as const))('adds a %s account with the preset base URL and key scheme', async (id, preset) => {
    const { code, out } = await run(['accounts', 'add', '--preset', id, '--key-env', 'ZAI_API_KEY', '--label', id]);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Added account acct_[0-9a-f]+ \\(${id}\\)\\.$`));
    const [account] = await listed();
    expect(account).toMatchObject({ provider: preset.kind, label: id, options: preset.options });
  });

  it('takes a mainland-China base URL over the preset, keeping its key scheme, and lists the account as from no preset', async () => {
    const args = [
      'accounts',
      'add',
      '--preset',
      'zai',
      '--base-url',
      'https://open.bigmodel.cn/api/anthropic',
      '--key-env',
      'ZAI_API_KEY',
      '--label',
      'glm cn',
    ];
    expect((await run(args)).code).toBe(0);
    expect((await listed())[0]!.options).toMatchObject({ base_url: 'https://open.bigmodel.cn/api/anthropic', auth_scheme: 'bearer' });
    expect((await run(['accounts', 'list'])).out).toContain('provider anthropic  https://open.bigmodel.cn/api/anthropic  key via bearer');
  });

  it('names the preset an account matches in the list, as the console does, but not one that only repeats the provider', async () => {
    await run(['accounts', 'add', '--preset', 'kimi', '--key-env', 'ZAI_API_KEY', '--label', 'kimi']);
    await run(['accounts', 'add', '--preset', 'anthropic', '--key-env', 'ZAI_API_KEY', '--label', 'direct']);
    const { out } = await run(['accounts', 'list']);
    expect(out).toContain('provider anthropic (preset kimi)  https://api.moonshot.ai/anthropic  key via bearer');
    expect(out).toContain('provider anthropic  https://api.anthropic.com  key via x-api-key');
  });

  it.each([
    [
      ['--preset', 'zai', '--provider', 'gemini'],
      /^switchyard: --provider gemini does not agree with --preset zai, whose provider is anthropic; give one of them\.$/,
    ],
    [['--preset', 'glm'], /^switchyard: Unknown preset "glm"; known presets: anthropic, zai, kimi, deepseek, minimax, gemini\.$/],
    [['--preset', 'gemini', '--auth-scheme', 'bearer'], /^switchyard: --auth-scheme does not apply to --preset gemini\.$/],
    [['--preset', 'zai', '--auth-scheme', 'basic'], /^switchyard: --auth-scheme must be one of: x-api-key, bearer\.$/],
    [['--preset', 'zai', '--base-url', 'api.z.ai'], /^switchyard: --base-url must be a full address/],
  ])('refuses %j with exit code 2, adding nothing', async (extra, message) => {
    const { code, err } = await run(['accounts', 'add', ...extra, '--key-env', 'ZAI_API_KEY', '--label', 'x']);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toContain('sk-zai-preset-value');
    expect(await listed()).toEqual([]);
  });

  it('runs as the installed `switchyard` command: the account it adds is stored with the preset, its key kept apart', async () => {
    const bin = join(ROOT, 'bin', 'switchyard.mjs');
    const env = { PATH: process.env.PATH, HOME: dir, ZAI_API_KEY: 'sk-zai-from-the-shell' };
    const switchyard = (...args: string[]) =>
      promisify(execFile)(process.execPath, [bin, ...args, '--data-dir', join(dir, 'data')], { cwd: dir, env, timeout: 10_000 });
    const added = await switchyard('accounts', 'add', '--preset', 'zai', '--key-env', 'ZAI_API_KEY', '--label', 'glm');
    expect(added.stdout).toMatch(/^Added account acct_[0-9a-f]+ \(glm\)\.\n$/);
    const accounts = JSON.parse((await switchyard('accounts', 'list', '--json')).stdout) as object[];
    expect(accounts).toEqual([
      expect.objectContaining({
        provider: 'anthropic',
        label: 'glm',
        options: expect.objectContaining({ base_url: 'https://api.z.ai/api/anthropic', auth_scheme: 'bearer' }),
      }),
    ]);
    expect(await readFile(join(dir, 'data', 'accounts.json'), 'utf8')).not.toContain('sk-zai-from-the-shell');
    expect(await readFile(join(dir, 'data', 'secrets.json'), 'utf8')).toContain('sk-zai-from-the-shell');
    const refused = await switchyard('accounts', 'add', '--preset', 'openrouter', '--key-env', 'ZAI_API_KEY', '--label', 'x').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown preset "openrouter"; known presets: anthropic, zai,') });
  }, 40_000);
});
