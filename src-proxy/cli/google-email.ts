// The email of the Google account a refresh token belongs to, for `accounts add --provider antigravity`
// without --label. The gateway reads it with the OAuth client it holds (from its settings or its
// environment), which it never hands out; failures are the sign-in's codes, in words without the token.

import { ControlError, type ControlApi } from '../contract/index.js';

export async function googleEmailOf(refreshToken: string, api: ControlApi): Promise<string> {
  try {
    return (await api.googleAccountEmail(refreshToken)).email;
  } catch (err) {
    if (err instanceof ControlError && err.code === 'not_configured') {
      throw new ControlError(
        'not_configured',
        'Reading the account email needs the Google OAuth client: set google.client_id and google.client_secret, or give --label EMAIL.',
      );
    }
    throw err;
  }
}
