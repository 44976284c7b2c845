// Routes of several links, through real HTTP against fake upstreams that refuse per account: a rule
// narrowed to some accounts, a chain that falls through to the next provider when every account of a
// link is out, skips a link known to be out without trying it, never falls through on a client error,
// says in headers and log what became of each link, and comes back to the primary once it can serve.

import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { startFakeAnthropic, type Behaviour, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, postJson, readJson } from '../../helpers/sse-client.js';

const GEMINI_MODEL = 'gemini-2.5-flash';
const CHAIN: ModelRule[] = [{ match: 'claude-*', provider: 'anthropic', accounts: ['main'], fallback: [{ provider: 'gemini', model: GEMINI_MODEL }] }];

let anthropic: FakeAnthropic;
let gemini: FakeGemini;
let gateway: TestGateway;

async function setup(rules: ModelRule[] = CHAIN, settings: Record<string, unknown> = {}) {
  anthropic = await startFakeAnthropic({ keys: ['sk-main', 'sk-zai', 'sk-ds'] });
  gemini = await startFakeGemini({ keys: ['AIza-1'], defaultBehaviour: { kind: 'reply', text: 'Hello from Gemini.' } });
  gateway = await startGateway({
    accounts: [
      { label: 'main', baseUrl: anthropic.url, key: 'sk-main' },
      { label: 'zai', baseUrl: anthropic.url, key: 'sk-zai' },
      { label: 'deepseek', group: 'china', baseUrl: anthropic.url, key: 'sk-ds' },
      { provider: 'gemini', label: 'studio', baseUrl: gemini.url, key: 'AIza-1' },
    ],
    settings: { model_rules: rules, ...settings },
  });
}

afterEach(async () => {
  await gateway?.close();
  await anthropic?.close();
  await gemini?.close();
});

const rateLimited: Behaviour = {
  kind: 'error',
  status: 429,
  type: 'rate_limit_error',
  message: 'Number of requests has exceeded your rate limit',
  headers: { 'retry-after': '30' },
};
const anthropicKeys = () => anthropic.messageRequests().map((r) => r.key);
const session = (id: string) => ({ metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: id }) } });

describe('a rule narrowed to accounts', () => {
  it('sends a model only to the account, or the group, it names', async () => {
    await setup([
      { match: 'glm-*', provider: 'anthropic', accounts: ['zai'] },
      { match: 'deepseek-*', provider: 'anthropic', accounts: ['china'] },
    ]);
    for (let i = 0; i < 3; i++) expect((await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'glm-4.6' }))).status).toBe(200);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'deepseek-chat' }));
    expect(res.headers.get('x-account-email')).toBe('deepseek');
    expect(anthropicKeys()).toEqual(['sk-zai', 'sk-zai', 'sk-zai', 'sk-ds']);
  });

  it('does not borrow another account when its own is out', async () => {
    await setup([{ match: 'glm-*', provider: 'anthropic', accounts: ['zai'] }]);
    anthropic.refuse('sk-zai', rateLimited);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'glm-4.6' }));
    expect(res.status).toBe(429);
    expect(anthropicKeys().every((k) => k === 'sk-zai')).toBe(true);
  });
});

