// What happens to a /v1/messages request between the client and the upstream: warmup interception,
// cleanup, model mapping, header forwarding, and the log entry it leaves.

import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsPatch } from '../../../src-proxy/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestAccount, type TestGateway } from '../../helpers/gateway.js';
import { eventNames, messagesBody, parseSse, postJson, readJson } from '../../helpers/sse-client.js';

let upstream: FakeAnthropic;
let gateway: TestGateway;

async function setup(opts: { fake?: FakeAnthropicOptions; account?: Partial<TestAccount>; settings?: SettingsPatch } = {}) {
  upstream = await startFakeAnthropic(opts.fake);
  gateway = await startGateway({
    accounts: [{ label: 'main@example.com', baseUrl: upstream.url, key: 'sk-main', ...opts.account }],
    settings: opts.settings,
  });
}

afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

const warmup = (stream: boolean) => ({
  model: 'claude-haiku-4-5-20251001',
  max_tokens: 1,
  stream,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Warmup', cache_control: { type: 'ephemeral' } }] }],
});

describe('warmup interception', () => {
  it.each([true, false])('answers a Claude Code warmup locally (stream: %s)', async (stream) => {
    await setup();
    const res = await postJson(`${gateway.url}/v1/messages`, warmup(stream));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-warmup-intercepted')).toBe('true');
    expect(res.headers.get('x-account-email')).toBeNull();
    if (stream) {
      expect(eventNames(await res.text())).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
    } else {
      expect(await readJson(res)).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text' }] });
    }
    expect(upstream.requests).toHaveLength(0);
    expect(await gateway.entry(1)).toMatchObject({ local: 'warmup', account_id: null, attempts: [], status: 200 });
  });

  it('forwards warmups when interception is off', async () => {
    await setup({ settings: { warmup_interception: false } });
    const res = await postJson(`${gateway.url}/v1/messages`, warmup(false));
    expect(res.headers.get('x-warmup-intercepted')).toBeNull();
    expect(upstream.messageRequests()).toHaveLength(1);
  });
});

describe('cleanup', () => {
  const withCacheControl = messagesBody({
    system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }] }],
  });

  it('strips cache_control for an upstream that rejects it', async () => {
    await setup({ fake: { rejectCacheControl: true }, account: { stripCacheControl: true } });
    const res = await postJson(`${gateway.url}/v1/messages`, withCacheControl);
    expect(res.status).toBe(200);
    expect(JSON.stringify(upstream.messageRequests()[0]!.body)).not.toContain('cache_control');
  });

  it('keeps cache_control, byte for byte, for upstreams that accept it', async () => {
    await setup();
    const raw = JSON.stringify(withCacheControl);
    await postJson(`${gateway.url}/v1/messages`, raw);
    // A short answer is asked for as one JSON message too, so the bytes go as the client wrote them.
    expect(upstream.messageRequests()[0]!.rawBody.toString()).toBe(raw);
  });

  it('merges consecutive same-role messages', async () => {
    await setup();
    await postJson(
      `${gateway.url}/v1/messages`,
      messagesBody({
        messages: [
          { role: 'user', content: 'one' },
          { role: 'user', content: 'two' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: 'three' },
        ],
      }),
    );
    expect(upstream.messageRequests()[0]!.body.messages).toEqual([
      { role: 'user', content: 'one\n\ntwo' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'three' },
    ]);
  });
});

