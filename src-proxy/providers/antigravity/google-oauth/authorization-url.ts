// The URL the user opens to sign in: Google's authorization endpoint with a code+PKCE request for
// offline access (so a refresh token comes back), a consent prompt (so it comes back every time, not
// only on the first sign-in) and the account chooser (a pool is several accounts signed in one after
// another in the same browser, and Google would otherwise pick the last one silently).

/** What Code Assist needs: the cloud platform, the user's identity, and its own logging and config scopes. */
export const GOOGLE_SCOPES = [
  'openid',
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/cclog',
  'https://www.googleapis.com/auth/experimentsandconfigs',
] as const;

export interface AuthorizationRequest {
  authUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: readonly string[];
}

export function buildAuthorizationUrl(r: AuthorizationRequest): string {
  const url = new URL(r.authUrl);
  const params: Record<string, string> = {
    client_id: r.clientId,
    redirect_uri: r.redirectUri,
    response_type: 'code',
    scope: (r.scopes ?? GOOGLE_SCOPES).join(' '),
    access_type: 'offline',
    prompt: 'select_account consent',
    include_granted_scopes: 'true',
    state: r.state,
    code_challenge: r.codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
