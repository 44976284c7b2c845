// Child process: the fake Code Assist backend from tests/fakes (a front in front of the fake Gemini
// API) and the fake Google OAuth endpoints whose access tokens it takes, behind the gateway's Google
// accounts (the v1internal path), answering as gemini-phases.ts says. `google` tells the parent the
// OAuth settings and a refresh token for each account, as a sign-in would have given them.

import { FakeGoogleOAuth } from '../tests/fakes/google-oauth.js';
import { startFakeV1Internal } from '../tests/fakes/v1internal-upstream.js';
import { CODE_ASSIST_ACCOUNTS, GEMINI_MODEL } from './bodies.js';
import { geminiPhases, replayHeaders } from './gemini-phases.js';
import { runChild } from './ipc.js';

export interface GoogleSetup {
  settings: ReturnType<FakeGoogleOAuth['settings']>;
  /** By account email. */
  refreshTokens: Record<string, string>;
}

runChild('fake Code Assist upstream', async () => {
  const phases = geminiPhases();
  const oauth = new FakeGoogleOAuth();
  await oauth.listen();
  const fake = await startFakeV1Internal({
    accounts: CODE_ASSIST_ACCOUNTS.map((email, i) => ({ token: email, project: `bench-project-${i + 1}` })),
    models: [GEMINI_MODEL],
    tokenOwner: (token) => oauth.accessTokenOwner(token),
  });
  fake.gemini.setDefault(() => {
    // The front's record of the call this inner request belongs to (the bench captures one at a time).
    const front = fake.requests[fake.requests.length - 1];
    if (front) {
      const path = front.query ? `${front.path}?${front.query}` : front.path;
      phases.saw(() => ({ path, headers: replayHeaders(front.headers), body: JSON.stringify(front.body) }));
    }
    // As in fake-child.ts: the records of both fakes are dropped as we go.
    fake.reset();
    return phases.behaviour();
  });
  const google: GoogleSetup = {
    settings: oauth.settings(),
    refreshTokens: Object.fromEntries(CODE_ASSIST_ACCOUNTS.map((email) => [email, oauth.issueRefreshToken(email)])),
  };
  const { port } = new URL(fake.url);
  return {
    port: Number(port),
    ops: { ...phases.ops, google: () => google },
    close: async () => {
      await Promise.all([fake.close(), oauth.close()]);
    },
  };
});
