// Google sign-in as the ControlApi offers it. A sign-in is a PKCE pair, a state and a loopback listener
// that lives at most `ttlMs`; it ends when Google's redirect reaches the listener or the user pastes the
// code (or the whole redirect URL), whichever comes first. Either way the code is exchanged, the email
// read from userinfo becomes the label, and the account is added, or, when a Google account with that
// email exists, given the new refresh token and put back into service. Every end is announced as a
// `sign_in` event; failures reach the shells as the contract's codes with messages that hold no secret.

import { randomBytes } from 'node:crypto';
import {
  ControlError,
  GOOGLE_ACCOUNT_KIND,
  GoogleSignInFinishSchema,
  type Account,
  type ControlErrorCode,
  type GoogleSettings,
  type GoogleSignInFinish,
  type GoogleSignInOutcome,
  type GoogleSignInStart,
} from '../contract/index.js';
import type { AccountStore } from '../accounts/account-store.js';
import { buildAuthorizationUrl } from '../providers/antigravity/google-oauth/authorization-url.js';
import { openLoopbackListener, type LoopbackListener } from '../providers/antigravity/google-oauth/loopback-listener.js';
import type { GoogleOAuthClient } from '../providers/antigravity/google-oauth/oauth-client.js';
import { fromRedirectQuery, parsePastedCode, type PastedCode } from '../providers/antigravity/google-oauth/pasted-code.js';
import { createPkce, createState } from '../providers/antigravity/google-oauth/pkce.js';
import { redirectPage, type RedirectPage } from '../providers/antigravity/google-oauth/redirect-page.js';
import type { TokenFailure } from '../providers/antigravity/google-oauth/token-response.js';
import type { AccountsService } from './accounts-service.js';
import { parseOrThrow } from './parse-args.js';

/** Google's codes live about ten minutes; a sign-in waits no longer. */
export const SIGN_IN_TTL_MS = 10 * 60_000;
/** Sign-ins open at once (each holds a port); starting one more ends the oldest. */
const MAX_PENDING = 4;

type SignInError = NonNullable<GoogleSignInOutcome['error']>;

/** Where a signed-in Google account is added, or found by its email and given its new refresh token. */
export interface GoogleAccountWriter {
  findByEmail(email: string): Account | undefined;
  add(email: string, refreshToken: string): Promise<Account>;
  replaceRefreshToken(id: string, refreshToken: string): Promise<Account>;
}

export interface GoogleSignInDeps {
  /** The effective client and endpoints, read when a sign-in starts. */
  google: () => GoogleSettings;
  oauth: GoogleOAuthClient;
  accounts: GoogleAccountWriter;
  onOutcome(outcome: GoogleSignInOutcome): void;
  ttlMs?: number;
  now?: () => number;
}

interface PendingSignIn {
  id: string;
  state: string;
  verifier: string;
  redirectUri: string;
  google: GoogleSettings;
  listener: LoopbackListener;
  timer: NodeJS.Timeout;
  completion: Promise<Account> | null;
}

