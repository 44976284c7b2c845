// The fault proxy breaks an exchange exactly the way each of its faults says, and passes everything else
// through unchanged, in front of an Anthropic upstream (SSE with event names) and Google's token
// endpoint (JSON). What it does is seen from a plain HTTP client, byte by byte.

import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from './anthropic-upstream.js';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
import { FakeGoogleOAuth } from './google-oauth.js';

const KEY = 'sk-fake-fault-proxy-key-0123456789';

let upstream: FakeAnthropic;
let proxy: FaultProxy;
/** The events of the whole answer, as the upstream sends them without the proxy. */
let WHOLE: string[];
beforeEach(async () => {
  upstream = await startFakeAnthropic({ keys: [KEY], defaultBehaviour: { kind: 'reply', text: 'one two three four', chunks: 4 } });
  proxy = await startFaultProxy(upstream.url, 'anthropic');
  const direct = await fetch(`${upstream.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
  });
  WHOLE = eventsOf(await direct.text());
  expect(WHOLE.at(-1)).toBe('message_stop');
});
afterEach(async () => {
  await proxy.close();
  await upstream.close();
});

interface Seen {
  status: number | null;
  body: string;
  /** How the exchange ended for the client: a clean end, a reset, or still open when the client gave up. */
  end: 'clean' | 'reset' | 'open';
}

/** One streaming request through the proxy; the client waits at most `patienceMs` for the end. */
function ask(patienceMs = 400, stream = true): Promise<Seen> {
  const body = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64, stream, messages: [{ role: 'user', content: 'Hi' }] });
  return new Promise((resolve) => {
    const seen: Seen = { status: null, body: '', end: 'open' };
    const req = request(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(seen);
    }, patienceMs);
    const done = (end: Seen['end']) => {
      clearTimeout(timer);
      seen.end = end;
      resolve(seen);
    };
    req.on('response', (res) => {
      seen.status = res.statusCode ?? null;
      res.on('data', (c: Buffer) => (seen.body += c.toString()));
      res.on('end', () => done('clean'));
      res.on('error', () => done('reset'));
      res.on('aborted', () => done('reset'));
    });
    req.on('error', () => {
      if (seen.end === 'open' && !req.destroyed) done('reset');
      else if (seen.status === null) done('reset');
    });
    req.end(body);
  });
}

const eventsOf = (body: string): string[] => [...body.matchAll(/^event: (\w+)/gm)].map((m) => m[1]!);

describe('the fault proxy in front of an Anthropic upstream', () => {
  it('passes the answer through unchanged when no fault is chosen', async () => {
    const seen = await ask();
    expect(seen).toMatchObject({ status: 200, end: 'clean' });
    expect(eventsOf(seen.body)).toEqual(WHOLE);
    expect(proxy.exchanges).toEqual([expect.objectContaining({ fault: 'pass', credential: KEY, clientLeft: false })]);
  });

  it.each<[string, Fault, (s: Seen) => void]>([
    ['hangs before the headers', { kind: 'hang_before_headers' }, (s) => expect(s).toMatchObject({ status: null, end: 'open' })],
    ['hangs after the headers', { kind: 'hang_after_headers' }, (s) => expect(s).toMatchObject({ status: 200, body: '', end: 'open' })],
    ['hangs mid-body', { kind: 'hang_mid_body' }, (s) => expect([s.status, eventsOf(s.body), s.end]).toEqual([200, ['message_start'], 'open'])],
    ['drops the connection before the headers', { kind: 'drop_before_headers' }, (s) => expect(s).toMatchObject({ status: null, end: 'reset' })],
    ['drops the connection mid-body', { kind: 'drop_mid_body' }, (s) => expect([s.status, eventsOf(s.body), s.end]).toEqual([200, ['message_start'], 'reset'])],
    [
      'sends a data line that is not JSON',
      { kind: 'malformed_sse' },
      (s) => {
        expect(s.body).toContain('data: {"candidates": [{"content"\n\n');
        expect(eventsOf(s.body)).toEqual(WHOLE);
      },
    ],
    [
      'cuts the stream in its second event',
      { kind: 'truncated_sse' },
      (s) => {
        expect([s.status, s.end]).toEqual([200, 'clean']);
        expect(eventsOf(s.body)).toEqual(['message_start', 'content_block_start']);
        expect(s.body.endsWith('\n\n')).toBe(false);
      },
    ],
    ['leaves out the terminal event', { kind: 'no_terminal' }, (s) => expect([s.end, eventsOf(s.body)]).toEqual(['clean', WHOLE.slice(0, -1)])],
    [
      'echoes the credentials in an error body',
      { kind: 'echo_credentials', status: 401 },
      (s) => {
        expect(s.status).toBe(401);
        expect(JSON.parse(s.body)).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: expect.stringContaining(KEY) } });
      },
    ],
    [
      'echoes the credentials in a stream error',
      { kind: 'echo_in_stream' },
      (s) => {
        expect(eventsOf(s.body)).toEqual(['message_start', 'error']);
        expect(s.body).toContain(KEY);
      },
    ],
    ['answers 429 itself', { kind: 'status', status: 429 }, (s) => expect([s.status, JSON.parse(s.body).error.type]).toEqual([429, 'rate_limit_error'])],
    ['answers 500 itself', { kind: 'status', status: 500 }, (s) => expect([s.status, JSON.parse(s.body).error.type]).toEqual([500, 'api_error'])],
    ['answers 503 itself', { kind: 'status', status: 503 }, (s) => expect([s.status, JSON.parse(s.body).error.type]).toEqual([503, 'overloaded_error'])],
  ])('%s', async (_name, fault, expectSeen) => {
    proxy.setFault(fault);
    expectSeen(await ask());
    expect(proxy.exchanges.map((e) => e.fault)).toEqual([fault.kind]);
  });

  it('answers slowly: every event, the first included, comes after the delay', async () => {
    proxy.setFault({ kind: 'slow', delayMs: 150 });
    // Nothing of the answer has come yet when the client gives up before the first delay is over.
    expect((await ask(100)).body).toBe('');
    proxy.setFault({ kind: 'slow', delayMs: 5 });
    expect(eventsOf((await ask(5000)).body)).toEqual(WHOLE);
  });

  it('chooses the fault per request, by what the request carries', async () => {
    proxy.setFault((req) => (req.body.includes('"stream":false') ? { kind: 'status', status: 503 } : { kind: 'pass' }));
    expect((await ask(2000, false)).status).toBe(503);
    expect((await ask(2000, true)).status).toBe(200);
  });

  it('sees a client that leaves while the exchange hangs', async () => {
    proxy.setFault({ kind: 'hang_before_headers' });
    await ask(100);
    await expect.poll(() => proxy.exchanges[0]?.clientLeft).toBe(true);
  });
});

describe("the fault proxy in front of Google's token endpoint", () => {
  it('echoes the form it received, refresh token and client secret included, as an OAuth error', async () => {
    const google = new FakeGoogleOAuth();
    await google.listen();
    const oauth = await startFaultProxy(google.url, 'oauth');
    try {
      oauth.setFault({ kind: 'echo_credentials', status: 400 });
      const refresh = google.issueRefreshToken('ada@example.com');
      const { client_id, client_secret } = google.settings();
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id, client_secret });
      const res = await fetch(`${oauth.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      const body = (await res.json()) as { error: string; error_description: string };
      expect(res.status).toBe(400);
      expect(body.error).toBe('invalid_request');
      expect(body.error_description).toContain(refresh);
      expect(body.error_description).toContain(client_secret);
      expect(oauth.exchanges[0]!.credential).toBe(refresh);
    } finally {
      await oauth.close();
      await google.close();
    }
  });
});