describe('a fallback chain', () => {
  it('falls through to the next link when every account of the first is out, and says so', async () => {
    await setup();
    anthropic.refuse('sk-main', rateLimited);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(await readJson(res)).toMatchObject({ content: [{ type: 'text', text: 'Hello from Gemini.' }] });
    expect(res.headers.get('x-account-email')).toBe('studio');
    expect(res.headers.get('x-mapped-model')).toBe(GEMINI_MODEL);
    expect(res.headers.get('x-route')).toBe(`anthropic/claude-sonnet-4-6 [main]: every account tried failed (last: rate_limit) -> gemini/${GEMINI_MODEL}`);
    // One failed attempt on the only account of the first link, then one on the second: no more.
    expect(anthropicKeys()).toEqual(['sk-main']);
    expect(gemini.generateRequests()).toHaveLength(1);
    const entry = await gateway.entry(1);
    expect(entry).toMatchObject({ provider: 'gemini', mapped_model: GEMINI_MODEL, account_label: 'studio', status: 200 });
    expect(entry.attempts.map((a) => [a.account_label, a.failure, a.link])).toEqual([
      ['main', 'rate_limit', 0],
      ['studio', null, 1],
    ]);
    expect(entry.links).toEqual([
      { provider: 'anthropic', model: 'claude-sonnet-4-6', accounts: ['main'], outcome: 'failed', reason: 'rate_limit', until: null },
      { provider: 'gemini', model: GEMINI_MODEL, accounts: null, outcome: 'served', reason: null, until: null },
    ]);
  });

  it('skips a link whose accounts are all known to be out, without an attempt', async () => {
    await setup();
    anthropic.refuse('sk-main', rateLimited);
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(anthropicKeys()).toEqual(['sk-main']);
    expect(res.headers.get('x-route')).toMatch(/^anthropic\/claude-sonnet-4-6 \[main\]: every account rate limited until \S+Z -> gemini\//);
    const entry = await gateway.entry(2);
    expect(entry.attempts.map((a) => a.link)).toEqual([1]);
    expect(entry.links[0]).toMatchObject({ outcome: 'skipped', reason: 'rate_limit', until: expect.any(Number) });
    expect(entry.links[0]!.until!).toBeGreaterThan(Date.now() + 20_000);
  });

  it('goes back to the primary as soon as it can serve, even for a conversation the fallback served', async () => {
    await setup();
    anthropic.refuse('sk-main', rateLimited);
    const body = messagesBody(session('5f0c3c4e-0000-4000-8000-00000000000b'));
    expect((await postJson(`${gateway.url}/v1/messages`, body)).headers.get('x-account-email')).toBe('studio');
    anthropic.refuse('sk-main', null);
    const main = gateway.accounts.find((a) => a.label === 'main')!;
    await gateway.runtime.updateAccount(main.id, { reset_health: true });
    const back = await postJson(`${gateway.url}/v1/messages`, body);
    expect(back.headers.get('x-account-email')).toBe('main');
    expect(back.headers.get('x-route')).toBeNull();
    expect((await gateway.entry(2)).links.map((l) => l.outcome)).toEqual(['served', 'not_reached']);
  });

  it('never falls through on a client error', async () => {
    await setup();
    anthropic.refuse('sk-main', { kind: 'error', status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate' });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.message).toBe('messages: roles must alternate');
    expect(gemini.generateRequests()).toHaveLength(0);
    expect((await gateway.entry(1)).links.map((l) => l.outcome)).toEqual(['failed', 'not_reached']);
  });

  it('falls through when the first link has no account at all', async () => {
    await setup([{ match: 'claude-*', provider: 'antigravity', fallback: [{ provider: 'gemini', model: GEMINI_MODEL }] }]);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-route')).toBe(`antigravity/claude-sonnet-4-6: no enabled account -> gemini/${GEMINI_MODEL}`);
  });

  it('names every link when none can serve', async () => {
    await setup();
    anthropic.refuse('sk-main', { kind: 'error', status: 429, type: 'rate_limit_error', message: 'Your credit balance is too low: usage limit reached' });
    gemini.refuse('AIza-1', { kind: 'error', status: 500, message: 'Internal error encountered.' });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(500);
    expect(res.headers.get('x-mapped-model')).toBe(GEMINI_MODEL);
    const message: string = (await readJson(res)).error.message;
    expect(message).toContain('Route: anthropic/claude-sonnet-4-6 [main]: every account tried failed (last: quota); ');
    expect(message).toContain(`gemini/${GEMINI_MODEL}: every account tried failed (last: server)`);
    expect((await gateway.entry(1)).links.map((l) => [l.outcome, l.reason])).toEqual([
      ['failed', 'quota'],
      ['failed', 'server'],
    ]);
  });

  it('answers when every link is cooling with the soonest return', async () => {
    await setup();
    anthropic.refuse('sk-main', rateLimited);
    gemini.refuse('AIza-1', { kind: 'error', status: 429, message: 'Resource exhausted', retryDelay: '20s' });
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(10);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await gateway.entry(2)).attempts).toEqual([]);
  });

  it('moves on when the first link does not answer in time, within the request deadline', async () => {
    await setup(CHAIN, { upstream_headers_timeout_ms: 1000 });
    anthropic.refuse('sk-main', { kind: 'hang' });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('studio');
    await res.text();
    expect((await gateway.entry(1)).links.map((l) => [l.outcome, l.reason])).toEqual([
      ['failed', 'timeout'],
      ['served', null],
    ]);
  });
});

describe('rules in the settings', () => {
  it.each<[string, unknown, RegExp]>([
    ['an unknown key', [{ match: 'x', provider: 'anthropic', fallbak: [] }], /model_rules\.0\.fallbak: unknown_field/],
    [
      'an unknown key in a link',
      [{ match: 'x', provider: 'anthropic', fallback: [{ provider: 'gemini', modle: 'g' }] }],
      /model_rules\.0\.fallback\.0\.modle: unknown_field/,
    ],
    ['an unknown provider', [{ match: 'x', provider: 'openai' }], /model_rules\.0\.provider/],
    [
      'an unknown account',
      [{ match: 'x', provider: 'anthropic', accounts: ['kimi'] }],
      /model_rules\.0\.accounts: no anthropic account or group is named "kimi"/,
    ],
    ['the same link twice', [{ match: 'x', provider: 'gemini', fallback: [{ provider: 'gemini' }] }], /model_rules\.0\.fallback\.0: this link is the same as/],
  ])('refuses %s', async (_title, rules, message) => {
    await setup([]);
    await expect(gateway.runtime.updateSettings({ model_rules: rules as ModelRule[] })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(message),
    });
    expect((await gateway.runtime.getSettings()).model_rules).toEqual([]);
  });

  it('accepts a chain naming an account by label and a group', async () => {
    await setup([]);
    const rules: ModelRule[] = [{ match: 'x', provider: 'anthropic', accounts: ['zai'], fallback: [{ provider: 'anthropic', accounts: ['china'] }] }];
    expect((await gateway.runtime.updateSettings({ model_rules: rules })).model_rules).toEqual(rules);
  });
});
