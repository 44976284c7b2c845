// Retry and rotation across accounts, driven through real HTTP against scripted fake upstreams.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type Behaviour, type FakeAnthropic, type RecordedRequest } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { eventNames, messagesBody, parseSse, postJson, readJson } from '../../helpers/sse-client.js';

const KEYS = ['sk-one', 'sk-two'];
let upstream: FakeAnthropic;
let gateway: TestGateway;

/** One fake serving every account; `byKey` scripts what each account's key gets. */
async function setup(byKey: Record<string, Behaviour | ((r: RecordedRequest) => Behaviour)>, opts: { pingIntervalMs?: number } = {}) {
  upstream = await startFakeAnthropic({
    keys: KEYS,
    defaultBehaviour: (req) => {
      const b = byKey[req.key ?? ''] ?? { kind: 'reply' };
      return typeof b === 'function' ? b(req) : b;
    },
  });
  gateway = await startGateway({
    accounts: [
      { label: 'one@example.com', baseUrl: upstream.url, key: 'sk-one' },
      { label: 'two@example.com', baseUrl: upstream.url, key: 'sk-two' },
    ],
    pingIntervalMs: opts.pingIntervalMs,
  });
}

afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

/** A loopback address where nothing listens: connections to it are refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const keysSeen = () => upstream.messageRequests().map((r) => r.key);
const rateLimited = (seconds: number): Behaviour => ({
  kind: 'error',
  status: 429,
  type: 'rate_limit_error',
  message: 'Number of requests has exceeded your rate limit',
  headers: { 'retry-after': String(seconds) },
});
const serverError: Behaviour = { kind: 'error', status: 500, type: 'api_error', message: 'Internal server error' };

describe('rotation', () => {
  it('answers from account 2 when account 1 is rate limited, and says so', async () => {
    await setup({ 'sk-one': rateLimited(30) });
    // Round-robin starts at account 1.
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    expect(keysSeen()).toEqual(['sk-one', 'sk-two']);
    const entry = gateway.entries.at(-1)!;
    expect(entry.attempts.map((a) => [a.account_label, a.failure])).toEqual([
      ['one@example.com', 'rate_limit'],
      ['two@example.com', null],
    ]);
    // Account 1 now cools down for that model: the next request goes straight to account 2.
    const [one] = await gateway.runtime.listAccounts();
    expect(one!.cooldowns).toEqual([expect.objectContaining({ model: 'claude-sonnet-4-6', reason: 'rate_limit' })]);
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(keysSeen()).toEqual(['sk-one', 'sk-two', 'sk-two']);
  });

  it('moves on to a healthy account instead of waiting on a short rate limit, and the conversation follows', async () => {
    // Account 1 keeps answering 429 with `retry-after: 2`: waiting on it would cost seconds per request
    // and fail anyway, while account 2 can serve at once.
    await setup({ 'sk-one': rateLimited(2) });
    const session = { metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: '5f0c3c4e-0000-4000-8000-00000000000a' }) } };
    const first = await postJson(`${gateway.url}/v1/messages`, messagesBody(session));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-account-email')).toBe('two@example.com');
    expect(gateway.entries.at(-1)!.attempts.map((a) => [a.account_label, a.failure])).toEqual([
      ['one@example.com', 'rate_limit'],
      ['two@example.com', null],
    ]);
    // The conversation's binding moved with it: its next turns go straight to account 2.
    for (let i = 0; i < 2; i++) {
      const next = await postJson(`${gateway.url}/v1/messages`, messagesBody(session));
      expect(next.headers.get('x-account-email')).toBe('two@example.com');
    }
    expect(keysSeen()).toEqual(['sk-one', 'sk-two', 'sk-two', 'sk-two']);
  });

  it('waits on the same account after a short rate limit when it is the only one', async () => {
    let calls = 0;
    upstream = await startFakeAnthropic({
      defaultBehaviour: () => (++calls === 1 ? { ...rateLimited(0), headers: { 'retry-after-ms': '40' } } : { kind: 'reply', text: 'ok' }),
    });
    gateway = await startGateway({ accounts: [{ label: 'only@example.com', baseUrl: upstream.url, key: 'sk-only' }] });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('only@example.com');
    expect(keysSeen()).toEqual(['sk-only', 'sk-only']);
  });

  it('cools an account whose connection is refused, so it stops costing every request an attempt', async () => {
    upstream = await startFakeAnthropic({ keys: KEYS });
    gateway = await startGateway({
      accounts: [
        { label: 'down@example.com', baseUrl: await closedPortUrl(), key: 'sk-one' },
        { label: 'two@example.com', baseUrl: upstream.url, key: 'sk-two' },
      ],
    });
    const first = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(first.headers.get('x-account-email')).toBe('two@example.com');
    expect(gateway.entries.at(-1)!.attempts.map((a) => [a.account_label, a.failure])).toEqual([
      ['down@example.com', 'network'],
      ['two@example.com', null],
    ]);
    const [down] = await gateway.runtime.listAccounts();
    expect(down).toMatchObject({ network_failures: 1, cooldowns: [expect.objectContaining({ model: '*', reason: 'network' })] });
    // The next requests do not try the refused account while it cools.
    for (let i = 0; i < 3; i++) await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(gateway.entries.slice(1).map((e) => e.attempts.map((a) => a.account_label))).toEqual([
      ['two@example.com'],
      ['two@example.com'],
      ['two@example.com'],
    ]);
  });

  it('answers 503 with retry-after, naming the unreachable upstream, while the only account cools after a refused connection', async () => {
    gateway = await startGateway({ accounts: [{ label: 'down@example.com', baseUrl: await closedPortUrl(), key: 'sk-one' }] });
    const first = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(first.status).toBe(502);
    expect((await readJson(first)).error.message).toContain('ECONNREFUSED');
    const second = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(second.status).toBe(503);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await readJson(second)).error).toMatchObject({ type: 'overloaded_error', message: expect.stringContaining('could not be reached') });
  });

  it('answers 429 with retry-after, without calling upstream, when every account is cooling', async () => {
    await setup({ 'sk-one': rateLimited(30), 'sk-two': rateLimited(20) });
    const first = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(first.status).toBe(429);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    const before = upstream.messageRequests().length;

    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    // The earliest reset wins: account 2's 20 s, not account 1's 30 s.
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    const body = await readJson(res);
    expect(body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(upstream.messageRequests().length).toBe(before);
    expect(res.headers.get('x-mapped-model')).toBe('claude-sonnet-4-6');
  });

  it('makes exactly 3 upstream attempts when every account answers 500, then returns an Anthropic error', async () => {
    await setup({ 'sk-one': serverError, 'sk-two': serverError });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(500);
    expect(await readJson(res)).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('Internal server error') } });
    expect(keysSeen()).toEqual(['sk-one', 'sk-two', 'sk-one']);
    expect(res.headers.get('x-account-email')).toBe('one@example.com');
    expect(res.headers.get('x-mapped-model')).toBe('claude-sonnet-4-6');
    expect(gateway.entries.at(-1)!.attempts.map((a) => a.failure)).toEqual(['server', 'server', 'server']);
  });

  it('backs off and retries when the upstream is overloaded', async () => {
    let calls = 0;
    const overloaded: Behaviour = { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' };
    await setup({ 'sk-one': () => (++calls === 1 ? overloaded : { kind: 'reply' }), 'sk-two': overloaded });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(keysSeen()).toEqual(['sk-one', 'sk-two', 'sk-one']);
    expect(gateway.entries.at(-1)!.attempts.map((a) => a.failure)).toEqual(['overloaded', 'overloaded', null]);
  });

  it('marks an account whose key is rejected and stops using it', async () => {
    await setup({ 'sk-one': { kind: 'error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    const [one] = await gateway.runtime.listAccounts();
    expect(one).toMatchObject({ health: 'invalid', health_message: 'invalid x-api-key' });
    for (let i = 0; i < 3; i++) await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(keysSeen().filter((k) => k === 'sk-one')).toHaveLength(1);
  });

  it('reports an invalid key on every account as a gateway-side problem, not a 401 for the client', async () => {
    const unauthorized: Behaviour = { kind: 'error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    await setup({ 'sk-one': unauthorized, 'sk-two': unauthorized });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(502);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect((await readJson(res)).error.message).toMatch(/^Upstream account "two@example.com" is out of service: its upstream refused the account's key/);

    // The next request names the real state: both accounts are enabled, and refused.
    const next = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(next.status).toBe(502);
    expect(next.headers.get('x-should-retry')).toBe('false');
    const { error } = await readJson(next);
    expect(error.type).toBe('api_error');
    expect(error.message).toMatch(/^The anthropic accounts "one@example.com", "two@example.com" are out of service: their upstreams refused their keys/);
    expect(error.message).not.toMatch(/re-enable|x-api-key/i);
  });

  it('returns a 400 to the client at once, as the upstream worded it', async () => {
    const invalid: Behaviour = { kind: 'error', status: 400, type: 'invalid_request_error', message: 'prompt is too long: 209601 tokens > 200000 maximum' };
    await setup({ 'sk-one': invalid, 'sk-two': invalid });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(400);
    expect(await readJson(res)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'prompt is too long: 209601 tokens > 200000 maximum' },
    });
    expect(upstream.messageRequests()).toHaveLength(1);
  });

  it('retries a stream that breaks before its first event on another account', async () => {
    await setup({ 'sk-one': { kind: 'drop', afterEvents: 0 } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    expect(eventNames(await res.text()).at(-1)).toBe('message_stop');
  });

  it('retries a non-streaming answer that breaks mid-body on another account', async () => {
    await setup({ 'sk-one': { kind: 'drop', afterEvents: 2 } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    expect((await readJson(res)).type).toBe('message');
  });

  it('keeps a conversation on one account and spreads others', async () => {
    await setup({});
    const session = (id: string) => ({ metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: id }) } });
    for (let i = 0; i < 4; i++) await postJson(`${gateway.url}/v1/messages`, messagesBody(session('5f0c3c4e-0000-4000-8000-000000000001')));
    expect(new Set(keysSeen()).size).toBe(1);
    upstream.reset();
    for (let i = 0; i < 4; i++) await postJson(`${gateway.url}/v1/messages`, messagesBody({ messages: [{ role: 'user', content: `conversation ${i}` }] }));
    expect(new Set(keysSeen()).size).toBe(2);
  });
});

describe('after the 200', () => {
  it('turns a drop mid-stream into an event: error and ends the stream', async () => {
    await setup({ 'sk-one': { kind: 'drop', afterEvents: 3 }, 'sk-two': { kind: 'drop', afterEvents: 3 } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events[0]!.event).toBe('message_start');
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
    expect(upstream.messageRequests()).toHaveLength(1);
    expect(gateway.entries.at(-1)!.attempts[0]!.failure).toBe('stream');
  });

  it('forwards an upstream error event as it is', async () => {
    await setup({ 'sk-one': { kind: 'midStreamError', afterEvents: 2, type: 'overloaded_error', message: 'Overloaded' } });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    const events = parseSse(await res.text());
    expect(events.at(-1)).toMatchObject({ event: 'error' });
    expect(JSON.parse(events.at(-1)!.data).error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('sends pings while the upstream is silent', async () => {
    await setup({ 'sk-one': { kind: 'silent', afterEvents: 2, ms: 400, then: 'finish' } }, { pingIntervalMs: 100 });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    const names = eventNames(await res.text());
    expect(names.filter((n) => n === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(names.at(-1)).toBe('message_stop');
  });
});

describe('client disconnect', () => {
  it('aborts the upstream request when the client goes away before the answer', async () => {
    await setup({ 'sk-one': { kind: 'hang' } });
    const controller = new AbortController();
    const pending = postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }), { signal: controller.signal }).catch(() => null);
    await upstream.waitFor(() => upstream.messageRequests().length === 1);
    controller.abort();
    await pending;
    await upstream.waitFor(() => upstream.messageRequests()[0]!.aborted);
    const entry = await gateway.entry(1);
    expect(entry).toMatchObject({ status: 499, client_aborted: true });
  });

  it('aborts the upstream request when the client goes away mid-stream', async () => {
    await setup({ 'sk-one': { kind: 'silent', afterEvents: 2, ms: 5000, then: 'finish' } });
    const controller = new AbortController();
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }), { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read(); // the stream is live: headers and the first events are out
    controller.abort();
    // The fake would stay silent for 5 s more: the abort is what ends its request.
    await upstream.waitFor(() => upstream.messageRequests()[0]!.aborted);
    expect(upstream.messageRequests()).toHaveLength(1);
  });
});
