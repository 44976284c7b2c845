// Google sign-in through the ControlApi, in process, against the fake Google OAuth server: the loopback
// redirect a browser follows, a pasted code, a pasted redirect URL, a state that does not match, a
// refusal, an endpoint that fails, and a second sign-in of an account that had been taken out of service.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { AccountSchema, ControlError, type GoogleSignInOutcome, type SettingsPatch } from '../../../src-proxy/contract/index.js';
import { createRuntime, type Runtime, type RuntimeDeps } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';
import { FakeGoogleOAuth } from '../../fakes/google-oauth.js';
import { authorizeWithoutFollowing, isListening, openInBrowser } from '../../helpers/browser.js';

const fake = new FakeGoogleOAuth();
beforeAll(() => fake.listen());
afterAll(() => fake.close());

let runtime: Runtime | null = null;
let secrets: MemorySecretStore;
let accounts: MemoryAccountStore;
let outcomes: GoogleSignInOutcome[];

async function open(settings: SettingsPatch = { google: fake.settings() }, extra: Partial<RuntimeDeps> = {}): Promise<Runtime> {
  secrets = new MemorySecretStore();
  outcomes = [];
  runtime = await createRuntime({ settings: new MemorySettingsStore(settings), accounts, secrets, ...extra });
  runtime.events.on('sign_in', (o) => outcomes.push(o));
  return runtime;
}

beforeEach(() => {
  fake.reset();
  fake.email = 'ada@example.com';
  accounts = new MemoryAccountStore();
});
afterEach(async () => {
  await runtime?.close();
  runtime = null;
});

async function controlError(p: Promise<unknown>, code: string): Promise<ControlError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ControlError);
  expect((err as ControlError).code).toBe(code);
  return err as ControlError;
}

describe('Google sign-in over the loopback redirect', () => {
  it('adds the account named by its email when the browser comes back, and says so in the browser', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    expect(start.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    expect(new URL(start.url).searchParams.get('redirect_uri')).toBe(start.redirect_uri);
    expect(start.expires_at).toBeGreaterThan(Date.now() + 9 * 60_000);

    const page = await openInBrowser(start.url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Signed in as ada@example.com');
    expect(page.html).toContain('You can close this tab');

    const [account] = await api.listAccounts();
    expect(account).toMatchObject({ provider: 'antigravity', label: 'ada@example.com', health: 'ok' });
    expect(secrets.get(account!.id)).toMatch(/^1\/\/fake-refresh-/);
    expect(outcomes).toEqual([{ sign_in_id: start.sign_in_id, account, error: null }]);
    expect(await isListening(start.redirect_uri)).toBe(false);
    await controlError(api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: 'anything-at-all' }), 'sign_in_expired');
  });

  it('refuses a redirect whose state does not match, and keeps waiting for the right one', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    const location = new URL(await authorizeWithoutFollowing(start.url));
    const forged = new URL(location);
    forged.searchParams.set('state', 'forged');
    const refused = await openInBrowser(forged.toString());
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('does not belong to the sign-in in progress');
    expect(await api.listAccounts()).toEqual([]);
    expect(outcomes).toEqual([]);

    const page = await openInBrowser(location.toString());
    expect(page.html).toContain('Signed in as ada@example.com');
  });

  it.each([
    ['an error without state', '?error=access_denied'],
    ['an error with another state', '?error=access_denied&state=forged'],
  ])('is not cancelled by a forged callback carrying %s, and finishes when Google comes back', async (_name, query) => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    const forged = await openInBrowser(`${start.redirect_uri}${query}`);
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('does not belong to the sign-in in progress');
    expect(outcomes).toEqual([]);

    const page = await openInBrowser(start.url);
    expect(page.html).toContain('Signed in as ada@example.com');
    expect(outcomes).toMatchObject([{ sign_in_id: start.sign_in_id, error: null }]);
  });

  it('ends the sign-in when the user refuses at Google, and tells the browser', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    fake.denyNextSignIn();
    const page = await openInBrowser(start.url);
    expect(page.html).toContain('Google did not sign you in');
    expect(page.html).toContain('access_denied');
    expect(outcomes).toEqual([{ sign_in_id: start.sign_in_id, account: null, error: 'sign_in_failed' }]);
    expect(await api.listAccounts()).toEqual([]);
  });

  it('reports a token endpoint that fails as unreachable, in the browser and as the outcome', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    fake.script({ kind: 'error', status: 503, error: 'internal_failure' });
    const page = await openInBrowser(start.url);
    expect(page.status).toBe(502);
    expect(page.html).toContain('Sign-in failed');
    expect(outcomes).toEqual([{ sign_in_id: start.sign_in_id, account: null, error: 'upstream_unreachable' }]);
  });

  it('answers other paths of the listener without touching the sign-in', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    const favicon = await openInBrowser(new URL('/favicon.ico', start.redirect_uri).toString());
    expect(favicon.status).toBe(404);
    expect((await openInBrowser(start.url)).html).toContain('Signed in as');
  });
});

