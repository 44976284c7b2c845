// Rotation before the 429, and cooldowns as long as the quota says, through real HTTP: an API-key account
// whose reported rate-limit window is used up is turned away until it resets without a request spent on
// it; a 429 saying a quota is spent for days keeps the account out for days, not a minute; and a Google
// account whose quota proves to be back serves again at once, whatever reset its 429 named.

import { afterEach, describe, expect, it } from 'vitest';
import { ALL_MODELS } from '../../../src-proxy/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startFakeV1Internal, type FakeV1Internal } from '../../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../../helpers/access-tokens.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';

const DAY = 24 * 3_600_000;
let anthropic: FakeAnthropic | undefined;
let google: FakeV1Internal | undefined;
let gateway: TestGateway;

afterEach(async () => {
  await gateway?.close();
  await anthropic?.close();
  await google?.close();
  anthropic = undefined;
  google = undefined;
});

async function twoKeys() {
  anthropic = await startFakeAnthropic({ keys: ['sk-one', 'sk-two'] });
  gateway = await startGateway({
    accounts: [
      { label: 'one', baseUrl: anthropic.url, key: 'sk-one' },
      { label: 'two', baseUrl: anthropic.url, key: 'sk-two' },
    ],
  });
  return anthropic;
}

const keysSeen = () => anthropic!.messageRequests().map((r) => r.key);
let conversation = 0;
/** A request of a conversation of its own, so no session binding decides the account. */
const send = () => postJson(`${gateway.url}/v1/messages`, messagesBody({ messages: [{ role: 'user', content: `Question ${++conversation}` }] }));
const accountNamed = async (label: string) => (await gateway.runtime.listAccounts()).find((a) => a.label === label)!;

describe('rate-limit windows an API-key upstream reports', () => {
  it('keeps the latest values per account, and turns an account with a window used up away until it resets', async () => {
    const upstream = await twoKeys();
    const resetsAt = Date.now() + 1500;
    const reset = new Date(resetsAt).toISOString();
    upstream.refuse('sk-one', {
      kind: 'reply',
      headers: {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': reset,
        'anthropic-ratelimit-tokens-limit': '80000',
        'anthropic-ratelimit-tokens-remaining': '64000',
        'anthropic-ratelimit-tokens-reset': reset,
      },
    });
    expect((await send()).headers.get('x-account-email')).toBe('one');
    expect((await accountNamed('one')).learned.rate_limits).toEqual([
      { window: 'requests', limit: 50, remaining: 0, resets_at: Date.parse(reset) },
      { window: 'tokens', limit: 80000, remaining: 64000, resets_at: Date.parse(reset) },
    ]);
    // Used up: the next two requests go to the other account, and none is spent on a 429 first.
    expect((await send()).headers.get('x-account-email')).toBe('two');
    expect((await send()).headers.get('x-account-email')).toBe('two');
    expect(keysSeen()).toEqual(['sk-one', 'sk-two', 'sk-two']);
    expect((await gateway.entry(3)).attempts.map((a) => a.account_label)).toEqual(['two']);
    // Once the window has reset, the account is back in the rotation.
    upstream.refuse('sk-one', null);
    while (Date.now() <= resetsAt) await new Promise((r) => setTimeout(r, 50));
    expect((await send()).headers.get('x-account-email')).toBe('one');
  });
});

describe('a 429 whose quota is spent for long', () => {
  it('cools the account until the reset days away, and no request tries it meanwhile', async () => {
    const upstream = await twoKeys();
    const sixDays = String(6 * 24 * 3600);
    upstream.refuse('sk-one', {
      kind: 'error',
      status: 429,
      type: 'rate_limit_error',
      message: 'Weekly usage limit reached.',
      headers: { 'retry-after': sixDays },
    });
    expect((await send()).headers.get('x-account-email')).toBe('two');
    const [cooldown] = (await accountNamed('one')).cooldowns;
    expect(cooldown).toMatchObject({ reason: 'quota' });
    expect(cooldown!.until - Date.now()).toBeGreaterThan(6 * DAY - 60_000);
    for (let i = 0; i < 3; i++) await send();
    expect(keysSeen().filter((k) => k === 'sk-one')).toHaveLength(1);
  });

  it('lets a Google account serve again as soon as its quota is back, whatever reset its 429 named', async () => {
    google = await startFakeV1Internal({ accounts: [{ token: 'fake-access.one', project: 'proj-one' }] });
    google.gemini.setDefault({ kind: 'reply', text: 'Back.' });
    gateway = await startGateway({
      accounts: [{ provider: 'antigravity', label: 'one@example.com', baseUrl: '', key: '1//one' }],
      settings: { model_rules: [{ match: 'claude-*', provider: 'antigravity' }], antigravity: { base_urls: [google.url] } },
      accessTokens: new FakeAccessTokens({ '1//one': ['fake-access.one'] }),
    });
    // Eighteen days, as a peer's users saw; the quota itself says there is plenty left.
    google.script({ kind: 'quotaExhausted', resetDelay: '432h' });
    expect((await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-sonnet-4-5' }))).status).toBe(429);
    const cooled = (await gateway.runtime.listAccounts())[0]!;
    expect(cooled.cooldowns.find((c) => c.model === 'claude-sonnet-4-5')!.until - Date.now()).toBeLessThanOrEqual(8 * DAY);
    // The quota read after the 429 shows the model has quota: the cooldown ends, the account serves.
    await google.waitFor(() => google!.requests.filter((r) => r.verb === 'fetchAvailableModels').length >= 2, 3000);
    const deadline = Date.now() + 3000;
    while ((await gateway.runtime.listAccounts())[0]!.cooldowns.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-sonnet-4-5' }));
    expect(res.status).toBe(200);
    expect((await gateway.runtime.listAccounts())[0]!.cooldowns.filter((c) => c.model !== ALL_MODELS)).toEqual([]);
  });

  it('keeps a Google account out for the hours its quota really is spent', async () => {
    google = await startFakeV1Internal({ accounts: [{ token: 'fake-access.one', project: 'proj-one' }] });
    gateway = await startGateway({
      accounts: [{ provider: 'antigravity', label: 'one@example.com', baseUrl: '', key: '1//one' }],
      settings: { model_rules: [{ match: 'claude-*', provider: 'antigravity' }], antigravity: { base_urls: [google.url] } },
      accessTokens: new FakeAccessTokens({ '1//one': ['fake-access.one'] }),
    });
    google.setQuota('fake-access.one', 'claude-sonnet-4-5', { remaining: 0, resetsAt: Date.now() + 5 * 3_600_000 });
    const first = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-sonnet-4-5' }));
    expect(first.status).toBe(429);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(4 * 3600);
    const generates = google.generateRequests().length;
    for (let i = 0; i < 3; i++) expect((await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-sonnet-4-5' }))).status).toBe(429);
    expect(google.generateRequests()).toHaveLength(generates);
  });
});
