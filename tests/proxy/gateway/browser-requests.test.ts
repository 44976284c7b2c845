// What a web page in the user's browser can do to the gateway on 127.0.0.1: the requests a page can send
// without a CORS preflight, sent the way a browser sends them, through the real gateway.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BROWSER_MESSAGES } from '../../../src-proxy/gateway/browser-guard.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, postJson, readJson } from '../../helpers/sse-client.js';

let upstream: FakeAnthropic;
let gateway: TestGateway;

// Auth off, as the gateway ships on loopback: nothing but these rules stands between a page and the quota.
beforeAll(async () => {
  upstream = await startFakeAnthropic();
  gateway = await startGateway({ accounts: [{ label: 'a@example.com', baseUrl: upstream.url, key: 'sk-a' }] });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const body = () => JSON.stringify(messagesBody());

async function expectRefused(res: Response, status: number, type: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('request-id')).toMatch(/^req_/);
  // No CORS headers: the page cannot read the answer either.
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(await readJson(res)).toMatchObject({ type: 'error', error: { type, message } });
  expect(upstream.requests).toHaveLength(0);
}

describe('requests a web page can send without a preflight', () => {
  it('refuses a text/plain fetch from another site, and never calls the upstream', async () => {
    // fetch(url, { method: 'POST', body: string }) sends content-type: text/plain;charset=UTF-8, as a browser does.
    const logged = gateway.entries.length;
    const res = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { origin: 'https://some.site' }, body: body() });
    await expectRefused(res, 403, 'permission_error', BROWSER_MESSAGES.cross_site_origin);
    expect(await gateway.entry(logged + 1)).toMatchObject({ path: '/v1/messages', status: 403, error_type: 'permission_error' });
  });

  it('refuses Origin: null (a sandboxed frame or a file: page)', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { origin: 'null' }, body: body() });
    await expectRefused(res, 403, 'permission_error', BROWSER_MESSAGES.cross_site_origin);
  });

  it('refuses a request the browser marks Sec-Fetch-Site: cross-site', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      body: body(),
    });
    await expectRefused(res, 403, 'permission_error', BROWSER_MESSAGES.cross_site_fetch);
  });

  it('refuses a body without content-type (a fetch with a Blob body sends none)', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', body: new Blob([body()]) });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    await expectRefused(res, 415, 'invalid_request_error', 'Unsupported content type: send the request body as JSON with content-type: application/json.');
  });

  it('refuses a text/plain body on count_tokens too', async () => {
    const res = await fetch(`${gateway.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: body() });
    await expectRefused(res, 415, 'invalid_request_error', BROWSER_MESSAGES.not_json);
  });

  it('refuses a form post', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', body: new URLSearchParams({ model: 'claude-sonnet-4-6' }) });
    await expectRefused(res, 415, 'invalid_request_error', BROWSER_MESSAGES.not_json);
  });
});

describe('clients that are not web pages, and local pages', () => {
  it('serves an SDK-like request (no Origin, content-type: application/json)', async () => {
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect((await readJson(res)).type).toBe('message');
    expect(upstream.messageRequests()).toHaveLength(1);
  });

  it('serves JSON with a charset parameter', async () => {
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(200);
  });

  it.each(['http://127.0.0.1:5173', 'http://localhost:3000', 'http://[::1]:8080'])('serves a page on a loopback origin (%s)', async (origin) => {
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { origin } });
    expect(res.status).toBe(200);
    expect(upstream.messageRequests()).toHaveLength(1);
  });
});
