// Access tokens for Google accounts, behind the AccessTokens port: one cached token per account, used
// until its last minute, then one refresh per account however many requests are waiting for it. A
// refresh token Google no longer accepts (`invalid_grant`) takes the account out of service with a
// reason the console shows; a rotated refresh token is stored at once. Tokens live in memory and in the
// SecretStore only, and no message carries one.

import type { Account } from '../../contract/index.js';
import type { AccountStore } from '../../accounts/account-store.js';
import type { SecretStore } from '../../accounts/secret-store.js';
import { waitBounded, type WaitEnd } from '../shared/bounded-wait.js';
import { seconds } from '../shared/network-errors.js';
import { UpstreamError, type AttemptContext } from '../types.js';
import type { AccessTokens } from './access-tokens.js';
import { isFresh, REFRESH_MARGIN_MS } from './google-oauth/expiry.js';
import type { GoogleOAuthClient, OAuthEndpoints } from './google-oauth/oauth-client.js';
import { isRevokedGrant, type TokenFailure } from './google-oauth/token-response.js';

/** Where an account whose refresh token is revoked is taken out of service. */
export interface AccountDisabling {
  disable(accountId: string, reason: string): void;
}

export interface GoogleTokenServiceDeps {
  /** Read at every refresh, so a changed client or endpoint applies without a restart. */
  google: () => OAuthEndpoints;
  secrets: SecretStore;
  accounts: AccountDisabling;
  oauth: GoogleOAuthClient;
  now?: () => number;
  marginMs?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  /**
   * The refresh tokens this access token stands for (the one used, and a rotated one), compared as they
   * are: every call brings the account's refresh token in memory anyway, and a hash of it per request
   * would cost every request CPU and protect nothing.
   */
  grants: ReadonlySet<string>;
}

interface Flight {
  refreshToken: string;
  promise: Promise<CachedToken>;
}

export class GoogleTokenService implements AccessTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly flights = new Map<string, Flight>();
  private readonly closing = new AbortController();
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(private readonly deps: GoogleTokenServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.marginMs = deps.marginMs ?? REFRESH_MARGIN_MS;
  }

  async get(accountId: string, refreshToken: string, onAbort: AttemptContext['onAbort'], waitMs = 0): Promise<string> {
    // A new refresh token (a new sign-in) makes the cached access token of the old one irrelevant.
    const cached = this.cache.get(accountId);
    if (cached && cached.grants.has(refreshToken) && isFresh(cached.expiresAt, this.now(), this.marginMs)) return cached.token;
    let flight = this.flights.get(accountId);
    if (!flight || flight.refreshToken !== refreshToken) {
      const started: Flight = { refreshToken, promise: this.refresh(accountId, refreshToken) };
      this.flights.set(accountId, started);
      const done = () => {
        if (this.flights.get(accountId) === started) this.flights.delete(accountId);
      };
      started.promise.then(done, done);
      flight = started;
    }
    // One waiter giving up does not cancel the refresh the others are waiting for.
    const got = await waitBounded<CachedToken | WaitEnd>(flight.promise, { onAbort, headersTimeoutMs: waitMs }, (why) => why);
    if (got === 'timeout') throw unansweredError(waitMs);
    if (got === 'ended') throw abortedError();
    return got.token;
  }

  invalidate(accountId: string, accessToken: string): void {
    if (this.cache.get(accountId)?.token === accessToken) this.cache.delete(accountId);
  }

  held(): Iterable<string> {
    return [...this.cache.values()].map((c) => c.token);
  }

  /** Ends refreshes in flight; their waiters get a network failure. */
  close(): void {
    this.closing.abort();
    this.cache.clear();
  }

  private async refresh(accountId: string, refreshToken: string): Promise<CachedToken> {
    const ep = this.deps.google();
    if (!ep.client_id) {
      // The same for every account, and fixed by a setting: no account is blamed.
      throw upstreamError({
        kind: 'server',
        status: null,
        oauthError: null,
        message: 'Google sign-in is not configured: set google.client_id and google.client_secret',
      });
    }
    const result = await this.deps.oauth.refresh(ep, refreshToken, this.closing.signal);
    if (!result.ok) {
      if (isRevokedGrant(result.failure)) {
        this.cache.delete(accountId);
        this.deps.accounts.disable(accountId, `Google no longer accepts this account's sign-in (${result.failure.message}); sign in again`);
      }
      throw upstreamError(result.failure);
    }
    const grants = new Set([refreshToken]);
    const rotated = result.tokens.refreshToken;
    if (rotated !== null && rotated !== refreshToken) {
      await this.deps.secrets.set(accountId, rotated).catch(() => {
        throw upstreamError({ kind: 'server', status: null, oauthError: null, message: 'the renewed Google sign-in could not be stored' });
      });
      grants.add(rotated);
    }
    const entry: CachedToken = { token: result.tokens.accessToken, expiresAt: result.tokens.expiresAt, grants };
    this.cache.set(accountId, entry);
    return entry;
  }
}

/** What the runtime hands over: the account store itself stands in for the disabling port. */
export type GoogleTokensOptions = Omit<GoogleTokenServiceDeps, 'accounts' | 'marginMs'> & { accounts: AccountStore };

/** The token service as the runtime wires it: disabling an account is runtime bookkeeping on the store. */
export function createGoogleTokens(o: GoogleTokensOptions): GoogleTokenService {
  const now = o.now ?? Date.now;
  return new GoogleTokenService({
    google: o.google,
    secrets: o.secrets,
    oauth: o.oauth,
    now,
    accounts: {
      disable: (accountId, reason) => {
        const at = now();
        o.accounts.patchRuntime(accountId, (a): Account => ({
          ...a,
          health: 'invalid',
          health_message: reason,
          health_at: at,
          learned: { ...a.learned, disabled_reason: reason, updated_at: at },
        }));
      },
    },
  });
}

function upstreamError(f: TokenFailure): UpstreamError {
  // A token endpoint that times out is out of reach like one that refuses connections: the account cools.
  return new UpstreamError({ kind: f.kind === 'timeout' ? 'network' : f.kind, status: f.status, message: f.message, retryAfterMs: null });
}

function unansweredError(waitMs: number): UpstreamError {
  return new UpstreamError({
    kind: 'network',
    status: null,
    message: `Google's token endpoint did not answer within ${seconds(waitMs)} (setting upstream_headers_timeout_ms)`,
    retryAfterMs: null,
  });
}

function abortedError(): UpstreamError {
  return new UpstreamError({ kind: 'network', status: null, message: 'the request was aborted while waiting for an access token', retryAfterMs: null });
}
