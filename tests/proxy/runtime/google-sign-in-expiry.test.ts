// A sign-in lives a bounded time: then its listener closes, it is announced as expired, and a code
// pasted later is refused. A redirect and a paste that race end it once, with one account.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountSchema, ControlError, defaultSettings, type Account, type GoogleSignInOutcome } from '../../../src-proxy/contract/index.js';
import { GoogleOAuthClient } from '../../../src-proxy/providers/antigravity/google-oauth/oauth-client.js';
import { GoogleSignInService, type GoogleAccountWriter } from '../../../src-proxy/runtime/google-sign-in-service.js';
import { FakeGoogleOAuth } from '../../fakes/google-oauth.js';
import { authorizeWithoutFollowing, isListening, openInBrowser } from '../../helpers/browser.js';

const fake = new FakeGoogleOAuth();
beforeAll(() => fake.listen());
afterAll(() => fake.close());

let oauth: GoogleOAuthClient;
let service: GoogleSignInService;
let outcomes: GoogleSignInOutcome[];
let added: Account[];

const writer: GoogleAccountWriter = {
  findByEmail: (email) => added.find((a) => a.label === email),
  add: async (email) => {
    const account = AccountSchema.parse({ id: `acct_${added.length}`, provider: 'antigravity', label: email, options: {}, created_at: 1 });
    added.push(account);
    return account;
  },
  replaceRefreshToken: async (id) => added.find((a) => a.id === id)!,
};

function open(ttlMs: number): GoogleSignInService {
  service = new GoogleSignInService({
    google: () => ({ ...defaultSettings().google, ...fake.settings() }),
    oauth,
    accounts: writer,
    onOutcome: (o) => outcomes.push(o),
    ttlMs,
  });
  return service;
}

beforeEach(() => {
  fake.reset();
  oauth = new GoogleOAuthClient();
  outcomes = [];
  added = [];
});
afterEach(async () => {
  service.close();
  await oauth.close();
});

describe('GoogleSignInService lifetime', () => {
  it('expires: closes its listener, announces it, and refuses a later code', async () => {
    const s = open(100);
    const start = await s.start();
    expect(start.expires_at).toBeLessThanOrEqual(Date.now() + 100);
    await fake.waitFor(() => outcomes.length > 0, 2000);
    expect(outcomes).toEqual([{ sign_in_id: start.sign_in_id, account: null, error: 'sign_in_expired' }]);
    expect(await isListening(start.redirect_uri)).toBe(false);
    const err = await s.finish({ sign_in_id: start.sign_in_id, code: '4/0Alate-code' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlError);
    expect((err as ControlError).code).toBe('sign_in_expired');
  });

  it('ends once when the redirect and a pasted URL arrive together', async () => {
    const s = open(60_000);
    const start = await s.start();
    const location = await authorizeWithoutFollowing(start.url);
    const [page, pasted] = await Promise.all([openInBrowser(location), s.finish({ sign_in_id: start.sign_in_id, code: location })]);
    expect(page.html).toContain('Signed in as ada@example.com');
    expect(pasted.label).toBe('ada@example.com');
    expect(added).toHaveLength(1);
    expect(outcomes).toHaveLength(1);
    expect(fake.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
  });

  it('keeps at most a few sign-ins open, ending the oldest', async () => {
    const s = open(60_000);
    const starts = [];
    for (let i = 0; i < 5; i++) starts.push(await s.start());
    expect(await isListening(starts[0]!.redirect_uri)).toBe(false);
    expect(await isListening(starts[4]!.redirect_uri)).toBe(true);
  });
});
