// A test double of the AccessTokens port: each refresh token stands for a list of access tokens, handed
// out in turn, the next one after each invalidation of the current one (a refresh). Counts what it is asked.

import type { AccessTokens } from '../../src-proxy/providers/antigravity/access-tokens.js';
import { UpstreamError, type AttemptContext } from '../../src-proxy/providers/types.js';

export class FakeAccessTokens implements AccessTokens {
  /** get() calls, and the refreshes they caused (the first token of an account counts as one). */
  gets = 0;
  refreshes = 0;
  readonly invalidations: Array<{ accountId: string; accessToken: string }> = [];
  private readonly current = new Map<string, number>();

  /** `tokens`: refresh token → the access tokens it yields, in order. A refresh token not named is refused. */
  constructor(private readonly tokens: Record<string, string[]>) {}

  get(accountId: string, refreshToken: string, onAbort: AttemptContext['onAbort']): Promise<string> {
    this.gets++;
    let aborted = false;
    onAbort(() => (aborted = true))();
    if (aborted) return Promise.reject(new Error('aborted'));
    const list = this.tokens[refreshToken];
    if (!list) {
      return Promise.reject(new UpstreamError({ kind: 'auth', status: 400, message: 'invalid_grant: Token has been expired or revoked.', retryAfterMs: null }));
    }
    let i = this.current.get(accountId);
    if (i === undefined) {
      i = 0;
      this.current.set(accountId, i);
      this.refreshes++;
    }
    const token = list[Math.min(i, list.length - 1)]!;
    return Promise.resolve(token);
  }

  invalidate(accountId: string, accessToken: string): void {
    this.invalidations.push({ accountId, accessToken });
    const i = this.current.get(accountId);
    const list = Object.values(this.tokens).find((l) => l.includes(accessToken));
    if (i !== undefined && list && list[Math.min(i, list.length - 1)] === accessToken) {
      this.current.set(accountId, i + 1);
      this.refreshes++;
    }
  }
}
