// The seam between the Code Assist provider and Google sign-in: the provider asks for an access token
// for an account and its refresh token, and says when the upstream refused one. Refreshing, caching and
// disabling an account whose refresh token is revoked all happen behind this port.

import type { AttemptContext } from '../types.js';

export interface AccessTokens {
  /**
   * A live access token for the account: the cached one while it is valid for a while yet, otherwise a
   * fresh one from the token endpoint, one refresh at a time per account however many requests wait.
   * Throws an UpstreamError (kind `auth` when the refresh token is refused, `network`/`timeout`/`server`
   * when the token endpoint cannot be reached) so the attempt loop treats it like any upstream failure.
   * `onAbort` is the attempt's (AttemptContext.onAbort): a cached token is the common answer, and asking
   * a request for an AbortSignal would make one per request for nothing.
   *
   * `waitMs` (0: none) bounds how long this caller waits for a refresh: a token endpoint that does not
   * answer in that time is a network failure for this attempt (the refresh goes on for later callers).
   */
  get(accountId: string, refreshToken: string, onAbort: AttemptContext['onAbort'], waitMs?: number): Promise<string>;
  /** The upstream refused `accessToken` (401): forget it, so the next `get` refreshes. */
  invalidate(accountId: string, accessToken: string): void;
  /** The access tokens held now, so whatever an upstream echoes back of them can be cut out. */
  held?(): Iterable<string>;
}
