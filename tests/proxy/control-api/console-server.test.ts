// What the headless console's listener itself promises: the console page under /ui/, the API under /api/
// only for a caller holding the token, from this console's own origin, under a loopback Host name.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpControlClient, type ControlClient, type GatewayStatus, type RequestLogEntry, type Settings } from '../../../src-proxy/contract/index.js';
import { CONSOLE_CSP } from '../../../src-proxy/control-api/ui-files.js';
import { startConsoleServer, type ConsoleServer } from '../../../src-proxy/control-api/console-server.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, parseSse, postJson } from '../../helpers/sse-client.js';

const TOKEN = 'test-console-token-0123456789';
let gateway: TestGateway;
let server: ConsoleServer;
let root: string;
let uiDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchyard-ui-'));
  // A file beside the console's folder, where a path that climbs out would land.
  await writeFile(join(root, 'secret.txt'), 'not for the console');
  uiDir = join(root, 'ui');
  await mkdir(join(uiDir, 'assets'), { recursive: true });
  await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>Switchyard</title><script type="module" src="./assets/app-abc123.js"></script>');
  await writeFile(join(uiDir, 'assets', 'app-abc123.js'), 'console.log("console")');
  gateway = await startGateway();
  server = await startConsoleServer({ api: gateway.runtime, events: gateway.runtime.events, token: TOKEN, uiDir });
});
afterEach(async () => {
  await server.close();
  await gateway.close();
  await rm(root, { recursive: true, force: true });
});

const call = (method: string, headers: Record<string, string>, body = '{"args":[]}') =>
  request(`${server.url}/api/${method}`, { method: 'POST', headers, body });
const withToken = { authorization: `Bearer ${TOKEN}` };

