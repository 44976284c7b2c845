// The control contract: the same cases through every transport (the HTTP server and client, and the
// in-process dispatcher the desktop shell's IPC uses), then what the HTTP transport itself refuses.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlError, type ControlClient, type RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { dispatchingClient } from '../../../src-proxy/control-api/dispatcher.js';
import { createHttpControlClient } from '../../../src-proxy/control-api/http-control-client.js';
import { startControlServer } from '../../../src-proxy/control-api/http-control-server.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, parseSse, postJson } from '../../helpers/sse-client.js';

const TOKEN = 'test-control-token-0123456789';
let upstream: FakeAnthropic;
let gateway: TestGateway;
let control: Awaited<ReturnType<typeof startControlServer>>;
let api: ControlClient;

beforeEach(async () => {
  upstream = await startFakeAnthropic();
  gateway = await startGateway();
  control = await startControlServer({ api: gateway.runtime, events: gateway.runtime.events, token: TOKEN });
});

const TRANSPORTS: Array<{ name: string; client: () => ControlClient }> = [
  { name: 'HTTP', client: () => createHttpControlClient(control.url, TOKEN) },
  { name: 'the in-process dispatcher', client: () => dispatchingClient(gateway.runtime, gateway.runtime.events) },
];
afterEach(async () => {
  await control.close();
  await gateway.close();
  await upstream.close();
});

const newAccount = () => ({
  provider: 'anthropic' as const,
  label: 'remote@example.com',
  api_key: 'sk-remote-secret',
  options: { base_url: upstream.url },
});

describe.each(TRANSPORTS)('the control contract over $name', ({ client }) => {
  beforeEach(() => {
    api = client();
  });

  it('manages accounts, and the gateway uses them at once', async () => {
    const added = await api.addAccount(newAccount());
    expect(added).toMatchObject({ label: 'remote@example.com', enabled: true, options: { auth_scheme: 'x-api-key' } });
    expect(JSON.stringify(added)).not.toContain('sk-remote-secret');
    expect(await api.listAccounts()).toHaveLength(1);

    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.headers.get('x-account-email')).toBe('remote@example.com');
    expect(upstream.messageRequests()[0]!.key).toBe('sk-remote-secret');

    expect(await api.updateAccount(added.id, { enabled: false })).toMatchObject({ enabled: false });
    expect((await postJson(`${gateway.url}/v1/messages`, messagesBody())).status).toBe(503);
    await api.removeAccount(added.id);
    expect(await api.listAccounts()).toEqual([]);
  });

  it('changes only the settings and options a call names', async () => {
    await api.updateSettings({ auth_mode: 'strict' });
    await api.updateSettings({ api_key: 'sk-second-call' });
    expect(await api.getSettings()).toMatchObject({ auth_mode: 'strict', api_key: 'sk-second-call' });
    const added = await api.addAccount({ ...newAccount(), options: { base_url: upstream.url, auth_scheme: 'bearer' } });
    const updated = await api.updateAccount(added.id, { options: { strip_cache_control: true } });
    expect(updated.options).toMatchObject({ auth_scheme: 'bearer', strip_cache_control: true });
  });

  it('reads and changes settings, validated', async () => {
    expect((await api.updateSettings({ auth_mode: 'strict', api_key: 'k' })).auth_mode).toBe('strict');
    expect((await api.getSettings()).api_key).toBe('k');
    await expect(api.updateSettings({ port: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(api.updateSettings({ auth_mode: 'sometimes' as never })).rejects.toBeInstanceOf(ControlError);
  });

  it('stops and starts the gateway, and reports its status', async () => {
    expect(await api.getStatus()).toMatchObject({ running: true, url: gateway.url });
    expect(await api.stopGateway()).toMatchObject({ running: false, url: null });
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
    expect((await api.startGateway()).running).toBe(true);
  });

  it('lists and clears requests, and lists warnings', async () => {
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    await gateway.entry(1);
    expect(await api.listRequests({ limit: 5 })).toHaveLength(1);
    await api.clearRequests();
    expect(await api.listRequests({})).toEqual([]);
    expect(await api.listWarnings()).toEqual([]);
  });

  it('says which account it does not know', async () => {
    await expect(api.removeAccount('acct_nope')).rejects.toMatchObject({ code: 'not_found', message: 'No account with id acct_nope.' });
  });

  it('generates a gateway key, stores it, and the gateway asks for it at once', async () => {
    const before = await api.getSettings();
    const settings = await api.generateApiKey();
    expect(settings.api_key).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(settings.api_key).not.toBe(before.api_key);
    expect((await api.generateApiKey()).api_key).not.toBe(settings.api_key);
    await api.updateSettings({ auth_mode: 'strict' });
    const key = (await api.getSettings()).api_key;
    expect((await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect((await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': key } })).status).not.toBe(401);
  });

  it('delivers live events to onEvent while subscribed, and none after', async () => {
    const seen: RequestLogEntry[] = [];
    const off = api.onEvent('request', (entry) => seen.push(entry));
    // The stream is open once an event can reach it: keep asking until one does.
    await expect
      .poll(async () => {
        await postJson(`${gateway.url}/v1/messages`, messagesBody());
        return seen.length;
      })
      .toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ path: '/v1/messages', route: 'messages' });
    off();
    const count = seen.length;
    await postJson(`${gateway.url}/v1/messages`, messagesBody());
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(count);
  });

  it('refuses an argument its schema does not allow, with invalid_argument', async () => {
    await expect(api.removeAccount(42 as unknown as string)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(api.updateSettings({ port: -1 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('the ControlApi over HTTP', () => {
  beforeEach(() => {
    api = createHttpControlClient(control.url, TOKEN);
  });

  it('opens its event stream again when the server comes back', async () => {
    const seen: RequestLogEntry[] = [];
    const off = api.onEvent('request', (entry) => seen.push(entry));
    const port = Number(new URL(control.url).port);
    await control.close();
    control = await startControlServer({ api: gateway.runtime, events: gateway.runtime.events, token: TOKEN }, port);
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

  it('streams live events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${control.url}/control/events`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
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
  });

  it.each([
    ['no token', {}, 401],
    ['a wrong token', { authorization: 'Bearer nope-nope-nope-nope' }, 401],
    ['a foreign Host', { authorization: `Bearer ${TOKEN}`, host: 'evil.example' }, 403],
  ])('refuses %s', async (_name, headers, status) => {
    const { request } = await import('undici');
    const res = await request(`${control.url}/control/getSettings`, { method: 'POST', headers, body: '{"args":[]}' });
    expect(res.statusCode).toBe(status);
    const body = (await res.body.json()) as { ok: boolean; error: { code: string } };
    expect(body).toMatchObject({ ok: false, error: { code: status === 401 ? 'unauthorized' : 'forbidden' } });
  });

  it('refuses unknown methods and bad arguments', async () => {
    const post = (path: string, body: string) => fetch(`${control.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body });
    expect((await post('/control/dropDatabase', '{}')).status).toBe(404);
    const bad = await post('/control/removeAccount', '{"args":[42]}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect((await post('/control/getStatus', 'not json')).status).toBe(400);
  });
});