describe('model mapping', () => {
  const rules: SettingsPatch['model_rules'] = [
    { match: 'claude-*-haiku-*', provider: 'anthropic', model: 'glm-4.5-air' },
    { match: 'claude-sonnet-4-6', provider: 'anthropic', model: 'glm-4.6' },
    { match: 'gemini-*', provider: 'antigravity' },
  ];

  it('sends the mapped model upstream and says so', async () => {
    await setup({ settings: { model_rules: rules } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-3-5-haiku-20241022' }));
    expect(res.headers.get('x-mapped-model')).toBe('glm-4.5-air');
    expect(upstream.messageRequests()[0]!.body.model).toBe('glm-4.5-air');
    expect(await gateway.entry(1)).toMatchObject({ inbound_model: 'claude-3-5-haiku-20241022', mapped_model: 'glm-4.5-air', provider: 'anthropic' });
  });

  it('says which model it mapped to on a failure too', async () => {
    await setup({
      settings: { model_rules: rules },
      fake: { defaultBehaviour: { kind: 'error', status: 400, type: 'invalid_request_error', message: 'bad' } },
    });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-sonnet-4-6' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-mapped-model')).toBe('glm-4.6');
    expect(res.headers.get('x-account-email')).toBe('main@example.com');
  });

  it('puts only header-safe values in X-Account-Email and X-Mapped-Model, whatever the label and rules say', async () => {
    await setup({
      account: { label: 'Zoë 中文 team' },
      settings: { model_rules: [{ match: 'claude-sonnet-4-6', provider: 'anthropic', model: 'modèle\u4e2d' }] },
    });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'claude-sonnet-4-6' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('Zo%C3%AB %E4%B8%AD%E6%96%87 team');
    expect(res.headers.get('x-mapped-model')).toBe('mod%C3%A8le%E4%B8%AD');
    expect(decodeURIComponent(res.headers.get('x-account-email')!)).toBe('Zoë 中文 team');
    // The log keeps the real values.
    expect(await gateway.entry(1)).toMatchObject({ account_label: 'Zoë 中文 team', mapped_model: 'modèle\u4e2d' });
  });

  it('answers clearly when the route names a provider without an account', async () => {
    await setup({ settings: { model_rules: rules } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ model: 'gemini-2.5-pro' }));
    expect(res.status).toBe(503);
    expect((await readJson(res)).error.message).toMatch(/No enabled antigravity account can serve gemini-2.5-pro/);
  });
});

describe('upstream request', () => {
  it('forwards anthropic-version and anthropic-beta, and nothing that identifies the client', async () => {
    await setup();
    await postJson(`${gateway.url}/v1/messages`, messagesBody(), {
      headers: {
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'interleaved-thinking-2025-05-14,context-1m-2025-08-07',
        'x-claude-code-session-id': 'abc',
      },
    });
    const headers = upstream.messageRequests()[0]!.headers;
    expect(headers['anthropic-version']).toBe('2023-06-01');
    expect(headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,context-1m-2025-08-07');
    expect(headers['x-claude-code-session-id']).toBeUndefined();
  });

  it('sends the key as Authorization: Bearer when the account says so', async () => {
    await setup({ account: { authScheme: 'bearer' } });
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    const headers = upstream.messageRequests()[0]!.headers;
    expect(headers.authorization).toBe('Bearer sk-main');
    expect(headers['x-api-key']).toBeUndefined();
  });

  it('streams the upstream bytes through unchanged', async () => {
    await setup({ fake: { defaultBehaviour: { kind: 'reply', text: 'héllo wörld, 你好 🌍 '.repeat(20), chunks: 25 } } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    const received = Buffer.from(await res.arrayBuffer());
    const sent = Buffer.concat(upstream.messageRequests()[0]!.sent);
    expect(sent.length).toBeGreaterThan(1000);
    expect(received.equals(sent)).toBe(true);
    // Every event is named and its data's type matches the name: the SDK's strict expectations.
    for (const e of parseSse(received.toString('utf8'))) expect(JSON.parse(e.data).type).toBe(e.event);
  });
});

describe('the log entry', () => {
  it('records a streamed request with account, tokens, stop reason and timings', async () => {
    await setup({ fake: { defaultBehaviour: { kind: 'reply', text: 'hello', usage: { input_tokens: 321, output_tokens: 12 } } } });
    await (await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }))).text();
    const entry = await gateway.entry(1);
    expect(entry).toMatchObject({
      route: 'messages',
      path: '/v1/messages',
      stream: true,
      status: 200,
      account_label: 'main@example.com',
      input_tokens: 321,
      output_tokens: 12,
      stop_reason: 'end_turn',
      error_message: null,
      attempts: [{ account_label: 'main@example.com', failure: null, status: 200 }],
    });
    expect(entry.ttfb_ms).toBeGreaterThan(0);
    expect(entry.latency_ms).toBeGreaterThanOrEqual(entry.ttfb_ms!);
    expect(await gateway.runtime.listRequests({})).toEqual([entry]);
  });

  it('records rejected requests too, without the key', async () => {
    await setup({ settings: { auth_mode: 'strict', api_key: 'sk-gateway' } });
    await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-wrong-guess' } });
    const entry = await gateway.entry(1);
    expect(entry).toMatchObject({ status: 401, error_type: 'authentication_error' });
    expect(JSON.stringify(entry)).not.toContain('sk-wrong-guess');
  });
});
