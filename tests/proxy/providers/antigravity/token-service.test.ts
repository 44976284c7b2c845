// Access tokens for Google accounts, against the fake token endpoint: cached until their last minute,
// one refresh per account however many requests wait, revoked grants take the account out of service,
// rotated refresh tokens are kept, and no token ever appears in an error.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../../src-proxy/accounts/memory-secret-store.js';
import { AccountSchema, defaultSettings, type GoogleSettings } from '../../../../src-proxy/contract/index.js';
import { GoogleOAuthClient } from '../../../../src-proxy/providers/antigravity/google-oauth/oauth-client.js';
import { createGoogleTokens, type GoogleTokenService } from '../../../../src-proxy/providers/antigravity/token-service.js';
import { onAbortOf } from '../../../../src-proxy/providers/shared/on-abort.js';
import { UpstreamError } from '../../../../src-proxy/providers/types.js';
import { FakeGoogleOAuth } from '../../../fakes/google-oauth.js';

const fake = new FakeGoogleOAuth();
beforeAll(() => fake.listen());
afterAll(() => fake.close());

let clock = 1_800_000_000_000;
let google: GoogleSettings;
let accounts: MemoryAccountStore;
let secrets: MemorySecretStore;
let oauth: GoogleOAuthClient;
let tokens: GoogleTokenService;
let refresh: string;
/** The attempt of a client that stays. */
const staying = onAbortOf(new AbortController().signal);

beforeEach(async () => {
  fake.reset();
  clock = Date.now();
  google = { ...defaultSettings().google, ...fake.settings() };
  accounts = new MemoryAccountStore([
    AccountSchema.parse({ id: 'g1', provider: 'antigravity', label: 'ada@example.com', options: {}, created_at: 1 }),
    AccountSchema.parse({ id: 'g2', provider: 'antigravity', label: 'bo@example.com', options: {}, created_at: 1 }),
  ]);
  secrets = new MemorySecretStore();
  refresh = fake.issueRefreshToken('ada@example.com');
  await secrets.set('g1', refresh);
  oauth = new GoogleOAuthClient({ now: () => clock });
  tokens = createGoogleTokens({ google: () => google, secrets, accounts, oauth, now: () => clock });
});
afterEach(async () => {
  tokens.close();
  await oauth.close();
});

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

