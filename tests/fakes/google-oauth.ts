// A fake of Google's OAuth 2.0 endpoints for loopback tests: the authorization endpoint (which, as a
// user who always consents, redirects the browser back to the client's loopback redirect_uri with a
// code and the state), the token endpoint with both grants, and the userinfo endpoint.
//
// It validates what it receives the way Google does (shared/reference/antigravity-manager.md 6.1,
// protocols.md D.11.4, RFC 6749 and RFC 7636), and imports nothing from src-proxy/, so a bug in the
// gateway's PKCE or URL building cannot hide behind the same code here: a known client id and secret,
// a loopback redirect_uri, response_type=code, the scopes Code Assist needs, an S256 challenge; at the
// token endpoint a form body, a single-use code that has not expired, the same redirect_uri, a
// code_verifier whose hash is the challenge; refresh tokens that can be revoked; bearer access tokens
// that expire. Token endpoint answers can be scripted (errors, delays, a dropped connection).

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { firstHeader, readBody, ScriptedFake } from './fake-http.js';

export const FAKE_CLIENT_ID = '1234-fake.apps.googleusercontent.com';
export const FAKE_CLIENT_SECRET = 'GOCSPX-fake-client-secret';

/** Scopes a Code Assist client must ask for; a request without one of them is refused. */
export const REQUIRED_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

export interface FakeGoogleOAuthOptions {
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued access tokens. Default 3599 s, as Google. */
  accessTokenTtlS?: number;
  /** How long a code may wait for its exchange. Default 10 minutes. */
  codeTtlMs?: number;
}

/** How the token endpoint answers the next request (scripted), else `normal`. */
export type TokenBehaviour =
  | { kind: 'normal' }
  /** Answers normally, and a refresh grant also returns a new refresh token (Google rotating it). */
  | { kind: 'rotate' }
  | { kind: 'error'; status: number; error?: string; description?: string }
  /** Waits, then answers normally (nothing, if the client has gone by then). */
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' };

export interface RecordedOAuthRequest {
  method: string;
  path: string;
  endpoint: 'authorize' | 'token' | 'userinfo' | 'other';
  query: Record<string, string>;
  /** The form fields of a token request. */
  form: Record<string, string>;
  authorization: string | undefined;
  status: number;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  email: string;
  expiresAt: number;
  used: boolean;
}

export class FakeGoogleOAuth extends ScriptedFake<RecordedOAuthRequest, TokenBehaviour> {
  /** Who signs in at the authorization endpoint. */
  email = 'ada@example.com';
  private denyNext = false;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly accessTtlS: number;
  private readonly codeTtlMs: number;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, { email: string; revoked: boolean }>();
  private readonly accessTokens = new Map<string, { email: string; expiresAt: number }>();

