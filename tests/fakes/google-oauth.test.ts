// The fake Google OAuth server refuses what Google refuses, so tests that pass against it mean something.

import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FakeGoogleOAuth, REQUIRED_SCOPES } from './google-oauth.js';

const fake = new FakeGoogleOAuth({ accessTokenTtlS: 3599 });
beforeAll(() => fake.listen());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const REDIRECT = 'http://127.0.0.1:45678/oauth2callback';
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

function authorizeUrl(overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    client_id: FAKE_CLIENT_ID,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: ['openid', ...REQUIRED_SCOPES].join(' '),
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const u = new URL(fake.settings().auth_url);
  for (const [k, v] of Object.entries(params)) if (v !== null) u.searchParams.set(k, v);
  return u.toString();
}

async function authorize(overrides: Record<string, string | null> = {}): Promise<{ status: number; location: URL | null }> {
  const res = await request(authorizeUrl(overrides));
  await res.body.dump();
  const loc = res.headers.location;
  return { status: res.statusCode, location: typeof loc === 'string' ? new URL(loc) : null };
}

async function token(form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const res = await request(fake.settings().token_url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

const client = { client_id: FAKE_CLIENT_ID, client_secret: FAKE_CLIENT_SECRET };

async function codeFor(email = 'ada@example.com'): Promise<string> {
  fake.email = email;
  const { location } = await authorize();
  return location!.searchParams.get('code')!;
}

describe('fake Google OAuth: authorization endpoint', () => {
  it('sends the browser back to the loopback redirect with a code and the state', async () => {
    const { status, location } = await authorize();
    expect(status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(REDIRECT);
    expect(location!.searchParams.get('state')).toBe('st');
    expect(location!.searchParams.get('code')).toMatch(/^4\/0A/);
  });

  it('sends access_denied back when the user refuses', async () => {
    fake.denyNextSignIn();
    const { location } = await authorize();
    expect(location!.searchParams.get('error')).toBe('access_denied');
    expect(location!.searchParams.get('code')).toBeNull();
    expect((await authorize()).location!.searchParams.get('code')).not.toBeNull();
  });

  it.each([
    ['an unknown client', { client_id: 'other' }],
    ['a redirect that is not loopback', { redirect_uri: 'https://evil.example/cb' }],
    ['a redirect without a port', { redirect_uri: 'http://127.0.0.1/cb' }],
    ['another response type', { response_type: 'token' }],
    ['a missing scope', { scope: 'openid https://www.googleapis.com/auth/cloud-platform' }],
    ['no challenge', { code_challenge: null }],
    ['the plain method', { code_challenge_method: 'plain' }],
  ])('shows an error page for %s, redirecting nowhere', async (_name, overrides) => {
    const { status, location } = await authorize(overrides);
    expect(status).toBe(400);
    expect(location).toBeNull();
  });
});

describe('fake Google OAuth: token endpoint', () => {
  it('exchanges a code once, with the right verifier and redirect, for an access and a refresh token', async () => {
    const code = await codeFor();
    const ok = await token({ ...client, grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(ok.body.refresh_token).toMatch(/^1\/\//);
    const again = await token({ ...client, grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it.each([
    ['a wrong verifier', { code_verifier: 'x'.repeat(43) }, 400, 'invalid_grant'],
    ['no verifier', { code_verifier: undefined }, 400, 'invalid_grant'],
    ['another redirect', { redirect_uri: 'http://127.0.0.1:1/oauth2callback' }, 400, 'redirect_uri_mismatch'],
    ['a wrong secret', { client_secret: 'nope' }, 401, 'invalid_client'],
    ['an unknown code', { code: '4/0Aunknown' }, 400, 'invalid_grant'],
  ])('refuses %s', async (_name, change, status, error) => {
    const code = await codeFor();
    const form = Object.fromEntries(
      Object.entries({ ...client, grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, ...change }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as Record<string, string>;
    expect(await token(form)).toMatchObject({ status, body: { error } });
  });

  it('wants a form body', async () => {
    const res = await request(fake.settings().token_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(client) });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refreshes until the grant is revoked, counting refreshes', async () => {
    const refresh = fake.issueRefreshToken('bo@example.com');
    const first = await token({ ...client, grant_type: 'refresh_token', refresh_token: refresh });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBeUndefined();
    expect(fake.accessTokenOwner(first.body.access_token as string)).toBe('bo@example.com');
    fake.revoke(refresh);
    expect(await token({ ...client, grant_type: 'refresh_token', refresh_token: refresh })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
    expect(fake.refreshCount).toBe(2);
  });

  it('answers from the script: an error, a rotation', async () => {
    const refresh = fake.issueRefreshToken('bo@example.com');
    fake.script({ kind: 'error', status: 500 }, { kind: 'rotate' });
    expect((await token({ ...client, grant_type: 'refresh_token', refresh_token: refresh })).status).toBe(500);
    const rotated = await token({ ...client, grant_type: 'refresh_token', refresh_token: refresh });
    expect(rotated.body.refresh_token).toMatch(/^1\/\//);
    expect(rotated.body.refresh_token).not.toBe(refresh);
  });
});

describe('fake Google OAuth: userinfo', () => {
  it('names the user of a live bearer token, and refuses others', async () => {
    const refresh = fake.issueRefreshToken('cy@example.com');
    const { body } = await token({ ...client, grant_type: 'refresh_token', refresh_token: refresh });
    const info = await request(fake.settings().userinfo_url, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    expect(await info.body.json()).toMatchObject({ email: 'cy@example.com', verified_email: true });
    fake.expireAccessTokens();
    const expired = await request(fake.settings().userinfo_url, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    expect(expired.statusCode).toBe(401);
    await expired.body.dump();
    const none = await request(fake.settings().userinfo_url);
    expect(none.statusCode).toBe(401);
    expect(await none.body.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
  });
});
