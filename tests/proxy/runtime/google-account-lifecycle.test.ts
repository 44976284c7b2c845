// A Google account from sign-in to service to revocation, with nothing stubbed between the fakes: the
// runtime signs in against the fake Google OAuth server, the Code Assist fake accepts only the access
// tokens that server issued, and the gateway serves Claude requests on the account until Google revokes it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { createRuntime, type Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';
import { FakeGoogleOAuth } from '../../fakes/google-oauth.js';
import { startFakeV1Internal, type FakeV1Internal } from '../../fakes/v1internal-upstream.js';
import { openInBrowser } from '../../helpers/browser.js';
import { messagesBody, postJson, readJson } from '../../helpers/sse-client.js';

const EMAIL = 'ada@example.com';
const MODEL = 'claude-sonnet-4-5';

let oauth: FakeGoogleOAuth;
let codeAssist: FakeV1Internal;
let secrets: MemorySecretStore;
let runtime: Runtime;
let gatewayUrl: string;

beforeEach(async () => {
  oauth = new FakeGoogleOAuth();
  await oauth.listen();
  oauth.email = EMAIL;
  codeAssist = await startFakeV1Internal({ accounts: [{ token: EMAIL, project: 'proj-ada' }], tokenOwner: (t) => oauth.accessTokenOwner(t) });
  codeAssist.gemini.setDefault({ kind: 'reply', text: 'Served on your Google account.' });
  secrets = new MemorySecretStore();
  runtime = await createRuntime({
    settings: new MemorySettingsStore({
      google: oauth.settings(),
      antigravity: { base_urls: [codeAssist.url] },
      model_rules: [{ match: 'claude-*', provider: 'antigravity' }],
    }),
    accounts: new MemoryAccountStore(),
    secrets,
    listenOverride: { host: '127.0.0.1', port: 0 },
  });
  gatewayUrl = (await runtime.startGateway()).url!;
});
afterEach(async () => {
  await runtime.close(0);
  await codeAssist.close();
  await oauth.close();
});

let question = 0;
const ask = () => postJson(`${gatewayUrl}/v1/messages`, messagesBody({ model: MODEL, messages: [{ role: 'user', content: `Question ${++question}` }] }));

describe('a Google account, signed in and served', () => {
  it('signs in, serves requests, refreshes an expired token once for 20 parallel requests, and is taken out of service when revoked', async () => {
    const start = await runtime.startGoogleSignIn();
    expect((await openInBrowser(start.url)).status).toBe(200);
    const [account] = await runtime.listAccounts();
    expect(account).toMatchObject({ provider: 'antigravity', label: EMAIL, health: 'ok' });

    const first = await ask();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-account-email')).toBe(EMAIL);
    expect(await readJson(first)).toMatchObject({ content: [{ type: 'text', text: 'Served on your Google account.' }] });

    // Google lets every access token lapse; 20 requests at once find out together.
    oauth.expireAccessTokens();
    const refreshesBefore = oauth.refreshCount;
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask()));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(oauth.refreshCount - refreshesBefore).toBe(1);
    await Promise.all(answers.map((r) => r.arrayBuffer()));

    // The grant is revoked: the next refresh gets invalid_grant, and the account stops serving, saying why.
    const refreshToken = secrets.get(account!.id)!;
    oauth.revoke(refreshToken);
    oauth.expireAccessTokens();
    const refused = await ask();
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const body = await refused.text();
    expect(JSON.parse(body)).toMatchObject({ type: 'error' });
    expect(body).not.toContain(refreshToken);
    const [after] = await runtime.listAccounts();
    expect(after!.health).toBe('invalid');
    expect(after!.learned.disabled_reason).toMatch(/./);
    expect(JSON.stringify(after)).not.toContain(refreshToken);
    expect(oauth.refreshCount - refreshesBefore).toBe(2);
  });
});
