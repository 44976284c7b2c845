// The one HTTP ControlClient (the browser console's and the CLI's) against a scripted fetch: the wire
// format of the headless console's API, the event stream, its reconnection and replay, and a refused token.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ControlError, createHttpControlClient, UnreachableError, type GatewayStatus, type Settings } from '../../../src-proxy/contract/index.js';

const STATUS: GatewayStatus = { running: true, host: '127.0.0.1', port: 8045, url: 'http://127.0.0.1:8045', started_at: 1, last_error: null };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** An SSE response whose body the test writes to and ends. */
function sseResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
afterEach(() => vi.useRealTimers());

describe('the HTTP ControlClient', () => {
  it('posts each call to /api/<method> with the args and the bearer token, and answers the value', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => json(200, { ok: true, value: STATUS }));
    const client = createHttpControlClient({ token: 'tok', onUnauthorized: () => undefined, fetch });
    expect(await client.getStatus()).toEqual(STATUS);
    await client.updateAccount('acc-1', { enabled: false });
    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe('/api/updateAccount');
    expect(init!.method).toBe('POST');
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(init!.body as string)).toEqual({ args: ['acc-1', { enabled: false }] });
  });

  it('throws the core error as a ControlError with its code, and a refused token asks for it again', async () => {
    const onUnauthorized = vi.fn();
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(409, { ok: false, error: { code: 'port_in_use', message: 'port 8045 is in use' } }))
      .mockResolvedValueOnce(json(401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong console token' } }));
    const client = createHttpControlClient({ token: 'tok', onUnauthorized, fetch });
    await expect(client.startGateway()).rejects.toMatchObject({ code: 'port_in_use' });
    await expect(client.getStatus()).rejects.toBeInstanceOf(ControlError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('says the core is unreachable when the request fails or the answer is not JSON', async () => {
    const fetch = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(new Response('<html>', { status: 502 }));
    const client = createHttpControlClient({ token: 'tok', onUnauthorized: () => undefined, fetch });
    await expect(client.getStatus()).rejects.toBeInstanceOf(UnreachableError);
    await expect(client.getStatus()).rejects.toBeInstanceOf(UnreachableError);
  });

  it('delivers SSE events to their listeners, reopens the stream after it ends, and then replays status, settings and accounts', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const streams = [first, second];
    const fetch = vi.fn(async (url: string | URL | Request, _init?: RequestInit) => {
      if (url === '/api/events') return streams.shift()!.response;
      if (url === '/api/getStatus') return json(200, { ok: true, value: { ...STATUS, port: 9000 } });
      return json(200, { ok: true, value: url === '/api/listAccounts' ? [] : { port: 9000 } });
    });
    const client = createHttpControlClient({ token: 'tok', onUnauthorized: () => undefined, fetch });
    const statuses: GatewayStatus[] = [];
    const settings: Settings[] = [];
    const off = client.onEvent('status', (s) => statuses.push(s));
    client.onEvent('settings', (s) => settings.push(s));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![1]!.headers).toEqual({ authorization: 'Bearer tok' });

    first.send(': connected\n\nevent: status\ndata: ' + JSON.stringify(STATUS) + '\n\n');
    await vi.waitFor(() => expect(statuses).toEqual([STATUS]));
    first.end();
    await vi.advanceTimersByTimeAsync(300);
    await vi.waitFor(() => expect(statuses).toHaveLength(2));
    expect(statuses[1]!.port).toBe(9000);
    expect(settings).toEqual([{ port: 9000 }]);
    // Only what someone listens to is read again.
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/events', '/api/events', '/api/getStatus', '/api/getSettings']);
    second.send('event: status\ndata: ' + JSON.stringify({ ...STATUS, running: false }) + '\n\n');
    await vi.waitFor(() => expect(statuses.at(-1)!.running).toBe(false));
    off();
  });

  it('replays the state too when the stream opens only after failing to, and not when it opens at once', async () => {
    const stream = sseResponse();
    let refused = 1;
    const fetch = vi.fn(async (url: string | URL | Request) => {
      if (url === '/api/events') {
        if (refused-- > 0) throw new TypeError('Failed to fetch');
        return stream.response;
      }
      return json(200, { ok: true, value: STATUS });
    });
    const client = createHttpControlClient({ token: 'tok', fetch });
    const statuses: GatewayStatus[] = [];
    client.onEvent('status', (s) => statuses.push(s));
    await vi.advanceTimersByTimeAsync(250);
    await vi.waitFor(() => expect(statuses).toEqual([STATUS]));

    const fresh = sseResponse();
    const other = createHttpControlClient({
      token: 'tok',
      fetch: async (url) => (url === '/api/events' ? fresh.response : json(200, { ok: true, value: STATUS })),
    });
    const heard: GatewayStatus[] = [];
    other.onEvent('status', (s) => heard.push(s));
    fresh.send(': connected\n\n');
    await vi.advanceTimersByTimeAsync(300);
    expect(heard).toEqual([]);
  });

  it('retries a stream that cannot open, waiting longer each time, and stops with the last listener', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = createHttpControlClient({ token: 'tok', onUnauthorized: () => undefined, fetch });
    const off = client.onEvent('request', () => undefined);
    await vi.advanceTimersByTimeAsync(250);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(fetch).toHaveBeenCalledTimes(3);
    off();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('stops and asks for the token when the event stream is refused', async () => {
    const onUnauthorized = vi.fn();
    const fetch = vi.fn(async () => json(401, { ok: false, error: { code: 'unauthorized', message: 'x' } }));
    const client = createHttpControlClient({ token: 'bad', onUnauthorized, fetch });
    client.onEvent('status', () => undefined);
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('gives up a call that takes longer than its time limit, as unreachable', async () => {
    const fetch = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason))),
    );
    const client = createHttpControlClient({ baseUrl: 'http://127.0.0.1:8046', token: 'tok', timeoutMs: 1000, fetch });
    const answer = client.getStatus();
    const settled = expect(answer).rejects.toThrow(/cannot reach the running switchyard at http:\/\/127\.0\.0\.1:8046/);
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(fetch.mock.calls[0]![0]).toBe('http://127.0.0.1:8046/api/getStatus');
  });

  it('keeps delivering to the other listeners when one throws, and hands the error to its shell', async () => {
    const stream = sseResponse();
    const errors: unknown[] = [];
    const client = createHttpControlClient({ token: 'tok', fetch: async () => stream.response, onListenerError: (err) => errors.push(err) });
    const heard: boolean[] = [];
    client.onEvent('status', () => {
      throw new Error('a broken view');
    });
    client.onEvent('status', (s) => heard.push(s.running));
    stream.send('event: status\ndata: ' + JSON.stringify(STATUS) + '\n\nevent: status\ndata: ' + JSON.stringify({ ...STATUS, running: false }) + '\n\n');
    await vi.waitFor(() => expect(heard).toEqual([true, false]));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ message: 'a broken view' });
  });
});
