// count_tokens: the upstream's count when it has one, a local estimate otherwise; never a placeholder 0.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestAccount, type TestGateway } from '../../helpers/gateway.js';
import { postJson, readJson } from '../../helpers/sse-client.js';

let upstream: FakeAnthropic;
let gateway: TestGateway;

async function setup(fake: FakeAnthropicOptions = {}, account: Partial<TestAccount> = {}, withAccount = true) {
  upstream = await startFakeAnthropic(fake);
  gateway = await startGateway({ accounts: withAccount ? [{ label: 'c@example.com', baseUrl: upstream.url, key: 'sk-c', ...account }] : [] });
}

afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

const body = {
  model: 'claude-sonnet-4-6',
  system: 'You are a careful assistant.',
  messages: [{ role: 'user', content: 'Please count the tokens in this short request.' }],
  tools: [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
};

const count = () => postJson(`${gateway.url}/v1/messages/count_tokens?beta=true`, body);

describe('count_tokens', () => {
  it('asks the upstream when it can count', async () => {
    await setup();
    const res = await count();
    expect(res.headers.get('x-token-count-source')).toBe('upstream');
    expect((await readJson(res)).input_tokens).toBeGreaterThan(0);
    expect(upstream.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens']);
  });

  it.each([
    ['the upstream has no count_tokens', { countTokens: false }, {}, true],
    ['the account is set not to ask', {}, { countTokens: false }, true],
    ['there is no account at all', {}, {}, false],
    ['the upstream refuses the key', { keys: ['sk-someone-else'] }, {}, true],
  ])('estimates locally, never 0, when %s', async (_name, fake, account, withAccount) => {
    await setup(fake as FakeAnthropicOptions, account, withAccount);
    const res = await count();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-count-source')).toBe('estimate');
    const { input_tokens } = await readJson(res);
    expect(input_tokens).toBeGreaterThan(20);
    expect(await gateway.entry(1)).toMatchObject({ route: 'count_tokens', local: 'estimate', input_tokens });
  });

  it('strips cache_control for an upstream that rejects it, and maps the model', async () => {
    upstream = await startFakeAnthropic({ rejectCacheControl: true });
    gateway = await startGateway({
      accounts: [{ label: 'c@example.com', baseUrl: upstream.url, key: 'sk-c', stripCacheControl: true }],
      settings: { model_rules: [{ match: 'claude-*', provider: 'anthropic', model: 'glm-4.6' }] },
    });
    const res = await postJson(`${gateway.url}/v1/messages/count_tokens`, {
      ...body,
      system: [{ type: 'text', text: 'cached', cache_control: { type: 'ephemeral' } }],
    });
    expect(res.headers.get('x-token-count-source')).toBe('upstream');
    expect(res.headers.get('x-mapped-model')).toBe('glm-4.6');
    const sent = upstream.requests.find((r) => r.path === '/v1/messages/count_tokens')!;
    expect(sent.body.model).toBe('glm-4.6');
    expect(JSON.stringify(sent.body)).not.toContain('cache_control');
  });

  it('validates like the API', async () => {
    await setup();
    const res = await postJson(`${gateway.url}/v1/messages/count_tokens`, { model: 'claude-sonnet-4-6', messages: [] });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.message).toBe('messages: at least one message is required');
  });
});