describe('Google sign-in with a pasted code', () => {
  it.each([
    ['the bare code', (location: URL) => location.searchParams.get('code')!],
    ['the whole redirect URL', (location: URL) => location.toString()],
  ])('adds the account from %s', async (_name, paste) => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    const location = new URL(await authorizeWithoutFollowing(start.url));
    const account = await api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: paste(location) });
    expect(account).toMatchObject({ provider: 'antigravity', label: 'ada@example.com' });
    expect(outcomes).toEqual([{ sign_in_id: start.sign_in_id, account, error: null }]);
    expect(await isListening(start.redirect_uri)).toBe(false);
  });

  it('refuses the redirect URL of another sign-in and keeps this one open', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    const location = new URL(await authorizeWithoutFollowing(start.url));
    const other = new URL(location);
    other.searchParams.set('state', 'another-sign-in');
    await controlError(api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: other.toString() }), 'sign_in_failed');
    await controlError(api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: 'not a code, just words' }), 'invalid_argument');
    expect(outcomes).toEqual([]);
    expect((await api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: location.toString() })).label).toBe('ada@example.com');
  });

  it('ends the sign-in when Google refuses the code, without quoting it', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    const err = await controlError(api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: '4/0Anot-a-code-google-issued' }), 'sign_in_failed');
    expect(err.message).toMatch(/invalid_grant/);
    expect(err.message).not.toContain('4/0Anot-a-code-google-issued');
    expect(outcomes).toEqual([{ sign_in_id: start.sign_in_id, account: null, error: 'sign_in_failed' }]);
  });

  it('refuses a sign-in it never started', async () => {
    const api = await open();
    await controlError(api.finishGoogleSignIn({ sign_in_id: 'gsi_unknown', code: '4/0Asomething' }), 'sign_in_expired');
  });

  it('closes the listener on cancel and forgets the sign-in', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    await api.cancelGoogleSignIn(start.sign_in_id);
    expect(await isListening(start.redirect_uri)).toBe(false);
    await controlError(api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: '4/0Asomething' }), 'sign_in_expired');
  });
});

describe('Google sign-in and existing accounts', () => {
  it('gives an account with the same email its new refresh token and puts it back into service', async () => {
    accounts = new MemoryAccountStore([
      AccountSchema.parse({
        id: 'acct_old',
        provider: 'antigravity',
        label: 'Ada@Example.com',
        options: {},
        created_at: 1,
        health: 'invalid',
        health_message: 'revoked',
        learned: { project_id: 'p-1', disabled_reason: 'Google no longer accepts this account', quota: [], updated_at: 1 },
      }),
    ]);
    const api = await open();
    await secrets.set('acct_old', '1//old-refresh');
    const start = await api.startGoogleSignIn();
    await openInBrowser(start.url);
    const list = await api.listAccounts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'acct_old', health: 'ok', health_message: null, learned: { project_id: 'p-1', disabled_reason: null } });
    expect(secrets.get('acct_old')).toMatch(/^1\/\/fake-refresh-/);
  });
});

describe('Google sign-in configuration', () => {
  it('needs an OAuth client id', async () => {
    const api = await open({});
    await controlError(api.startGoogleSignIn(), 'not_configured');
  });

  it("takes the shell's client (the environment, headless) when the settings name none", async () => {
    const { client_id, client_secret, ...endpoints } = fake.settings();
    const api = await open({ google: endpoints }, { googleClient: { client_id, client_secret } });
    const start = await api.startGoogleSignIn();
    expect(new URL(start.url).searchParams.get('client_id')).toBe(client_id);
    expect((await openInBrowser(start.url)).html).toContain('Signed in as ada@example.com');
  });

  it('puts no token into an outcome, an account or a message', async () => {
    const api = await open();
    const start = await api.startGoogleSignIn();
    await openInBrowser(start.url);
    const [account] = await api.listAccounts();
    const refresh = secrets.get(account!.id)!;
    const seen = JSON.stringify({ outcomes, accounts: await api.listAccounts(), settings: await api.getSettings() });
    expect(seen).not.toContain(refresh);
    expect(seen).not.toContain('fake-access.');
  });
});