describe('the console page', () => {
  it('sends / and /ui to /ui/', async () => {
    for (const path of ['/', '/ui']) {
      const res = await request(`${server.url}${path}`);
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/ui/');
      await res.body.dump();
    }
  });

  it('serves the built page without the token, fresh every time, under a strict content policy', async () => {
    const res = await request(`${server.url}/ui/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(await res.body.text()).toContain('<title>Switchyard</title>');
  });

  it('serves hashed assets as immutable, with their type', async () => {
    const res = await request(`${server.url}/ui/assets/app-abc123.js`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    expect(await res.body.text()).toBe('console.log("console")');
  });

  it.each(['/ui/../package.json', '/ui/%2e%2e/%2e%2e/etc/passwd', '/ui/assets/missing.js', '/ui/assets', '/ui/%E0%A4%A'])(
    'answers 404 for %s',
    async (path) => {
      const res = await request(`${server.url}${path}`);
      expect(res.statusCode).toBe(404);
      await res.body.dump();
    },
  );

  it.each(['/ui/../secret.txt', '/ui/%2e%2e/secret.txt', '/ui/assets/..%2f..%2fsecret.txt', '/ui/%2e%2e%5csecret.txt', '/ui/assets/%00.js'])(
    'answers 404 for %s sent as it is, with nothing from outside the folder',
    async (path) => {
      // Sent over a raw socket: an HTTP client would resolve the dots before they reach the server.
      const answer = await rawGet(path);
      expect(answer).toMatch(/^HTTP\/1\.1 404 /);
      expect(answer).not.toContain('not for the console');
      expect(answer.toLowerCase()).toContain(`content-security-policy: ${CONSOLE_CSP.toLowerCase()}`);
    },
  );

  it('sends the security headers with the page, its assets and its errors, and never says what serves it', async () => {
    for (const path of ['/ui/', '/ui/index.html', '/ui/assets/app-abc123.js', '/ui/assets/missing.js']) {
      const res = await request(`${server.url}${path}`);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      await res.body.dump();
    }
  });

  it('answers HEAD like GET without a body, and refuses other methods', async () => {
    const head = await request(`${server.url}/ui/assets/app-abc123.js`, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("console")'.length));
    await head.body.dump();
    const post = await request(`${server.url}/ui/assets/app-abc123.js`, { method: 'POST', body: 'x' });
    expect(post.statusCode).toBe(405);
    await post.body.dump();
  });

  it('says how to build the console when it is not built', async () => {
    await server.close();
    server = await startConsoleServer({ api: gateway.runtime, events: gateway.runtime.events, token: TOKEN, uiDir: null });
    const res = await request(`${server.url}/ui/`);
    expect(res.statusCode).toBe(503);
    expect(await res.body.text()).toContain('npm run build');
  });
});

/** One GET with the path exactly as given; the whole answer as text. */
async function rawGet(path: string): Promise<string> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  return text;
}

describe('/api', () => {
  it.each([
    ['no token', {}, 401, 'unauthorized'],
    ['a wrong token', { authorization: 'Bearer nope-nope-nope-nope' }, 401, 'unauthorized'],
    ['the token in another scheme', { authorization: `Basic ${TOKEN}` }, 401, 'unauthorized'],
    ['a foreign Host', { ...withToken, host: 'evil.example' }, 403, 'forbidden'],
    ['a rebinding Host that starts like loopback', { ...withToken, host: '127.0.0.1.nip.io' }, 403, 'forbidden'],
    ['a foreign Origin', { ...withToken, origin: 'https://evil.example' }, 403, 'forbidden'],
    ['another local page', { ...withToken, origin: 'http://127.0.0.1:5173' }, 403, 'forbidden'],
    ['an opaque Origin', { ...withToken, origin: 'null' }, 403, 'forbidden'],
    ['a cross-site fetch', { ...withToken, 'sec-fetch-site': 'cross-site' }, 403, 'forbidden'],
    ['a same-site fetch from another port', { ...withToken, 'sec-fetch-site': 'same-site' }, 403, 'forbidden'],
  ])('refuses %s', async (_name, headers, status, code) => {
    const res = await call('getSettings', headers as Record<string, string>);
    expect(res.statusCode).toBe(status);
    expect(await res.body.json()).toMatchObject({ ok: false, error: { code } });
  });

  it('answers this console itself, and never with CORS headers', async () => {
    const host = new URL(server.url).host;
    const res = await call('getStatus', { ...withToken, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ ok: true, value: { running: true } });
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await request(`${server.url}/api/getStatus`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    await preflight.body.dump();
  });

  it('refuses unknown methods and bad arguments', async () => {
    const unknown = await call('dropDatabase', withToken, '{}');
    expect(unknown.statusCode).toBe(404);
    await unknown.body.dump();
    const bad = await call('removeAccount', withToken, '{"args":[42]}');
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const notJson = await call('getStatus', withToken, 'not json');
    expect(notJson.statusCode).toBe(400);
    await notJson.body.dump();
  });

  it('answers a body over 1 MiB with a 400 that says so, not a reset connection', async () => {
    const big = JSON.stringify({ args: [{ model_rules: [{ match: 'x'.repeat(2 * 1024 * 1024), provider: 'anthropic' }] }] });
    const res = await call('updateSettings', { ...withToken, 'content-type': 'application/json' }, big);
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining('1 MiB') } });
    // The answer is read whole, and the server still answers the next call.
    const next = await call('getStatus', withToken);
    expect(next.statusCode).toBe(200);
    await next.body.dump();
  });

  it('answers arguments nested past the limit with a 400 that names it', async () => {
    const deep = `{"args":[${'['.repeat(20_000)}${']'.repeat(20_000)}]}`;
    const res = await call('updateSettings', withToken, deep);
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining('nested') } });
  });

  it('streams live events to a holder of the token', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/events`, { headers: withToken, signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read(); // connected
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    let text = '';
    const deadline = performance.now() + 3000;
    while (!text.includes('event: request') && performance.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const event = parseSse(text).find((e) => e.event === 'request')!;
    expect(JSON.parse(event.data)).toMatchObject({ path: '/v1/messages', status: 503 });
    const refused = await request(`${server.url}/api/events`);
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();
  });

  it('has its client open the event stream again when the server comes back, and read the state again', async () => {
    const api: ControlClient = createHttpControlClient({ baseUrl: server.url, token: TOKEN });
    const seen: RequestLogEntry[] = [];
    const settings: Settings[] = [];
    const statuses: GatewayStatus[] = [];
    const off = api.onEvent('request', (entry) => seen.push(entry));
    const offSettings = api.onEvent('settings', (s) => settings.push(s));
    const offStatus = api.onEvent('status', (s) => statuses.push(s));
    const port = Number(new URL(server.url).port);
    await server.close();
    server = await startConsoleServer({ api: gateway.runtime, events: gateway.runtime.events, token: TOKEN, uiDir }, port);
    // Nothing changed, yet the reconnected client hears the state the server holds now.
    await expect.poll(() => settings.length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => statuses.length, { timeout: 5000 }).toBe(1);
    expect(settings[0]).toEqual(await gateway.runtime.getSettings());
    expect(statuses[0]).toEqual(await gateway.runtime.getStatus());
    offSettings();
    offStatus();
    await expect
      .poll(
        async () => {
          await postJson(`${gateway.url}/v1/messages`, messagesBody());
          return seen.length;
        },
        { timeout: 5000 },
      )
      .toBeGreaterThan(0);
    off();
  });

  it('says a taken port is in use', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startConsoleServer({ api: gateway.runtime, events: gateway.runtime.events, token: TOKEN }, port)).rejects.toMatchObject({
      code: 'port_in_use',
    });
  });
});
