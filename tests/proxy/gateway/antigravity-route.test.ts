// Claude requests served by Google accounts over Code Assist, through real HTTP and the runtime's own
// wiring: the gateway translates both ways inside the envelope, names the model variant it sent, skips an
// account whose quota is spent until its reset, moves on after a 429, refreshes a refused token, and
// lists the models the accounts offer.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeV1Internal, type FakeCodeAssistAccount, type FakeV1Internal } from '../../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../../helpers/access-tokens.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { eventNames, messagesBody, postJson, readJson } from '../../helpers/sse-client.js';

const MODEL = 'claude-sonnet-4-5';
const RULES = [
  { match: 'claude-*', provider: 'antigravity' as const },
  { match: 'gemini-*', provider: 'antigravity' as const },
];

let upstream: FakeV1Internal;
let gateway: TestGateway;
let tokens: FakeAccessTokens;

/** Accounts one and two (refresh tokens 1//one, 1//two; access tokens fake-access.one, fake-access.two), in that order. */
async function setup(accounts: Array<Partial<FakeCodeAssistAccount>> = [{}, {}], tokenLists?: Record<string, string[]>) {
  const names = ['one', 'two'].slice(0, accounts.length);
  upstream = await startFakeV1Internal({ accounts: accounts.map((a, i) => ({ token: `fake-access.${names[i]}`, project: `proj-${names[i]}`, ...a })) });
  upstream.gemini.setDefault({ kind: 'reply', text: 'Hello from Code Assist.' });
  tokens = new FakeAccessTokens(tokenLists ?? Object.fromEntries(names.map((n) => [`1//${n}`, [`fake-access.${n}`]])));
  gateway = await startGateway({
    accounts: names.map((n) => ({ provider: 'antigravity' as const, label: `${n}@example.com`, baseUrl: '', key: `1//${n}` })),
    settings: { model_rules: RULES, antigravity: { base_urls: [upstream.url] } },
    accessTokens: tokens,
  });
}

afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

const served = () => upstream.generateRequests().map((r) => [r.token, r.status]);

let conversation = 0;
/** A request of a conversation of its own, so no session binding decides the account. */
const fresh = () => postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL, messages: [{ role: 'user', content: `Question ${++conversation}` }] }));

describe('Claude requests on Google accounts', () => {
  it.each([false, true])('answers in Anthropic form, names the account and the model sent (stream %s)', async (stream) => {
    await setup([{}]);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL, stream }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mapped-model')).toBe(MODEL);
    expect(res.headers.get('x-account-email')).toBe('one@example.com');
    if (stream) expect(eventNames(await res.text())).toContain('message_stop');
    else expect(await readJson(res)).toMatchObject({ content: [{ type: 'text', text: 'Hello from Code Assist.' }], stop_reason: 'end_turn' });
    expect(upstream.generateRequests()[0]!.body).toMatchObject({ model: MODEL, project: 'proj-one' });
    expect(await gateway.entry(1)).toMatchObject({ provider: 'antigravity', status: 200 });
  });

  it('sends the thinking variant when the request thinks, and X-Mapped-Model names it', async () => {
    await setup([{}]);
    upstream.gemini.setDefault({ kind: 'reply', parts: [{ text: 'Hmm.', thought: true }, { text: 'Yes.' }] });
    const res = await postJson(
      `${gateway.url}/v1/messages`,
      messagesBody({ model: MODEL, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mapped-model')).toBe('claude-sonnet-4-5-thinking');
    const body = await readJson(res);
    expect(body.content.map((b: { type: string }) => b.type)).toEqual(['thinking', 'text']);
    expect(upstream.generateRequests()[0]!.model).toBe('claude-sonnet-4-5-thinking');
  });

  it('keeps the project it discovered (by onboarding) with the account', async () => {
    await setup([{ project: undefined, onboard: { project: 'proj-fresh', polls: 0 } }]);
    expect((await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL }))).status).toBe(200);
    const [account] = await gateway.runtime.listAccounts();
    expect(account!.learned.project_id).toBe('proj-fresh');
    expect(account!.learned.quota.map((q) => q.model)).toContain(MODEL);
  });

  it('counts tokens with the upstream', async () => {
    await setup([{}]);
    const res = await postJson(`${gateway.url}/v1/messages/count_tokens`, { model: MODEL, messages: [{ role: 'user', content: 'Count me in.' }] });
    expect(res.headers.get('x-token-count-source')).toBe('upstream');
    expect((await readJson(res)).input_tokens).toBeGreaterThan(0);
  });

  it('lists the models the accounts offer', async () => {
    await setup([{}]);
    await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL }));
    const res = await fetch(`${gateway.url}/v1/models?limit=100`);
    const ids = ((await readJson(res)).data as Array<{ id: string }>).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['claude-sonnet-4-5-thinking', 'claude-opus-4-5-thinking', 'gemini-3-pro-preview']));
    expect(ids).not.toContain('chat_20706');
  });
});

