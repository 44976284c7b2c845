// A hung or silent upstream: the wait for headers, the silence between chunks and the whole request are
// each bounded by a setting of their own, and the error says which one ran out.

import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsPatch } from '../../../src-proxy/contract/index.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../src-proxy/routing/retry-policy.js';
import { startFakeAnthropic, type Behaviour, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, parseSse, postJson, readJson } from '../../helpers/sse-client.js';

let upstream: FakeAnthropic;
let gateway: TestGateway;

async function setup(byKey: Record<string, Behaviour>, settings: SettingsPatch, keys = ['sk-one', 'sk-two'], retryPolicy?: RetryPolicy) {
  upstream = await startFakeAnthropic({ keys, defaultBehaviour: (req) => byKey[req.key ?? ''] ?? { kind: 'reply' } });
  gateway = await startGateway({
    accounts: keys.map((key, i) => ({ label: `${['one', 'two'][i]}@example.com`, baseUrl: upstream.url, key })),
    settings,
    retryPolicy,
  });
}

afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('timeouts', () => {
  it('gives up on an account that sends no headers in upstream_headers_timeout_ms and serves the stream from the next', async () => {
    await setup({ 'sk-one': { kind: 'hang' } }, { upstream_headers_timeout_ms: 1000 });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    expect(parseSse(await res.text()).at(-1)!.event).toBe('message_stop');
    const [first] = (await gateway.entry(1)).attempts;
    expect(first).toMatchObject({ account_label: 'one@example.com', failure: 'timeout', message: expect.stringContaining('upstream_headers_timeout_ms') });
    expect(upstream.messageRequests()[0]!.aborted).toBe(true);
  });

  it('ends a stream whose upstream goes silent for upstream_idle_timeout_ms with an error event naming the setting', async () => {
    await setup({ 'sk-one': { kind: 'silent', afterEvents: 2, ms: 10_000, then: 'finish' } }, { upstream_idle_timeout_ms: 1000 }, ['sk-one']);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    const last = parseSse(await res.text()).at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data).error.message).toContain('upstream_idle_timeout_ms');
    expect(await gateway.entry(1)).toMatchObject({ status: 200, error_message: expect.stringContaining('silent') });
  });

  it('stops at request_deadline_ms across attempts, with a 504 naming the setting', async () => {
    // Non-streaming: the answer comes with its headers, so only the deadline bounds the wait.
    await setup({ 'sk-one': { kind: 'hang' }, 'sk-two': { kind: 'hang' } }, { request_deadline_ms: 1000, upstream_headers_timeout_ms: 60_000 });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(504);
    expect(await readJson(res)).toMatchObject({ type: 'error', error: { type: 'timeout_error', message: expect.stringContaining('request_deadline_ms') } });
    const entry = await gateway.entry(1);
    expect(entry.attempts).toHaveLength(1);
    expect(entry.attempts[0]!.failure).toBe('timeout');
    await upstream.waitFor(() => upstream.messageRequests()[0]!.aborted);
  });

  it('does not start a wait that would outlast the deadline', async () => {
    const overloaded: Behaviour = { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded', headers: { 'retry-after': '5' } };
    // The production backoff: the upstream's 5 s hint (capped at 8 s) is longer than the whole deadline.
    await setup({ 'sk-one': overloaded }, { request_deadline_ms: 1000 }, ['sk-one'], DEFAULT_RETRY_POLICY);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(529);
    expect((await gateway.entry(1)).attempts).toHaveLength(1);
  });
});
