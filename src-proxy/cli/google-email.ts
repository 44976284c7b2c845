// The email of the Google account a refresh token belongs to, for `accounts add --provider antigravity`
// without --label: one refresh, then userinfo, with the OAuth client of the settings (or the
// environment). Failures are the sign-in's codes, in words without the token.

import { ControlError, type ControlApi } from '../contract/index.js';
import { withClientFallback } from '../providers/antigravity/google-oauth/client-credentials.js';
import { GoogleOAuthClient } from '../providers/antigravity/google-oauth/oauth-client.js';
import type { TokenFailure } from '../providers/antigravity/google-oauth/token-response.js';
import { googleClientFromEnv } from './google-client-env.js';

export async function googleEmailOf(refreshToken: string, api: ControlApi, env: NodeJS.ProcessEnv): Promise<string> {
  const google = withClientFallback((await api.getSettings()).google, googleClientFromEnv(env));
  if (!google.client_id) {
    throw new ControlError(
      'not_configured',
      'Reading the account email needs the Google OAuth client: set google.client_id and google.client_secret, or give --label EMAIL.',
    );
  }
  const oauth = new GoogleOAuthClient();
  try {
    const tokens = await oauth.refresh(google, refreshToken);
    if (!tokens.ok) throw refusal(tokens.failure, 'refreshing the token');
    const who = await oauth.email(google, tokens.tokens.accessToken);
    if (!who.ok) throw refusal(who.failure, 'reading the account email');
    return who.email;
  } finally {
    await oauth.close();
  }
}

function refusal(f: TokenFailure, step: string): ControlError {
  const unreachable = f.status === null || f.status >= 500 || f.status === 429;
  return new ControlError(
    unreachable ? 'upstream_unreachable' : 'sign_in_failed',
    `Google ${unreachable ? 'could not be reached' : 'refused'} while ${step}: ${f.message}.`,
  );
}