  constructor(opts: FakeGoogleOAuthOptions = {}) {
    super({ kind: 'normal' }, (res, err) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal_failure', error_description: String(err) }));
    });
    this.clientId = opts.clientId ?? FAKE_CLIENT_ID;
    this.clientSecret = opts.clientSecret ?? FAKE_CLIENT_SECRET;
    this.accessTtlS = opts.accessTokenTtlS ?? 3599;
    this.codeTtlMs = opts.codeTtlMs ?? 600_000;
  }

  /** The `google.*` settings that point a client at this fake. */
  settings(): { client_id: string; client_secret: string; auth_url: string; token_url: string; userinfo_url: string } {
    return {
      client_id: this.clientId,
      client_secret: this.clientSecret,
      auth_url: `${this.url}/o/oauth2/v2/auth`,
      token_url: `${this.url}/token`,
      userinfo_url: `${this.url}/oauth2/v2/userinfo`,
    };
  }

  /** The next authorization is refused by the user: the redirect carries `error=access_denied`. */
  denyNextSignIn(): void {
    this.denyNext = true;
  }

  /** A refresh token as if the user had signed in before (for imports and token-service tests). */
  issueRefreshToken(email: string): string {
    const token = `1//fake-refresh-${randomBytes(18).toString('base64url')}`;
    this.refreshTokens.set(token, { email, revoked: false });
    return token;
  }

  /** The user (or Google) revokes the grant: every later refresh with it gets `invalid_grant`. */
  revoke(refreshToken: string): void {
    const t = this.refreshTokens.get(refreshToken);
    if (t) t.revoked = true;
  }

  /** Every access token issued so far stops working. */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = 0;
  }

  /** Whose a live access token is, or null (for fakes of APIs that take these tokens). */
  accessTokenOwner(token: string): string | null {
    const t = this.accessTokens.get(token);
    return t && t.expiresAt > Date.now() ? t.email : null;
  }

  /** Token requests with the refresh_token grant, answered or not. */
  get refreshCount(): number {
    return this.requests.filter((r) => r.endpoint === 'token' && r.form.grant_type === 'refresh_token').length;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const endpoint =
      url.pathname === '/o/oauth2/v2/auth' ? 'authorize' : url.pathname === '/token' ? 'token' : url.pathname === '/oauth2/v2/userinfo' ? 'userinfo' : 'other';
    const raw = await readBody(req);
    const form =
      endpoint === 'token' && /application\/x-www-form-urlencoded/i.test(firstHeader(req.headers['content-type']) ?? '')
        ? Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
        : {};
    const rec: RecordedOAuthRequest = {
      method: req.method ?? '',
      path: url.pathname,
      endpoint,
      query: Object.fromEntries(url.searchParams),
      form,
      authorization: firstHeader(req.headers.authorization),
      status: 0,
    };
    this.requests.push(rec);
    const send = (status: number, headers: Record<string, string>, body: string) => {
      rec.status = status;
      res.writeHead(status, headers).end(body);
    };
    const json = (status: number, body: unknown) =>
      send(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, JSON.stringify(body));
    if (endpoint === 'authorize' && req.method === 'GET') return this.authorize(url.searchParams, send);
    if (endpoint === 'userinfo' && req.method === 'GET') return this.userinfo(rec.authorization, json);
    if (endpoint === 'token' && req.method === 'POST') {
      const b = this.nextBehaviour(rec);
      if (b.kind === 'drop') {
        rec.status = -1;
        res.destroy();
        return;
      }
      if (b.kind === 'delay') await new Promise((r) => setTimeout(r, b.ms));
      if (res.destroyed) return;
      if (b.kind === 'error') return json(b.status, { error: b.error ?? 'internal_failure', error_description: b.description ?? 'Scripted failure.' });
      if (!/application\/x-www-form-urlencoded/i.test(firstHeader(req.headers['content-type']) ?? '')) {
        return json(400, { error: 'invalid_request', error_description: 'Invalid content type; expected application/x-www-form-urlencoded.' });
      }
      return this.token(form, b.kind === 'rotate', json);
    }
    send(404, { 'content-type': 'text/html' }, '<html><body>Error 404 (Not Found)</body></html>');
  }

  private authorize(q: URLSearchParams, send: (status: number, headers: Record<string, string>, body: string) => void): void {
    const refuse = (why: string) =>
      send(400, { 'content-type': 'text/html; charset=utf-8' }, `<html><body><h1>Error 400: invalid_request</h1><p>${why}</p></body></html>`);
    if (q.get('client_id') !== this.clientId) return refuse('The OAuth client was not found. Error 401: invalid_client');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!isLoopbackRedirect(redirectUri)) return refuse(`redirect_uri must be a loopback address for a desktop client: ${redirectUri}`);
    if (q.get('response_type') !== 'code') return refuse('Required parameter is missing or wrong: response_type');
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const missing = REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
    if (missing.length > 0) return refuse(`Missing required scope: ${missing.join(' ')}`);
    const challenge = q.get('code_challenge') ?? '';
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return refuse('Invalid code_challenge or code_challenge_method (S256 required)');
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (this.denyNext) {
      this.denyNext = false;
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `4/0Afake${randomBytes(24).toString('base64url')}`;
      this.codes.set(code, { clientId: this.clientId, redirectUri, challenge, email: this.email, expiresAt: Date.now() + this.codeTtlMs, used: false });
      back.searchParams.set('code', code);
      back.searchParams.set('scope', scopes.join(' '));
    }
    send(302, { location: back.toString() }, '');
  }

  private token(form: Record<string, string>, rotate: boolean, json: (status: number, body: unknown) => void): void {
    if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    if (form.grant_type === 'authorization_code') {
      const issued = this.codes.get(form.code ?? '');
      if (!issued || issued.expiresAt < Date.now()) return json(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      if (issued.used) return json(400, { error: 'invalid_grant', error_description: 'Bad Request' });
      issued.used = true;
      if (form.redirect_uri !== issued.redirectUri) return json(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      if (!form.code_verifier) return json(400, { error: 'invalid_grant', error_description: 'Missing code verifier.' });
      if (createHash('sha256').update(form.code_verifier, 'ascii').digest('base64url') !== issued.challenge) {
        return json(400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      }
      const refresh = this.issueRefreshToken(issued.email);
      return json(200, { ...this.accessToken(issued.email), refresh_token: refresh, refresh_token_expires_in: 604799 });
    }
    if (form.grant_type === 'refresh_token') {
      const t = this.refreshTokens.get(form.refresh_token ?? '');
      if (!t || t.revoked) return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      const answer: Record<string, unknown> = this.accessToken(t.email);
      if (rotate) answer.refresh_token = this.issueRefreshToken(t.email);
      return json(200, answer);
    }
    json(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type ?? ''}` });
  }

  private accessToken(email: string): Record<string, unknown> {
    const token = `fake-access.fake-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { email, expiresAt: Date.now() + this.accessTtlS * 1000 });
    return { access_token: token, expires_in: this.accessTtlS, scope: REQUIRED_SCOPES.join(' '), token_type: 'Bearer' };
  }

  private userinfo(authorization: string | undefined, json: (status: number, body: unknown) => void): void {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const email = token ? this.accessTokenOwner(token) : null;
    if (!email) {
      return json(401, {
        error: { code: 401, message: 'Request is missing required authentication credential. Expected OAuth 2 access token.', status: 'UNAUTHENTICATED' },
      });
    }
    json(200, { id: createHash('sha256').update(email).digest('hex').slice(0, 21), email, verified_email: true, name: email.split('@')[0], picture: '' });
  }
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.port !== '';
  } catch {
    return false;
  }
}
