// Reading what Google's token endpoint answers, for both grants. A success is a token set; anything
// else is a failure kind the attempt loop and the sign-in understand, worded without the secrets sent.

import type { FailureKind } from '../../../contract/index.js';

export interface TokenSet {
  accessToken: string;
  /** Epoch ms at which Google stops accepting the access token. */
  expiresAt: number;
  /** Only on a code exchange (offline access), or when Google rotates it on a refresh. */
  refreshToken: string | null;
}

export interface TokenFailure {
  kind: FailureKind;
  status: number | null;
  /** Google's OAuth error code (`invalid_grant`, `invalid_client` ...), when it sent one. */
  oauthError: string | null;
  /** Safe to log and show: Google's code and description, never a token. */
  message: string;
}

export type TokenResult = { ok: true; tokens: TokenSet } | { ok: false; failure: TokenFailure };

/** When Google sends no lifetime, assume its usual hour rather than treating the token as expired. */
const DEFAULT_LIFETIME_S = 3600;

/** A 2xx body as a token set; a 2xx that is not one is the upstream's fault, not the account's. */
export function parseTokenResponse(status: number, bodyText: string, now: number): TokenResult {
  if (status < 200 || status >= 300) return { ok: false, failure: classifyTokenError(status, bodyText) };
  const body = parseObject(bodyText);
  const accessToken = body?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    return { ok: false, failure: { kind: 'server', status, oauthError: null, message: 'the token endpoint answered without an access token' } };
  }
  const expiresIn = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
  const refreshToken = typeof body?.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : null;
  return { ok: true, tokens: { accessToken, expiresAt: now + expiresIn * 1000, refreshToken } };
}

/**
 * `invalid_grant` means the grant itself is dead (a revoked or expired refresh token, a used or wrong
 * code): `auth`, the account's problem. Any other refusal (`invalid_client`, `unauthorized_client`, a
 * request the endpoint cannot read) is the gateway's OAuth client setting, the same for every account,
 * so it must not mark accounts: `server`, like an outage. Throttling keeps its own kind.
 */
export function classifyTokenError(status: number, bodyText: string): TokenFailure {
  const body = parseObject(bodyText);
  const oauthError = typeof body?.error === 'string' ? body.error.slice(0, 100) : null;
  const description = typeof body?.error_description === 'string' ? body.error_description.replace(/\s+/g, ' ').slice(0, 200) : null;
  const kind: FailureKind = status === 429 ? 'rate_limit' : oauthError === 'invalid_grant' && status < 500 ? 'auth' : 'server';
  const what = oauthError ?? `HTTP ${status}`;
  return { kind, status, oauthError, message: `token endpoint refused: ${what}${description ? ` (${description})` : ''}` };
}

/** Whether the failure says the refresh token will never work again. */
export function isRevokedGrant(f: TokenFailure): boolean {
  return f.oauthError === 'invalid_grant';
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
