import { z } from 'zod';
import type { Account } from './accounts.js';

/**
 * A Google sign-in in progress. The user opens `url` in a browser; Google sends the browser back to
 * `redirect_uri` (a loopback listener of the core), or, on a machine without a browser, the user pastes
 * the code or the whole redirect URL into `finishGoogleSignIn`.
 */
export interface GoogleSignInStart {
  sign_in_id: string;
  url: string;
  redirect_uri: string;
  /** After this (epoch ms) the sign-in is forgotten and must be started again. */
  expires_at: number;
}

export const GoogleSignInFinishSchema = z
  .object({
    sign_in_id: z.string().trim().min(1),
    /** The authorization code, or the whole URL the browser was sent back to. */
    code: z.string().trim().min(1).max(8192),
  })
  .strict();
export type GoogleSignInFinish = z.infer<typeof GoogleSignInFinishSchema>;

/** Pushed when a sign-in ends, whichever way it ended (loopback redirect, pasted code, expiry). */
export interface GoogleSignInOutcome {
  sign_in_id: string;
  /** The account added or refreshed, when the sign-in succeeded. */
  account: Account | null;
  /** Why it failed, as a ControlErrorCode the shells put into words; null on success. */
  error: 'not_configured' | 'sign_in_failed' | 'sign_in_expired' | 'upstream_unreachable' | null;
}
