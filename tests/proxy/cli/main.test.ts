// `switchyard accounts ...` and `switchyard config ...` against a real data folder.

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { startFakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { recordingIo } from './cli-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[], env: NodeJS.ProcessEnv = {}, stdin = '') => {
  const io = recordingIo(env, stdin);
  return main([...args, '--data-dir', dir], io).then((code) => ({ code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }));
};

describe('switchyard config', () => {
  it('sets and gets each basic setting, persisting it', async () => {
    expect((await run(['config', 'set', 'port', '9100'])).code).toBe(0);
    expect((await run(['config', 'set', 'api_key', 'sk-local-123'])).code).toBe(0);
    expect((await run(['config', 'set', 'auth_mode', 'all-except-health'])).code).toBe(0);
    // Beyond loopback only once authentication is on.
    expect((await run(['config', 'set', 'host', '0.0.0.0'])).code).toBe(0);
    expect((await run(['config', 'get', 'port'])).out).toBe('9100');
    expect((await run(['config', 'get', 'auth_mode'])).out).toBe('all-except-health');
    expect((await run(['config', 'get', 'api_key'])).out).toBe('sk-local-123');
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(file).toMatchObject({ port: 9100, host: '0.0.0.0', api_key: 'sk-local-123', auth_mode: 'all-except-health' });
  });

  it('sets model rules as JSON and validates them', async () => {
    const rules = [{ match: 'claude-*-haiku-*', provider: 'anthropic', model: 'glm-4.5-air' }];
    expect((await run(['config', 'set', 'model_rules', JSON.stringify(rules)])).code).toBe(0);
    expect(JSON.parse((await run(['config', 'get', 'model_rules'])).out)).toEqual(rules);
    const bad = await run(['config', 'set', 'model_rules', '[{"match":"x","provider":"openai"}]']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/model_rules\.0\.provider/);
    expect((await run(['config', 'set', 'model_rules', 'not json'])).err).toMatch(/must be a JSON list/);
  });

  it('masks the api_key when listing everything', async () => {
    await run(['config', 'set', 'api_key', 'sk-local-123']);
    const { out } = await run(['config', 'get']);
    expect(out).toContain('port = 8045');
    expect(out).not.toContain('sk-local-123');
  });

  it.each([
    [['config', 'set', 'colour', 'blue'], /Unknown setting "colour". Known settings: port, host, api_key, auth_mode/],
    [['config', 'set', 'port', '70000'], /^switchyard: port must be 65535 or less\.$/],
    [['config', 'set', 'port', 'eighty'], /port must be a number/],
    [['config', 'set', 'auth_mode', 'maybe'], /^switchyard: auth_mode must be one of: off, strict, all-except-health\.$/],
    [['config', 'set', 'session_affinity', 'perhaps'], /must be true or false/],
    [['config', 'set', 'port'], /Usage: switchyard config set port VALUE/],
    [['config', 'frobnicate'], /Usage: switchyard config get/],
  ])('rejects %j with a clear message and exit code 2', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/Too (small|big)|Invalid (input|option|URL)|expected|received|[<>]=/);
  });

  it('refuses host 0.0.0.0 while authentication is off, saying what to do, and writes nothing', async () => {
    const { code, err } = await run(['config', 'set', 'host', '0.0.0.0']);
    expect(code).toBe(2);
    expect(err).toBe(
      'switchyard: Refusing to listen on 0.0.0.0 (all interfaces) without authentication: anyone on the network could use your upstream accounts without a key. ' +
        'First set api_key, then auth_mode strict (or all-except-health), then change host.',
    );
    expect((await run(['config', 'get', 'host'])).out).toBe('127.0.0.1');
  });

  it('refuses to turn authentication on without a key, which would refuse every request, and says what to do', async () => {
    const refused = await run(['config', 'set', 'auth_mode', 'strict']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^switchyard: not changed: .*would refuse every request\. Set a key first: switchyard config set api_key/);
    expect((await run(['config', 'get', 'auth_mode'])).out).toBe('off');
    expect((await run(['config', 'set', 'api_key', 'sk-local-123'])).code).toBe(0);
    expect((await run(['config', 'set', 'auth_mode', 'strict'])).code).toBe(0);
    // Nor can the key be taken away while authentication is on.
    expect((await run(['config', 'set', 'api_key', ''])).code).toBe(2);
  });

  it('moves a corrupt settings file aside, says so, and carries on with defaults', async () => {
    await writeFile(join(dir, 'settings.json'), '{"port": 12');
    const { code, out, err } = await run(['config', 'get', 'port']);
    expect(code).toBe(0);
    expect(out).toBe('8045');
    expect(err).toMatch(/settings file could not be read; defaults are in use. The unreadable file was kept as .*settings\.json\.corrupt-/);
  });
});

