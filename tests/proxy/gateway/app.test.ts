// The gateway's HTTP surface as a client meets it: routes, bad input, body limits and auth.

import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthMode } from '../../../src-proxy/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, postJson, readJson } from '../../helpers/sse-client.js';

let upstream: FakeAnthropic;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeAnthropic();
  gateway = await startGateway({
    accounts: [{ label: 'a@example.com', baseUrl: upstream.url, key: 'sk-a' }],
    settings: { max_body_bytes: 4096 },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

async function expectError(res: Response, status: number, type: string, message: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(res.headers.get('request-id')).toMatch(/^req_/);
  // Every answer of the gateway's own that no retry can fix says so; Claude Code otherwise retries for minutes.
  expect(res.headers.get('x-should-retry')).toBe(status < 500 && status !== 429 ? 'false' : null);
  const body = await readJson(res);
  expect(body).toMatchObject({ type: 'error', error: { type } });
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
}

describe('routes', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: 'ok' });
  });

  it('answers the HEAD / probe Claude Code opens with, and keeps probes out of the log', async () => {
    const before = gateway.entries.length;
    expect((await fetch(`${gateway.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    const entry = await gateway.entry(before + 1);
    expect(entry.path).toBe('/v1/messages');
  });

  it('accepts /v1/messages?beta=true as Claude Code sends it', async () => {
    const res = await postJson(`${gateway.url}/v1/messages?beta=true`, messagesBody());
    expect(res.status).toBe(200);
    expect((await readJson(res)).type).toBe('message');
  });

  it.each(['/v1/models', '/v1/models/claude'])('lists models on %s in the Anthropic list shape', async (path) => {
    const body = await readJson(await fetch(`${gateway.url}${path}`));
    expect(body).toMatchObject({ has_more: false, first_id: expect.any(String), last_id: expect.any(String) });
    expect(body.data[0]).toMatchObject({
      type: 'model',
      id: expect.stringMatching(/^claude-/),
      display_name: expect.any(String),
      created_at: expect.any(String),
    });
  });

  it('lists no model while no account can serve one', async () => {
    const empty = await startGateway({});
    try {
      expect(await readJson(await fetch(`${empty.url}/v1/models`))).toEqual({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
      expect((await fetch(`${empty.url}/v1/models/claude-sonnet-4-6`)).status).toBe(404);
    } finally {
      await empty.close();
    }
  });

  it('gives an Anthropic 404 for unknown paths, which no retry can fix', async () => {
    const res = await fetch(`${gateway.url}/v1/complete`, { method: 'POST' });
    expect(res.headers.get('x-should-retry')).toBe('false');
    await expectError(res, 404, 'not_found_error', 'No route POST /v1/complete.');
  });

  it.each(['/v1/v1/messages', '/v1/v1/messages/count_tokens', '/v1/v1/models'])(
    'answers %s with a 400 telling the user to drop /v1 from the base URL, never a 404 that reads as a model problem',
    async (path) => {
      const res = await (path.endsWith('models') ? fetch(`${gateway.url}${path}`) : postJson(`${gateway.url}${path}`, messagesBody()));
      expect(res.headers.get('x-should-retry')).toBe('false');
      await expectError(res, 400, 'invalid_request_error', /^ANTHROPIC_BASE_URL ends in \/v1.*without \/v1 \(e\.g\. http:\/\/127\.0\.0\.1:\d+\)/);
      expect(upstream.messageRequests()).toHaveLength(0);
    },
  );

  it.each(['HEAD', 'GET'])("answers Claude Code's %s /api/hello probe with 200, with auth on and no key, and keeps it out of the log", async (method) => {
    await gateway.runtime.updateSettings({ auth_mode: 'strict', api_key: 'sk-gateway-secret' });
    try {
      const before = gateway.entries.length;
      expect((await fetch(`${gateway.url}/api/hello`, { method })).status).toBe(200);
      expect((await fetch(`${gateway.url}/favicon.ico`, { method })).status).toBe(204);
      await postJson(`${gateway.url}/v1/messages`, messagesBody());
      // The next entry is the refused POST: the probes left none.
      expect(await gateway.entry(before + 1)).toMatchObject({ path: '/v1/messages', status: 401 });
    } finally {
      await gateway.runtime.updateSettings({ auth_mode: 'off' });
    }
  });

  it('takes one trailing slash as the path without it, and paths in their own case only', async () => {
    expect((await postJson(`${gateway.url}/v1/messages/`, messagesBody())).status).toBe(200);
    await expectError(await postJson(`${gateway.url}/V1/Messages`, messagesBody()), 404, 'not_found_error', 'No route POST /V1/Messages.');
  });

  it('answers a model id that is not valid percent-encoding with a 400', async () => {
    await expectError(await fetch(`${gateway.url}/v1/models/claude-%E0%A4%A`), 400, 'invalid_request_error', /decode/);
  });

  it('says nothing about what serves it and sends no ETag', async () => {
    for (const res of [
      await fetch(`${gateway.url}/healthz`),
      await fetch(`${gateway.url}/v1/models`),
      await postJson(`${gateway.url}/v1/messages`, messagesBody()),
    ]) {
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('etag')).toBeNull();
      await res.body?.cancel();
    }
  });

  it('rejects the wrong method on a known path', async () => {
    await expectError(await fetch(`${gateway.url}/v1/messages`), 405, 'invalid_request_error', /Method GET is not allowed/);
  });
});

describe('bad input', () => {
  const url = () => `${gateway.url}/v1/messages`;

  it.each([
    ['malformed JSON', '{"model": "x", ', /^Request body is not valid JSON/],
    ['an empty body', '', 'Request body is empty; expected a JSON object.'],
    ['a JSON array', '[]', 'Request body must be a JSON object'],
    ['a missing model', { max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, 'model: Field required'],
    ['a numeric model', { model: 7, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, 'model: Input should be a valid string'],
    ['a missing max_tokens', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens: Field required'],
    ['a string max_tokens', { model: 'm', max_tokens: '5', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens: Input should be a valid integer'],
    ['a zero max_tokens', { model: 'm', max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens: Input should be greater than or equal to 1'],
    ['missing messages', { model: 'm', max_tokens: 5 }, 'messages: Field required'],
    ['empty messages', { model: 'm', max_tokens: 5, messages: [] }, 'messages: at least one message is required'],
    ['a bad role', { model: 'm', max_tokens: 5, messages: [{ role: 'robot', content: 'hi' }] }, "messages.0.role: Input should be 'user' or 'assistant'"],
    [
      'a block without type',
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ text: 'hi' }] }] },
      'messages.0.content.0.type: Field required',
    ],
    // Values that once reached a response header or the upstream unchecked.
    ['a model with CR/LF', messagesBody({ model: 'claude-sonnet-4-6\r\nx-injected: 1' }), /^model: String should match pattern/],
    ['a model above U+00FF', messagesBody({ model: 'claude-sonnet-4-6-\u4e2d' }), /^model: String should match pattern/],
    ['a 3 KB model', messagesBody({ model: 'c'.repeat(3000) }), 'model: String should have at most 256 characters'],
    ['a string temperature', messagesBody({ temperature: '0.5' }), 'temperature: Input should be a valid number'],
    ['a max_tokens of 1e30', messagesBody({ max_tokens: 1e30 }), 'max_tokens: Input should be less than or equal to 2147483647'],
    [
      'a lone surrogate in text',
      '{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"\\ud800"}]}',
      /^messages\.0\.content: String contains a lone surrogate/,
    ],
  ])('answers 400 naming the problem for %s', async (_name, body, message) => {
    await expectError(await postJson(url(), body), 400, 'invalid_request_error', message);
    expect(upstream.messageRequests()).toHaveLength(0);
  });

  it('answers 400 to a body that is not UTF-8 instead of forwarding its bytes', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}]}'),
    ]);
    const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    await expectError(res, 400, 'invalid_request_error', 'Request body is not valid UTF-8; JSON must be encoded as UTF-8.');
    expect(upstream.messageRequests()).toHaveLength(0);
  });

  it('logs a client that leaves during its upload as a client that closed, not as a gateway error', async () => {
    const before = gateway.entries.length;
    const { port } = new URL(gateway.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 2000\r\n\r\n{"model":"claude-`);
    await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    // The gateway's onInternalError throws in tests: reaching this entry means no bug was reported.
    expect(await gateway.entry(before + 1)).toMatchObject({ path: '/v1/messages', status: 499, client_aborted: true, error_type: null });
    expect(upstream.messageRequests()).toHaveLength(0);
  });

  it('answers 413 request_too_large over the body limit', async () => {
    const big = messagesBody({ messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    await expectError(await postJson(url(), big), 413, 'request_too_large', /exceeds the gateway's limit of 4096 bytes/);
    expect(upstream.messageRequests()).toHaveLength(0);
  });

  it('passes fields it does not know through untouched', async () => {
    const body = messagesBody({
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      output_config: { effort: 'high' },
      thinking: { type: 'adaptive' },
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'reply' },
        { role: 'system', content: 'a mid-conversation system note' },
        { role: 'user', content: [{ type: 'text', text: 'next', future_field: { a: 1 } }] },
      ],
    });
    const res = await postJson(url(), body);
    expect(res.status).toBe(200);
    // A short answer is asked for as one JSON message too (providers/shared/answer-shape.ts).
    expect(upstream.messageRequests()[0]!.body).toEqual(body);
  });
});

describe('auth', () => {
  const modes: AuthMode[] = ['off', 'strict', 'all-except-health'];
  const headerForms = {
    'Authorization: Bearer': (k: string) => ({ authorization: `Bearer ${k}` }),
    'x-api-key': (k: string) => ({ 'x-api-key': k }),
    'x-goog-api-key': (k: string) => ({ 'x-goog-api-key': k }),
  };

  async function call(path: string, headers: Record<string, string>) {
    return path === '/healthz'
      ? fetch(`${gateway.url}${path}`, { headers })
      : fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(messagesBody()) });
  }

  const cases = modes.flatMap((mode) =>
    Object.keys(headerForms).flatMap((form) =>
      ['/v1/messages', '/healthz'].flatMap((path) => [
        { mode, form, path, key: 'right', expected: 200 },
        { mode, form, path, key: 'wrong', expected: mode === 'off' || (mode === 'all-except-health' && path === '/healthz') ? 200 : 401 },
      ]),
    ),
  );

  it.each(cases)('$mode: $form with the $key key on $path → $expected', async ({ mode, form, path, key, expected }) => {
    await gateway.runtime.updateSettings({ auth_mode: mode, api_key: 'sk-gateway-secret' });
    const headers = headerForms[form as keyof typeof headerForms](key === 'right' ? 'sk-gateway-secret' : 'sk-nope');
    const res = await call(path, { ...headers, 'anthropic-version': '2023-06-01' });
    expect(res.status).toBe(expected);
    if (expected === 401) {
      // Without it Claude Code retries a wrong gateway key silently for minutes.
      expect(res.headers.get('x-should-retry')).toBe('false');
      await expectError(res, 401, 'authentication_error', 'Invalid API key for this gateway.');
    }
  });

  it.each(['strict', 'all-except-health'] as const)('%s: no key at all is a 401 naming the headers', async (mode) => {
    await gateway.runtime.updateSettings({ auth_mode: mode, api_key: 'sk-gateway-secret' });
    await expectError(
      await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': '' } }),
      401,
      'authentication_error',
      /x-api-key or Authorization: Bearer/,
    );
  });

  it.each(['strict', 'all-except-health'] as const)('%s with an empty configured key (an older settings file) refuses everything', async (mode) => {
    // The console and the CLI can no longer make this change; a file written by hand or an older version can.
    const locked = await startGateway({ settings: { auth_mode: mode, api_key: '' } });
    try {
      const res = await postJson(`${locked.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': '' } });
      await expectError(res, 401, 'authentication_error', /no api_key is configured/);
      const health = await fetch(`${locked.url}/healthz`);
      expect(health.status).toBe(mode === 'strict' ? 401 : 200);
    } finally {
      await locked.close();
    }
  });

  it('never forwards the client key upstream', async () => {
    await gateway.runtime.updateSettings({ auth_mode: 'strict', api_key: 'sk-gateway-secret' });
    await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-gateway-secret' } });
    const sent = upstream.messageRequests()[0]!;
    expect(sent.key).toBe('sk-a');
    expect(JSON.stringify(sent.headers)).not.toContain('sk-gateway-secret');
    await gateway.runtime.updateSettings({ auth_mode: 'off' });
  });
});

describe('host guard', () => {
  it('refuses a foreign Host header while bound to loopback', async () => {
    const { request } = await import('undici');
    const res = await request(`${gateway.url}/healthz`, { headers: { host: 'evil.example:8045' } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['x-should-retry']).toBe('false');
    expect(await res.body.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
  });
});