describe('quota-aware selection', () => {
  it('an account whose quota for the model is spent is skipped until its reset', async () => {
    const resetsAt = Date.now() + 1500;
    await setup([{ quota: { [MODEL]: { remaining: 0, resetsAt } } }, { quota: { [MODEL]: { remaining: 0.6 } } }]);
    // First request: nothing is known yet; account one learns its quota, is refused, and two serves.
    for (let i = 0; i < 3; i++) expect((await fresh()).status).toBe(200);
    expect(served()).toEqual([
      ['fake-access.one', 429],
      ['fake-access.two', 200],
      ['fake-access.two', 200],
      ['fake-access.two', 200],
    ]);
    const one = (await gateway.runtime.listAccounts())[0]!;
    expect(one.learned.quota.find((q) => q.model === MODEL)).toMatchObject({ remaining: 0 });

    // After the reset (and the 429's cooldown, which named the same reset) selection takes it back.
    upstream.setQuota('fake-access.one', MODEL, { remaining: 1 });
    const until = Math.max(resetsAt, ...one.cooldowns.map((c) => c.until));
    expect(until - resetsAt).toBeLessThan(1100);
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now()) + 50));
    const after = [];
    for (let i = 0; i < 2; i++) after.push((await fresh()).headers.get('x-account-email'));
    expect(after).toContain('one@example.com');
  });

  it('prefers the account with the most quota left', async () => {
    await setup([{ quota: { [MODEL]: { remaining: 0.2 } } }, { quota: { [MODEL]: { remaining: 0.9 } } }]);
    // The first two requests teach the pool both accounts' quota; from then on two is preferred.
    for (let i = 0; i < 2; i++) await fresh();
    upstream.reset();
    upstream.gemini.setDefault({ kind: 'reply', text: 'ok' });
    for (let i = 0; i < 3; i++) await fresh();
    expect(served()).toEqual([
      ['fake-access.two', 200],
      ['fake-access.two', 200],
      ['fake-access.two', 200],
    ]);
  });

  it('after a 429 RESOURCE_EXHAUSTED the other account serves the request, and the first cools until the reset', async () => {
    await setup();
    // Spent for the hour, as the quota the account reports says too.
    upstream.setQuota('fake-access.one', MODEL, { remaining: 0, resetsAt: Date.now() + 3_600_000 });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    expect(served()).toEqual([
      ['fake-access.one', 429],
      ['fake-access.two', 200],
    ]);
    const one = (await gateway.runtime.listAccounts())[0]!;
    const cooldown = one.cooldowns.find((c) => c.model === MODEL)!;
    expect(cooldown.reason).toBe('quota');
    expect(cooldown.until - Date.now()).toBeGreaterThan(3_500_000);
    // Its quota was asked for again after the 429.
    await upstream.waitFor(() => upstream.requests.filter((r) => r.verb === 'fetchAvailableModels' && r.token === 'fake-access.one').length >= 2);
  });
});

describe('refused tokens', () => {
  it('a 401 is answered by one refresh and served by the same account', async () => {
    await setup([{}], { '1//one': ['fake-access.stale', 'fake-access.one'] });
    upstream.addToken('fake-access.one', 'fake-access.stale');
    upstream.revoke('fake-access.stale');
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL }));
    expect(res.status).toBe(200);
    expect(tokens.invalidations).toEqual([{ accountId: gateway.accounts[0]!.id, accessToken: 'fake-access.stale' }]);
  });

  it('a PERMISSION_DENIED that survives the refresh marks the account with the reason, and the other account serves', async () => {
    await setup([{}, {}], { '1//one': ['fake-access.one', 'fake-access.one-b'], '1//two': ['fake-access.two'] });
    upstream.addToken('fake-access.one', 'fake-access.one-b');
    const denied = { kind: 'permissionDenied' as const, message: 'This service has been disabled in this account for violation of Terms of Service.' };
    upstream.script(denied, denied);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: MODEL }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    const one = (await gateway.runtime.listAccounts())[0]!;
    expect(one.learned.disabled_reason).toContain('Terms of Service');
    expect(one.health).toBe('forbidden');
  });
});