describe('switchyard accounts', () => {
  const add = (extra: string[] = [], env: NodeJS.ProcessEnv = { ZAI_KEY: 'sk-zai-secret-value' }) =>
    run(
      ['accounts', 'add', '--provider', 'anthropic', '--base-url', 'https://api.z.ai/api/anthropic/', '--key-env', 'ZAI_KEY', '--label', 'z.ai main', ...extra],
      env,
    );

  it('adds an account, keeping its key apart in a private file', async () => {
    const { code, out } = await add(['--auth-scheme', 'bearer']);
    expect(code).toBe(0);
    expect(out).toMatch(/Added account acct_[0-9a-f]+ \(z\.ai main\)/);
    const accounts = await readFile(join(dir, 'accounts.json'), 'utf8');
    expect(accounts).not.toContain('sk-zai-secret-value');
    expect(JSON.parse(accounts).accounts[0]).toMatchObject({
      provider: 'anthropic',
      label: 'z.ai main',
      options: { base_url: 'https://api.z.ai/api/anthropic', auth_scheme: 'bearer' },
    });
    const secretsPath = join(dir, 'secrets.json');
    expect(await readFile(secretsPath, 'utf8')).toContain('sk-zai-secret-value');
    expect((await stat(secretsPath)).mode & 0o777).toBe(0o600);
  });

  it.each([
    [[], { strip_cache_control: false, count_tokens: true }],
    [['--strip-cache-control'], { strip_cache_control: true, count_tokens: true }],
    [['--no-count-tokens'], { strip_cache_control: false, count_tokens: false }],
  ])('turns the switches %j into the options %j', async (extra, options) => {
    expect((await add(extra)).code).toBe(0);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)[0].options).toEqual({
      base_url: 'https://api.z.ai/api/anthropic',
      auth_scheme: 'x-api-key',
      ...options,
    });
  });

  it('lists accounts without their keys', async () => {
    await add();
    const { out } = await run(['accounts', 'list']);
    expect(out).toContain('z.ai main');
    expect(out).toContain('https://api.z.ai/api/anthropic');
    expect(out).not.toContain('sk-zai-secret-value');
    const json = JSON.parse((await run(['accounts', 'list', '--json'])).out);
    expect(json).toHaveLength(1);
  });

  it('tests an account with one cheap real request: says in words whether its key works, and exits 1 when not', async () => {
    const upstream = await startFakeAnthropic({ keys: ['sk-zai-secret-value'] });
    try {
      const at = (label: string, key: string) =>
        run(['accounts', 'add', '--provider', 'anthropic', '--base-url', upstream.url, '--key-env', 'K', '--label', label], { K: key });
      await at('good', 'sk-zai-secret-value');
      await at('revoked', 'sk-revoked-value');
      expect((await run(['accounts', 'list'])).out).toContain('not tried yet (switchyard accounts test good)');
      const good = await run(['accounts', 'test', 'good']);
      expect(good).toMatchObject({ code: 0, err: '' });
      expect(good.out).toMatch(/^good: works \(token count for claude-haiku-4-5 answered in \d+ ms\)\.$/);
      expect(upstream.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens']);
      const revoked = await run(['accounts', 'test', 'revoked']);
      expect(revoked.code).toBe(1);
      expect(revoked.err).toMatch(/^revoked: key refused: the upstream does not accept it\. .+ The upstream said \(401\): /);
      expect(revoked.err).not.toContain('sk-revoked-value');
      const listed = (await run(['accounts', 'list'])).out;
      expect(listed).toMatch(/tested .+: works/);
      expect(listed).toContain('health invalid');
      expect((await run(['accounts', 'test'])).err).toMatch(/Usage: switchyard accounts test ID\|LABEL/);
    } finally {
      await upstream.close();
    }
  });

  it("edits an account's label, group and options, keeping what was not named, its key included", async () => {
    await add(['--strip-cache-control']);
    const edited = await run([
      'accounts',
      'edit',
      'z.ai main',
      '--label',
      'zai',
      '--group',
      'cn',
      '--base-url',
      'https://open.bigmodel.cn/api/anthropic/',
      '--auth-scheme',
      'bearer',
      '--no-strip-cache-control',
      '--no-count-tokens',
    ]);
    expect(edited.code).toBe(0);
    expect(edited.out).toMatch(/^Changed account acct_[0-9a-f]+ \(zai\):/);
    const [a] = JSON.parse((await run(['accounts', 'list', '--json'])).out);
    expect(a).toMatchObject({
      label: 'zai',
      group: 'cn',
      options: { base_url: 'https://open.bigmodel.cn/api/anthropic', auth_scheme: 'bearer', strip_cache_control: false, count_tokens: false },
    });
    expect((await run(['accounts', 'edit', 'zai', '--count-tokens', '--no-group'])).code).toBe(0);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)[0]).toMatchObject({ label: 'zai', group: null, options: { count_tokens: true } });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toContain('sk-zai-secret-value');
    expect((await run(['accounts', 'edit', 'zai'])).err).toMatch(/Nothing to change/);
    expect((await run(['accounts', 'edit', 'zai', '--project-id', 'p'])).code).toBe(2);
  });

  it('disables, enables and removes by label, key included', async () => {
    await add();
    expect((await run(['accounts', 'disable', 'z.ai main'])).code).toBe(0);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)[0].enabled).toBe(false);
    expect((await run(['accounts', 'enable', 'z.ai main'])).code).toBe(0);
    const { code, out } = await run(['accounts', 'remove', 'z.ai main']);
    expect(code).toBe(0);
    expect(out).toMatch(/Removed account/);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)).toEqual([]);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).not.toContain('sk-zai-secret-value');
  });

  it('puts an account in a group at add and later, takes it out, and a rule can then name the group', async () => {
    expect((await add(['--group', 'china'])).code).toBe(0);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)[0].group).toBe('china');
    expect((await run(['accounts', 'list'])).out).toContain('z.ai main  (group china)');
    const rule = JSON.stringify([{ match: 'glm-*', provider: 'anthropic', accounts: ['china'] }]);
    expect((await run(['config', 'set', 'model_rules', rule])).code).toBe(0);
    expect((await run(['accounts', 'group', 'z.ai main', 'zai'])).out).toBe(
      'Account ' + JSON.parse((await run(['accounts', 'list', '--json'])).out)[0].id + ' (z.ai main) is in group "zai".',
    );
    expect((await run(['accounts', 'group', 'z.ai main', '--clear'])).code).toBe(0);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)[0].group).toBeNull();
    const refused = await run(['config', 'set', 'model_rules', rule]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/model_rules\.0\.accounts: no anthropic account or group is named "china"/);
    expect((await run(['accounts', 'group', 'z.ai main'])).err).toMatch(/Usage: switchyard accounts group/);
  });

  it("adds a Gemini API-key account, on Google's endpoint unless told otherwise", async () => {
    const { code } = await run(['accounts', 'add', '--provider', 'gemini', '--key-env', 'GEMINI_KEY', '--label', 'gemini main'], { GEMINI_KEY: 'AIza-secret' });
    expect(code).toBe(0);
    const local = await run(
      ['accounts', 'add', '--provider', 'gemini', '--key-env', 'GEMINI_KEY', '--label', 'local', '--base-url', 'http://127.0.0.1:9/v1beta/'],
      {
        GEMINI_KEY: 'AIza-secret',
      },
    );
    expect(local.code).toBe(0);
    const accounts = JSON.parse(await readFile(join(dir, 'accounts.json'), 'utf8')).accounts;
    expect(accounts.map((a: { provider: string; options: unknown }) => [a.provider, a.options])).toEqual([
      ['gemini', { base_url: 'https://generativelanguage.googleapis.com', count_tokens: true }],
      ['gemini', { base_url: 'http://127.0.0.1:9', count_tokens: true }],
    ]);
    const { out } = await run(['accounts', 'list']);
    expect(out).toContain('provider gemini  https://generativelanguage.googleapis.com  key via x-goog-api-key');
    expect(out).not.toContain('AIza-secret');
  });

  it('takes the key from standard input', async () => {
    const { code } = await run(
      ['accounts', 'add', '--provider', 'anthropic', '--base-url', 'https://api.anthropic.com', '--key-stdin', '--label', 'direct'],
      {},
      'sk-fake-from-stdin\n',
    );
    expect(code).toBe(0);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toContain('sk-fake-from-stdin');
  });

  it.each([[['--key-env', 'MISSING_VAR'], /MISSING_VAR is not set or empty/]])('rejects a missing key (%j)', async (extra, message) => {
    const { code, err } = await run(['accounts', 'add', '--provider', 'anthropic', '--base-url', 'https://api.anthropic.com', '--label', 'x', ...extra]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it.each([
    [['accounts', 'add', '--base-url', 'https://x', '--key-env', 'K', '--label', 'x'], /--provider or --preset is required/],
    [
      ['accounts', 'add', '--provider', 'openai', '--base-url', 'https://x', '--key-env', 'K', '--label', 'x'],
      /Unsupported provider "openai"; supported: anthropic, gemini/,
    ],
    [
      ['accounts', 'add', '--provider', 'gemini', '--auth-scheme', 'bearer', '--key-env', 'K', '--label', 'x'],
      /--auth-scheme does not apply to --provider gemini/,
    ],
    [['accounts', 'add', '--provider', 'anthropic', '--key-env', 'K', '--label', 'x'], /--base-url is required/],
    [
      ['accounts', 'add', '--provider', 'anthropic', '--base-url', 'ftp://x', '--key-env', 'K', '--label', 'x'],
      /^switchyard: --base-url must start with https:\/\/ or http:\/\/\.$/,
    ],
    [
      ['accounts', 'add', '--provider', 'anthropic', '--base-url', 'api.z.ai', '--key-env', 'K', '--label', 'x'],
      /--base-url must be a full address, such as https:/,
    ],
    [['accounts', 'add', '--provider', 'anthropic', '--base-url', 'https://x', '--label', 'x'], /--key-env/],
    [['accounts', 'remove', 'nobody'], /No account with id or label "nobody"/],
    [['accounts', 'explode'], /Unknown accounts command "explode"/],
    [['launch'], /Unknown command "launch"/],
  ])('rejects %j clearly', async (args, message) => {
    const { code, err } = await run(args, { K: 'sk-k' });
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toContain('sk-k');
  });
});

describe('switchyard accounts export and import', () => {
  const addAnthropic = () =>
    run(['accounts', 'add', '--provider', 'anthropic', '--base-url', 'http://127.0.0.1:1', '--key-env', 'K', '--label', 'work'], { K: 'sk-fake-moving' });

  it('exports without keys unless asked, and imports a file with keys into another data folder', async () => {
    await addAnthropic();
    const plain = await run(['accounts', 'export', join(dir, 'plain.json')]);
    expect(plain).toMatchObject({
      code: 0,
      out: `Exported 1 accounts to ${join(dir, 'plain.json')}, without keys (importing it elsewhere needs --include-secrets).`,
    });
    expect(await readFile(join(dir, 'plain.json'), 'utf8')).not.toContain('sk-fake-moving');
    const full = await run(['accounts', 'export', join(dir, 'full.json'), '--include-secrets']);
    expect(full.out).toMatch(/with their keys/);
    expect(full.out).not.toContain('sk-fake-moving');
    if (process.platform !== 'win32') expect((await stat(join(dir, 'full.json'))).mode & 0o777).toBe(0o600);

    const other = await mkdtemp(join(tmpdir(), 'switchyard-cli-other-'));
    try {
      const io = recordingIo({});
      expect(await main(['accounts', 'import', join(dir, 'full.json'), '--data-dir', other], io)).toBe(0);
      expect(io.stdout.join('\n')).toBe(`Imported 1 accounts from ${join(dir, 'full.json')}; 0 skipped (already here, or without a key).`);
      expect(await readFile(join(other, 'secrets.json'), 'utf8')).toContain('sk-fake-moving');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    expect((await run(['accounts', 'import', join(dir, 'full.json')])).out).toMatch(/Imported 0 accounts .*; 1 skipped/);
  });

  it('refuses to replace a file that exists unless told to with --force', async () => {
    await addAnthropic();
    const target = join(dir, 'profile.sh');
    await writeFile(target, 'echo mine\n');
    const refused = await run(['accounts', 'export', target]);
    expect(refused).toMatchObject({ code: 2, err: `switchyard: ${target} exists already; use --force to replace it.` });
    expect(await readFile(target, 'utf8')).toBe('echo mine\n');
    expect((await run(['accounts', 'export', target, '--force'])).code).toBe(0);
    expect(JSON.parse(await readFile(target, 'utf8')).accounts).toHaveLength(1);
  });

  it.each([
    [['accounts', 'export'], /Usage: switchyard accounts export FILE \[--include-secrets\] \[--force\]/],
    [['accounts', 'import', 'a.json', '--force'], /--force applies to export only/],
    [['accounts', 'import', 'a.json', '--include-secrets'], /--include-secrets applies to export only/],
    [['accounts', 'import', '/nonexistent/accounts.json'], /./],
  ])('rejects %j with a clear message', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
  });
});
