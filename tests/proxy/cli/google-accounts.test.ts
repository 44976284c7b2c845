// Google accounts from the command line, against the fake Google OAuth server: the google.* and
// antigravity.* settings, importing a refresh token, and `accounts login` finished by the browser or by
// a pasted code, in process and through a running `switchyard serve`.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { FakeGoogleOAuth } from '../../fakes/google-oauth.js';
import { authorizeWithoutFollowing, isListening, openInBrowser } from '../../helpers/browser.js';
import { recordingIo, TypedInput } from './cli-io.js';

const fake = new FakeGoogleOAuth();
beforeAll(() => fake.listen());
afterAll(() => fake.close());

let dir: string;
beforeEach(async () => {
  fake.reset();
  fake.email = 'ada@example.com';
  dir = await mkdtemp(join(tmpdir(), 'switchyard-google-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = async (args: string[], env: NodeJS.ProcessEnv = {}, stdinLines?: AsyncIterable<string>) => {
  const io = recordingIo(env, '', stdinLines);
  const code = await main([...args, '--data-dir', dir], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
};

/** Points the data folder's settings at the fake, through the same commands a user types. */
async function configureGoogle(): Promise<void> {
  const s = fake.settings();
  for (const [key, value] of Object.entries(s)) expect((await run(['config', 'set', `google.${key}`, value])).code).toBe(0);
}

/** Starts a command and hands back its output as it grows, and its end. */
function startCommand(args: string[], env: NodeJS.ProcessEnv = {}, stdinLines?: AsyncIterable<string>) {
  const io = recordingIo(env, '', stdinLines);
  const exit = main([...args, '--data-dir', dir], io);
  return { io, exit };
}

async function printedUrl(io: { stdout: string[] }): Promise<string> {
  await fake.waitFor(() => io.stdout.some((l) => l.trim().startsWith(fake.url)), 5000);
  return io.stdout.find((l) => l.trim().startsWith(fake.url))!.trim();
}

describe('switchyard config for Google', () => {
  it('sets and gets each google.* key and keeps the others when one changes', async () => {
    await configureGoogle();
    expect((await run(['config', 'get', 'google.client_id'])).out).toBe(fake.settings().client_id);
    expect((await run(['config', 'get', 'google.token_url'])).out).toBe(fake.settings().token_url);
    expect((await run(['config', 'set', 'google.client_id', 'another-id'])).code).toBe(0);
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(file.google).toEqual({ ...fake.settings(), client_id: 'another-id' });
  });

  it('masks the client secret, listed or asked for, and when it is set', async () => {
    await configureGoogle();
    const secret = fake.settings().client_secret;
    for (const args of [
      ['config', 'get'],
      ['config', 'get', 'google.client_secret'],
      ['config', 'set', 'google.client_secret', secret],
    ]) {
      const { out } = await run(args);
      expect(out).not.toContain(secret);
      expect(out).toMatch(/GOCS… \(masked\)/);
    }
  });

  it('sets antigravity.base_urls as a comma-separated list, in order', async () => {
    const { code, out } = await run(['config', 'set', 'antigravity.base_urls', 'http://127.0.0.1:7001/v1internal, http://127.0.0.1:7002/']);
    expect(code).toBe(0);
    expect(out).toBe('antigravity.base_urls = http://127.0.0.1:7001,http://127.0.0.1:7002');
    expect((await run(['config', 'get', 'antigravity.base_urls'])).out).toBe('http://127.0.0.1:7001,http://127.0.0.1:7002');
  });

  it.each([
    [['config', 'set', 'google.token_url', 'not-a-url'], /google\.token_url/],
    [['config', 'set', 'antigravity.base_urls', ','], /antigravity\.base_urls/],
    [['config', 'set', 'google.client_id'], /Usage: switchyard config set google\.client_id VALUE/],
    [['config', 'set', 'google.colour', 'x'], /Unknown setting "google\.colour".*google\.client_id/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});

describe('switchyard accounts add --provider antigravity', () => {
  it('imports a refresh token, labelled with the email Google gives for it', async () => {
    await configureGoogle();
    const token = fake.issueRefreshToken('bo@example.com');
    const { code, out } = await run(['accounts', 'add', '--provider', 'antigravity', '--refresh-token-env', 'GOOGLE_TOKEN'], { GOOGLE_TOKEN: token });
    expect(code).toBe(0);
    expect(out).toMatch(/^Added account acct_\w+ \(bo@example\.com\)\.$/);
    expect(out).not.toContain(token);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toContain(token);
  });

  it('uses the OAuth client from the environment when the settings have none', async () => {
    const { client_id, client_secret, ...endpoints } = fake.settings();
    for (const [key, value] of Object.entries(endpoints)) await run(['config', 'set', `google.${key}`, value]);
    const token = fake.issueRefreshToken('cy@example.com');
    const env = { GOOGLE_TOKEN: token, SWITCHYARD_GOOGLE_CLIENT_ID: client_id, SWITCHYARD_GOOGLE_CLIENT_SECRET: client_secret };
    const { code, out } = await run(['accounts', 'add', '--provider', 'antigravity', '--refresh-token-env', 'GOOGLE_TOKEN'], env);
    expect(code).toBe(0);
    expect(out).toContain('(cy@example.com)');
  });

  it('takes --label as given, without asking Google', async () => {
    const { code, out } = await run(['accounts', 'add', '--provider', 'antigravity', '--refresh-token-env', 'T', '--label', 'dee@example.com'], {
      T: '1//some-token',
    });
    expect(code).toBe(0);
    expect(out).toContain('(dee@example.com)');
    expect(fake.requests).toEqual([]);
  });

  it('gives an account with the same email the new token instead of adding a twin', async () => {
    await configureGoogle();
    const first = fake.issueRefreshToken('bo@example.com');
    const second = fake.issueRefreshToken('bo@example.com');
    await run(['accounts', 'add', '--provider', 'antigravity', '--refresh-token-env', 'T'], { T: first });
    const { code, out } = await run(['accounts', 'add', '--provider', 'antigravity', '--refresh-token-env', 'T'], { T: second });
    expect(code).toBe(0);
    expect(out).toMatch(/Replaced the secret of account acct_\w+ \(bo@example\.com\)/);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)).toHaveLength(1);
    const secrets = await readFile(join(dir, 'secrets.json'), 'utf8');
    expect(secrets).toContain(second);
    expect(secrets).not.toContain(first);
  });

  it.each([
    ['a revoked token', true, /Google refused while refreshing the token: token endpoint refused: invalid_grant/],
    ['no OAuth client', false, /needs the Google OAuth client.*--label EMAIL/],
  ])('refuses %s without a label, saying why and never the token', async (_name, configured, message) => {
    if (configured) await configureGoogle();
    const token = fake.issueRefreshToken('bo@example.com');
    fake.revoke(token);
    const { code, err, out } = await run(['accounts', 'add', '--provider', 'antigravity', '--refresh-token-env', 'T'], { T: token });
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err + out).not.toContain(token);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)).toEqual([]);
  });
});

describe('switchyard accounts login --provider antigravity', () => {
  it('prints the link and adds the account when the browser comes back', async () => {
    await configureGoogle();
    const { io, exit } = startCommand(['accounts', 'login', '--provider', 'antigravity'], {}, new TypedInput());
    const url = await printedUrl(io);
    const page = await openInBrowser(url);
    expect(page.html).toContain('Signed in as ada@example.com');
    expect(await exit).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/Signed in as ada@example\.com: added account acct_\w+\./);
    expect(await isListening(page.redirectedTo!)).toBe(false);
    const [account] = JSON.parse((await run(['accounts', 'list', '--json'])).out);
    expect(account).toMatchObject({ provider: 'antigravity', label: 'ada@example.com' });
    const refresh = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')).secrets[account.id] as string;
    expect(refresh).toMatch(/^1\/\/fake-refresh-/);
    for (const line of [...io.stdout, ...io.stderr]) expect(line).not.toMatch(/1\/\/fake-refresh-|ya29\./);
  });

  it('takes a pasted redirect address, after saying a line that is no code is not one', async () => {
    await configureGoogle();
    const input = new TypedInput();
    const { io, exit } = startCommand(['accounts', 'login', '--provider', 'antigravity'], {}, input);
    const location = await authorizeWithoutFollowing(await printedUrl(io));
    input.type('what do I paste?');
    input.type(location);
    expect(await exit).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/Paste the code Google showed/);
    expect(io.stdout.join('\n')).toMatch(/Signed in as ada@example\.com: added account/);
  });

  it('still waits for the browser when standard input ends', async () => {
    await configureGoogle();
    const input = new TypedInput();
    input.end();
    const { io, exit } = startCommand(['accounts', 'login', '--provider', 'antigravity'], {}, input);
    await openInBrowser(await printedUrl(io));
    expect(await exit).toBe(0);
  });

  it('says what failed when the user refuses at Google', async () => {
    await configureGoogle();
    fake.denyNextSignIn();
    const { io, exit } = startCommand(['accounts', 'login', '--provider', 'antigravity'], {}, new TypedInput());
    await openInBrowser(await printedUrl(io));
    expect(await exit).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/Google did not complete the sign-in/);
  });

  it('needs an OAuth client, and says how to set one', async () => {
    const { code, err } = await run(['accounts', 'login', '--provider', 'antigravity']);
    expect(code).toBe(2);
    expect(err).toMatch(/google\.client_id/);
  });

  it('is for Google accounts only', async () => {
    const { code, err } = await run(['accounts', 'login', '--provider', 'anthropic']);
    expect(code).toBe(2);
    expect(err).toMatch(/--provider antigravity/);
  });

  it('goes through a running serve, whose listener receives the browser, or which takes the pasted address', async () => {
    await configureGoogle();
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const serveIo = { ...recordingIo(), stopSignal: () => stopped };
    const serving = main(['serve', '--port', '0', '--console-port', '0', '--quiet', '--data-dir', dir], serveIo);
    try {
      await fake.waitFor(() => serveIo.stdout.some((l) => l.includes('console:')), 10_000);
      const { io, exit } = startCommand(['accounts', 'login', '--provider', 'antigravity'], {}, new TypedInput());
      const url = await printedUrl(io);
      // Let the command's event stream reach the server, as a person reading the link would.
      await new Promise((r) => setTimeout(r, 200));
      await openInBrowser(url);
      expect(await exit).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/Signed in as ada@example\.com: added account/);

      // A second account, signed in on another machine and pasted here.
      fake.email = 'bo@example.com';
      const input = new TypedInput();
      const pasted = startCommand(['accounts', 'login', '--provider', 'antigravity'], {}, input);
      input.type(await authorizeWithoutFollowing(await printedUrl(pasted.io)));
      expect(await pasted.exit).toBe(0);
      const listed = await run(['accounts', 'list', '--json']);
      expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ label: 'ada@example.com' }), expect.objectContaining({ label: 'bo@example.com' })]);
    } finally {
      stop('SIGTERM');
      expect(await serving).toBe(0);
    }
  });
});