export class GoogleSignInService {
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: GoogleSignInDeps) {
    this.ttlMs = deps.ttlMs ?? SIGN_IN_TTL_MS;
    this.now = deps.now ?? Date.now;
  }

  async start(): Promise<GoogleSignInStart> {
    const google = this.deps.google();
    if (!google.client_id) {
      throw new ControlError('not_configured', 'Google sign-in needs an OAuth client: set google.client_id and google.client_secret first.');
    }
    while (this.pending.size >= MAX_PENDING) this.cancelNow(this.pending.keys().next().value as string);
    const id = `gsi_${randomBytes(9).toString('base64url')}`;
    let listener: LoopbackListener;
    try {
      listener = await openLoopbackListener((query) => this.onRedirect(id, query));
    } catch (err) {
      throw new ControlError('listen_failed', `Cannot listen on 127.0.0.1 for the sign-in redirect (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const { verifier, challenge } = createPkce();
    const state = createState();
    const expiresAt = this.now() + this.ttlMs;
    const timer = setTimeout(() => this.expire(id), this.ttlMs);
    timer.unref();
    this.pending.set(id, { id, state, verifier, redirectUri: listener.redirectUri, google, listener, timer, completion: null });
    const url = buildAuthorizationUrl({
      authUrl: google.auth_url,
      clientId: google.client_id,
      redirectUri: listener.redirectUri,
      state,
      codeChallenge: challenge,
    });
    return { sign_in_id: id, url, redirect_uri: listener.redirectUri, expires_at: expiresAt };
  }

  async finish(req: GoogleSignInFinish): Promise<Account> {
    const { sign_in_id, code } = parseOrThrow(GoogleSignInFinishSchema, req);
    const p = this.require(sign_in_id);
    const pasted = parsePastedCode(code, p.state);
    if (!pasted.ok) {
      if (pasted.reason === 'no_code') {
        throw new ControlError('invalid_argument', 'Paste the code Google showed, or the whole address the browser was sent to.');
      }
      if (pasted.reason === 'state_mismatch')
        throw new ControlError('sign_in_failed', 'That address belongs to another sign-in; paste the one from this sign-in.');
      this.end(p, null, 'sign_in_failed');
      throw new ControlError('sign_in_failed', `Google did not sign you in (${pasted.error ?? 'refused'}).`);
    }
    return this.complete(p, pasted.code);
  }

  async cancel(signInId: string): Promise<void> {
    this.cancelNow(signInId);
  }

  /** Ends every sign-in (the runtime is closing); nothing is announced. */
  close(): void {
    for (const id of [...this.pending.keys()]) this.cancelNow(id);
  }

  private async onRedirect(id: string, query: URLSearchParams): Promise<RedirectPage> {
    const p = this.pending.get(id);
    if (!p) return failurePage('This sign-in has ended', 'It expired, was cancelled or finished already. Start a new sign-in in Switchyard.', 410);
    const redirect: PastedCode = fromRedirectQuery(query, p.state);
    if (!redirect.ok) {
      if (redirect.reason === 'state_mismatch') {
        return failurePage('This page does not belong to the sign-in in progress', 'Open the sign-in link Switchyard gave you, in this browser.', 400);
      }
      if (redirect.reason === 'no_code') return failurePage('Google sent no sign-in code', 'Start the sign-in again in Switchyard.', 400);
      this.end(p, null, 'sign_in_failed');
      return failurePage('Google did not sign you in', `Google answered "${redirect.error ?? 'refused'}". Start the sign-in again in Switchyard.`, 400);
    }
    try {
      const account = await this.complete(p, redirect.code);
      return redirectPage({ ok: true, email: account.label });
    } catch (err) {
      const message = err instanceof ControlError ? err.message : 'Something went wrong on this machine.';
      return failurePage('Sign-in failed', `${message} Start the sign-in again in Switchyard.`, 502);
    }
  }

  /**
   * The email of the Google account a refresh token belongs to (an account added from its token alone):
   * one refresh, then userinfo, with the client this core holds, which never leaves it.
   */
  async emailOf(refreshToken: string): Promise<string> {
    const google = this.deps.google();
    if (!google.client_id) {
      throw new ControlError('not_configured', 'Reading the account email needs the Google OAuth client: set google.client_id and google.client_secret.');
    }
    const tokens = await this.deps.oauth.refresh(google, refreshToken);
    if (!tokens.ok) throw controlErrorOf(tokens.failure, 'refreshing the token', 'Google refused');
    const who = await this.deps.oauth.email(google, tokens.tokens.accessToken);
    if (!who.ok) throw controlErrorOf(who.failure, 'reading the account email', 'Google refused');
    return who.email;
  }

  /** The one exchange of a sign-in: a redirect and a paste that race share it. */
  private complete(p: PendingSignIn, code: string): Promise<Account> {
    p.completion ??= this.exchange(p, code).then(
      (account) => {
        this.end(p, account, null);
        return account;
      },
      (err: unknown) => {
        const control = err instanceof ControlError ? err : new ControlError('internal', 'The sign-in failed on this machine.');
        this.end(p, null, signInError(control.code));
        throw control;
      },
    );
    return p.completion;
  }

  private async exchange(p: PendingSignIn, code: string): Promise<Account> {
    const tokens = await this.deps.oauth.exchangeCode(p.google, code, p.verifier, p.redirectUri);
    if (!tokens.ok) throw controlErrorOf(tokens.failure, 'exchanging the code');
    const refreshToken = tokens.tokens.refreshToken;
    if (refreshToken === null) {
      throw new ControlError(
        'sign_in_failed',
        'Google returned no refresh token. Remove Switchyard from the apps with access to the Google account, then sign in again.',
      );
    }
    const who = await this.deps.oauth.email(p.google, tokens.tokens.accessToken);
    if (!who.ok) throw controlErrorOf(who.failure, 'reading the account email');
    const existing = this.deps.accounts.findByEmail(who.email);
    return existing ? this.deps.accounts.replaceRefreshToken(existing.id, refreshToken) : this.deps.accounts.add(who.email, refreshToken);
  }

  private expire(id: string): void {
    const p = this.pending.get(id);
    // An exchange under way finishes; it ends the sign-in itself.
    if (p && !p.completion) this.end(p, null, 'sign_in_expired');
  }

  private end(p: PendingSignIn, account: Account | null, error: SignInError | null): void {
    if (this.pending.get(p.id) !== p) return;
    this.pending.delete(p.id);
    clearTimeout(p.timer);
    p.listener.close();
    this.deps.onOutcome({ sign_in_id: p.id, account, error });
  }

  private cancelNow(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.listener.close();
  }

  private require(id: string): PendingSignIn {
    const p = this.pending.get(id);
    if (!p) throw new ControlError('sign_in_expired', 'This sign-in has ended or was not started here; start a new one.');
    return p;
  }
}

function failurePage(title: string, detail: string, status: number): Promise<RedirectPage> {
  return Promise.resolve(redirectPage({ ok: false, title, detail }, status));
}

/** Google refusing is `sign_in_failed`; Google out of reach is `upstream_unreachable`. */
function controlErrorOf(f: TokenFailure, step: string, refused = 'Google refused the sign-in'): ControlError {
  if (f.status === null || f.status >= 500 || f.status === 429) {
    return new ControlError('upstream_unreachable', `Google could not be reached while ${step}: ${f.message}.`);
  }
  return new ControlError('sign_in_failed', `${refused} while ${step}: ${f.message}.`);
}

function signInError(code: ControlErrorCode): SignInError {
  return code === 'not_configured' || code === 'sign_in_expired' || code === 'upstream_unreachable' ? code : 'sign_in_failed';
}

export interface GoogleSignInOptions {
  google: () => GoogleSettings;
  oauth: GoogleOAuthClient;
  accounts: AccountsService;
  store: AccountStore;
  onOutcome(outcome: GoogleSignInOutcome): void;
  ttlMs?: number;
}

/** The sign-in as the runtime wires it: accounts go through the same service the console uses. */
export function createGoogleSignIn(o: GoogleSignInOptions): GoogleSignInService {
  return new GoogleSignInService({
    google: o.google,
    oauth: o.oauth,
    onOutcome: o.onOutcome,
    ttlMs: o.ttlMs,
    accounts: {
      findByEmail: (email) => o.store.list().find((a) => a.provider === GOOGLE_ACCOUNT_KIND && a.label.toLowerCase() === email.toLowerCase()),
      add: (email, refreshToken) => o.accounts.add({ provider: GOOGLE_ACCOUNT_KIND, label: email, refresh_token: refreshToken }),
      replaceRefreshToken: (id, refreshToken) => o.accounts.update(id, { api_key: refreshToken }),
    },
  });
}
