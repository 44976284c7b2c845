// One Code Assist call for an account: a bearer token from the AccessTokens port, the configured hosts
// tried in order (the next one on 404, 5xx or a network error), and a refused token (401, or 403
// PERMISSION_DENIED) answered by one refresh and one more try. A refusal that survives the refresh is the
// account's: its reason is recorded for the console, and a later success clears it.

import type { AccountOf } from '../../contract/index.js';
import { jsonBody, LongStringCache } from '../shared/json-body.js';
import type { UpstreamAnswer } from '../shared/upstream-call.js';
import type { UpstreamClient } from '../shared/upstream-client.js';
import type { AccountCredentials, AccountStatePort } from '../../accounts/pool-ports.js';
import { UpstreamError, type AttemptContext, type UpstreamFailure } from '../types.js';
import type { AccessTokens } from './access-tokens.js';
import { classifyCodeAssistFailure } from './code-assist-errors.js';

export type AntigravityAccount = AccountOf<'antigravity'>;

export const API_VERSION = '/v1internal';
const USER_AGENT = 'switchyard (code-assist)';

export interface CodeAssistCall {
  /** `streamGenerateContent?alt=sse`, `loadCodeAssist` …, or an operation name to GET. */
  method: string;
  /** Absent: a GET of `operations/…`. */
  body?: unknown;
  stream?: boolean;
}

export type CodeAssistAnswer = UpstreamAnswer | { failure: UpstreamFailure };

/** Another host may have what this one lacks or cannot give now. */
export function failsOver(f: UpstreamFailure): boolean {
  if (f.status === null) return f.kind === 'network';
  return f.status === 404 || f.status === 408 || f.status >= 500;
}

/** The upstream refused the credential rather than the request. */
export function refusesToken(f: UpstreamFailure): boolean {
  return f.kind === 'auth' || f.kind === 'forbidden';
}

export class CodeAssistClient {
  /** The long strings of the conversations sent, so a session's next turn copies their bytes. */
  private readonly longStrings = new LongStringCache();

  constructor(
    private readonly http: UpstreamClient,
    private readonly tokens: AccessTokens,
    private readonly state: AccountStatePort,
    private readonly baseUrls: () => readonly string[],
  ) {}

  async call(call: CodeAssistCall, { account, secret }: AccountCredentials<AntigravityAccount>, ctx: AttemptContext): Promise<CodeAssistAnswer> {
    let token = await this.token(account.id, secret, ctx);
    if (typeof token !== 'string') return token;
    const bases = this.baseUrls();
    const body = call.body === undefined ? '' : jsonBody(call.body, this.longStrings);
    let refreshed = false;
    for (let i = 0; ;) {
      const res = await this.http.post(
        {
          ...(call.body === undefined ? { method: 'GET' as const } : {}),
          baseUrl: bases[i]!,
          path: call.body === undefined ? `${API_VERSION}/${call.method}` : `${API_VERSION}:${call.method}`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': USER_AGENT },
          body,
          streams: call.stream === true,
          secret: token,
          classify: classifyCodeAssistFailure,
        },
        ctx,
      );
      if (!('failure' in res)) {
        if (account.learned.disabled_reason !== null) this.state.learned(account.id, { disabled_reason: null });
        return res;
      }
      const f = res.failure;
      if (refusesToken(f)) {
        if (refreshed) {
          this.state.learned(account.id, { disabled_reason: `Code Assist refused the account (${f.status ?? 'no status'}): ${f.message}`.slice(0, 500) });
          return res;
        }
        this.tokens.invalidate(account.id, token);
        refreshed = true;
        token = await this.token(account.id, secret, ctx);
        if (typeof token !== 'string') return token;
        continue;
      }
      if (failsOver(f) && i + 1 < bases.length && !ctx.signal.aborted) {
        i++;
        continue;
      }
      return res;
    }
  }

  private async token(accountId: string, refreshToken: string, ctx: AttemptContext): Promise<string | { failure: UpstreamFailure }> {
    try {
      return await this.tokens.get(accountId, refreshToken, ctx.onAbort, ctx.headersTimeoutMs);
    } catch (err) {
      if (err instanceof UpstreamError) return { failure: err.failure };
      const message = err instanceof Error ? err.message : String(err);
      return { failure: { kind: 'network', status: null, message: `no access token for the account (${message})`, retryAfterMs: null } };
    }
  }
}

/** A Code Assist JSON answer, parsed; a failure when it is not JSON or was streamed. */
export function jsonOf(res: UpstreamAnswer, what: string): unknown {
  if (res.streamed) throw new UpstreamError({ kind: 'server', status: res.status, message: `upstream ${what} answered a stream`, retryAfterMs: null });
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new UpstreamError({ kind: 'server', status: res.status, message: `upstream ${what} answer is not JSON`, retryAfterMs: null });
  }
}
