// The three calls Google sign-in and token refresh make: the code exchange and the refresh at the token
// endpoint (form-encoded, as OAuth 2.0 wants), and the user's email from the userinfo endpoint. Each is
// bounded in time and size, honours the caller's abort, and reports a failure kind in words that never
// carry the code, the tokens or the client secret.

import { Agent, request, type Dispatcher } from 'undici';
import type { GoogleSettings } from '../../../contract/index.js';
import { classifyNetworkError } from '../../shared/network-errors.js';
import { parseTokenResponse, type TokenFailure, type TokenResult } from './token-response.js';

const DEFAULT_TIMEOUT_MS = 20_000;
/** Token and userinfo answers are a few hundred bytes; anything longer is not read. */
const MAX_BODY_BYTES = 64 * 1024;

export type OAuthEndpoints = Pick<GoogleSettings, 'client_id' | 'client_secret' | 'token_url' | 'userinfo_url'>;

export type EmailResult = { ok: true; email: string } | { ok: false; failure: TokenFailure };

export interface GoogleOAuthClientOptions {
  /** Tests hand in their own pool; otherwise the client keeps one and closes it in close(). */
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  now?: () => number;
}

export class GoogleOAuthClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(opts: GoogleOAuthClientOptions = {}) {
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? new Agent({ keepAliveTimeout: 30_000 });
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
  }

  exchangeCode(ep: OAuthEndpoints, code: string, verifier: string, redirectUri: string, signal?: AbortSignal): Promise<TokenResult> {
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, ...clientOf(ep) };
    return this.tokenCall(ep, form, [code, verifier, ep.client_secret], signal);
  }

  refresh(ep: OAuthEndpoints, refreshToken: string, signal?: AbortSignal): Promise<TokenResult> {
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientOf(ep) };
    return this.tokenCall(ep, form, [refreshToken, ep.client_secret], signal);
  }

  /** The signed-in user's email: the label a Google account is known by. */
  async email(ep: OAuthEndpoints, accessToken: string, signal?: AbortSignal): Promise<EmailResult> {
    const answer = await this.call(ep.userinfo_url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } }, signal);
    if ('failure' in answer) return { ok: false, failure: scrubbed(answer.failure, [accessToken]) };
    const { status, text } = answer;
    if (status < 200 || status >= 300) {
      const kind = status === 401 ? 'auth' : status === 429 ? 'rate_limit' : status === 403 ? 'forbidden' : 'server';
      return { ok: false, failure: { kind, status, oauthError: null, message: `userinfo endpoint answered HTTP ${status}` } };
    }
    const email = emailOf(text);
    if (email === null) return { ok: false, failure: { kind: 'server', status, oauthError: null, message: 'userinfo endpoint answered without an email' } };
    return { ok: true, email };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async tokenCall(ep: OAuthEndpoints, form: Record<string, string>, secrets: string[], signal?: AbortSignal): Promise<TokenResult> {
    const body = new URLSearchParams(form).toString();
    const answer = await this.call(
      ep.token_url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body },
      signal,
    );
    if ('failure' in answer) return { ok: false, failure: scrubbed(answer.failure, secrets) };
    const result = parseTokenResponse(answer.status, answer.text, this.now());
    return result.ok ? result : { ok: false, failure: scrubbed(result.failure, secrets) };
  }

  private async call(
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string } | { failure: TokenFailure }> {
    if (signal?.aborted) return { failure: aborted() };
    try {
      const res = await request(url, {
        ...init,
        dispatcher: this.dispatcher,
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      return { status: res.statusCode, text: await cappedText(res.body) };
    } catch (err) {
      if (signal?.aborted) return { failure: aborted() };
      const f = classifyNetworkError(err);
      return { failure: { kind: f.kind, status: null, oauthError: null, message: f.message.replace('upstream', 'Google sign-in endpoint') } };
    }
  }
}

function clientOf(ep: OAuthEndpoints): Record<string, string> {
  // A desktop client may have no secret; an empty field would be refused as a wrong one.
  return ep.client_secret ? { client_id: ep.client_id, client_secret: ep.client_secret } : { client_id: ep.client_id };
}

function aborted(): TokenFailure {
  return { kind: 'network', status: null, oauthError: null, message: 'the request was aborted' };
}

async function cappedText(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function emailOf(text: string): string | null {
  try {
    const v = JSON.parse(text) as { email?: unknown };
    return typeof v.email === 'string' && v.email.includes('@') ? v.email.trim().slice(0, 200) : null;
  } catch {
    return null;
  }
}

/** Whatever the endpoint echoed, the values sent never reach a message. */
function scrubbed(f: TokenFailure, secrets: string[]): TokenFailure {
  let message = f.message;
  for (const s of secrets) if (s.length >= 4) message = message.split(s).join('[redacted]');
  return message === f.message ? f : { ...f, message };
}