describe('GoogleTokenService', () => {
  it('gets a live access token and reuses it until a minute before it expires', async () => {
    const first = await tokens.get('g1', refresh, staying);
    expect(fake.accessTokenOwner(first)).toBe('ada@example.com');
    clock += 3599_000 - 61_000;
    expect(await tokens.get('g1', refresh, staying)).toBe(first);
    expect(fake.refreshCount).toBe(1);
    clock += 2000;
    const second = await tokens.get('g1', refresh, staying);
    expect(second).not.toBe(first);
    expect(fake.refreshCount).toBe(2);
  });

  it('refreshes once for 20 parallel requests on an expired token', async () => {
    await tokens.get('g1', refresh, staying);
    clock += 3600_000;
    fake.script({ kind: 'delay', ms: 50 });
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.get('g1', refresh, staying)));
    expect(new Set(got).size).toBe(1);
    expect(fake.refreshCount).toBe(2);
  });

  it('refreshes each account on its own', async () => {
    const other = fake.issueRefreshToken('bo@example.com');
    const [a, b] = await Promise.all([tokens.get('g1', refresh, staying), tokens.get('g2', other, staying)]);
    expect(fake.accessTokenOwner(a)).toBe('ada@example.com');
    expect(fake.accessTokenOwner(b)).toBe('bo@example.com');
    expect(fake.refreshCount).toBe(2);
  });

  it('forgets an access token the upstream refused, and only that one', async () => {
    const first = await tokens.get('g1', refresh, staying);
    tokens.invalidate('g1', 'fake-access.some-older-token');
    expect(await tokens.get('g1', refresh, staying)).toBe(first);
    tokens.invalidate('g1', first);
    expect(await tokens.get('g1', refresh, staying)).not.toBe(first);
    expect(fake.refreshCount).toBe(2);
  });

  it('does not use the access token of a replaced refresh token', async () => {
    const first = await tokens.get('g1', refresh, staying);
    const replaced = fake.issueRefreshToken('ada@example.com');
    expect(await tokens.get('g1', replaced, staying)).not.toBe(first);
  });

  it('takes the account out of service when Google revokes the grant, with a reason and an auth failure', async () => {
    fake.revoke(refresh);
    const err = await failure(tokens.get('g1', refresh, staying));
    expect(err.failure).toMatchObject({ kind: 'auth', status: 400 });
    expect(err.message).toMatch(/invalid_grant/);
    const account = accounts.get('g1')!;
    expect(account.health).toBe('invalid');
    expect(account.learned.disabled_reason).toMatch(/invalid_grant.*sign in again/);
    expect(accounts.get('g2')!.health).toBe('ok');
  });

  it.each([
    ['an outage', { kind: 'error', status: 503, error: 'internal_failure' } as const, 'server'],
    ['throttling', { kind: 'error', status: 429, error: 'rate_limit_exceeded' } as const, 'rate_limit'],
    ['a wrong client secret', { kind: 'error', status: 401, error: 'invalid_client' } as const, 'server'],
    ['a dropped connection', { kind: 'drop' } as const, 'network'],
  ])('reports %s as %s without blaming the account', async (_name, behaviour, kind) => {
    fake.script(behaviour);
    expect((await failure(tokens.get('g1', refresh, staying))).failure.kind).toBe(kind);
    expect(accounts.get('g1')!.health).toBe('ok');
    expect(accounts.get('g1')!.learned.disabled_reason).toBeNull();
    // The next request tries again.
    expect(fake.accessTokenOwner(await tokens.get('g1', refresh, staying))).toBe('ada@example.com');
  });

  it('gives up on a token endpoint that does not answer in time, as a network failure (the account rests like one out of reach)', async () => {
    const impatient = new GoogleOAuthClient({ timeoutMs: 100 });
    const service = createGoogleTokens({ google: () => google, secrets, accounts, oauth: impatient, now: () => clock });
    fake.script({ kind: 'delay', ms: 1000 });
    try {
      expect((await failure(service.get('g1', refresh, staying))).failure.kind).toBe('network');
    } finally {
      service.close();
      await impatient.close();
    }
  });

  it('reports an endpoint nobody listens on as a network failure', async () => {
    google = { ...google, token_url: 'http://127.0.0.1:1/token' };
    expect((await failure(tokens.get('g1', refresh, staying))).failure.kind).toBe('network');
  });

  it('reports a missing client id as a setting to fix, without calling Google', async () => {
    google = { ...google, client_id: '' };
    const err = await failure(tokens.get('g1', refresh, staying));
    expect(err.failure.kind).toBe('server');
    expect(err.message).toMatch(/google\.client_id/);
    expect(fake.refreshCount).toBe(0);
  });

  it('stores a refresh token Google rotates, and serves both for the new access token', async () => {
    fake.script({ kind: 'rotate' });
    const access = await tokens.get('g1', refresh, staying);
    const rotated = secrets.get('g1')!;
    expect(rotated).not.toBe(refresh);
    expect(await tokens.get('g1', rotated, staying)).toBe(access);
    expect(fake.refreshCount).toBe(1);
  });

  it('fails, as the upstream failing, when a rotated refresh token cannot be stored', async () => {
    const broken = new MemorySecretStore();
    broken.set = () => Promise.reject(new Error('disk full'));
    const service = createGoogleTokens({ google: () => google, secrets: broken, accounts, oauth, now: () => clock });
    fake.script({ kind: 'rotate' });
    const err = await failure(service.get('g1', refresh, staying));
    expect(err.failure).toMatchObject({ kind: 'server', message: 'the renewed Google sign-in could not be stored' });
    service.close();
  });

  it('lets a waiter give up without cancelling the refresh the others wait for', async () => {
    fake.script({ kind: 'delay', ms: 100 });
    const impatient = new AbortController();
    const gaveUp = tokens.get('g1', refresh, onAbortOf(impatient.signal));
    const patient = tokens.get('g1', refresh, staying);
    impatient.abort();
    const err = await failure(gaveUp);
    expect(err.failure.kind).toBe('network');
    expect(fake.accessTokenOwner(await patient)).toBe('ada@example.com');
    expect(fake.refreshCount).toBe(1);
  });

  it('refuses at once when the caller has already given up', async () => {
    const gone = AbortSignal.abort();
    expect((await failure(tokens.get('g1', refresh, onAbortOf(gone)))).failure.kind).toBe('network');
  });

  it('never puts a token or the client secret into an error', async () => {
    const echoes = [refresh, google.client_secret];
    fake.script({ kind: 'error', status: 400, error: 'invalid_grant', description: `bad token ${refresh} for ${google.client_secret}` });
    const err = await failure(tokens.get('g1', refresh, staying));
    for (const secret of echoes) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err.failure)).not.toContain(secret);
      expect(JSON.stringify(accounts.get('g1'))).not.toContain(secret);
    }
  });
});
