// The exchange on its own, over a real loopback connection: each way a request ends writes what the
// client gets and publishes one log entry with the status that was sent.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src-proxy/anthropic/errors.js';
import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { ClientClosedError } from '../../../src-proxy/gateway/body.js';
import { Exchange, type FailedRun } from '../../../src-proxy/gateway/exchange.js';
import type { UpstreamFailure } from '../../../src-proxy/providers/types.js';
import { makeAccount } from '../accounts/account-fixture.js';
import { parseSse, readJson } from '../../helpers/sse-client.js';

type Scenario = (ex: Exchange) => void | Promise<void>;

const ROUTE = {
  provider: 'anthropic' as const,
  model: 'claude-sonnet-4-6',
  links: [{ provider: 'anthropic' as const, model: 'claude-sonnet-4-6', accounts: null }],
};
const ACCOUNT = makeAccount('acc-1', { label: 'work@example.com' });
const failure = (kind: UpstreamFailure['kind'], over: Partial<UpstreamFailure> = {}): UpstreamFailure => ({
  kind,
  status: 500,
  message: `${kind} upstream`,
  retryAfterMs: null,
  ...over,
});

let server: Server;
let url: string;
let scenario: Scenario;
let published: RequestLogEntry[];
let reported: unknown[];
let exchange: Exchange | null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const ex = new Exchange('req_test', req, res, req.method ?? 'GET', '/v1/messages', '', 'messages', {
      publish: (e) => published.push(e),
      pingIntervalMs: 15_000,
      onInternalError: (err) => reported.push(err),
      redact: (text) => text,
    });
    exchange = ex;
    void scenario(ex);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  published = [];
  reported = [];
  exchange = null;
});
published = [];
reported = [];

async function published1(): Promise<RequestLogEntry> {
  await expect.poll(() => published.length, { timeout: 2000 }).toBe(1);
  return published[0]!;
}

describe('answering JSON', () => {
  it('sends the body with the request id, the mapped model and the account, and logs the status and first byte', async () => {
    scenario = (ex) => {
      ex.mapped(ROUTE);
      ex.servedBy(ACCOUNT);
      ex.answer(200, { type: 'message' }, { 'x-extra': '1' });
    };
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toBe('req_test');
    expect(res.headers.get('x-mapped-model')).toBe('claude-sonnet-4-6');
    expect(res.headers.get('x-account-email')).toBe('work@example.com');
    expect(res.headers.get('x-extra')).toBe('1');
    expect(await readJson(res)).toEqual({ type: 'message' });
    expect(await published1()).toMatchObject({
      id: 'req_test',
      status: 200,
      mapped_model: 'claude-sonnet-4-6',
      provider: 'anthropic',
      account_label: 'work@example.com',
      ttfb_ms: expect.any(Number),
      error_type: null,
    });
  });

  it('sends JSON bytes as they are', async () => {
    scenario = (ex) => ex.answer(200, Buffer.from('{"exact":  "bytes"}'));
    expect(await (await fetch(url)).text()).toBe('{"exact":  "bytes"}');
  });

  it('names a variant the provider chose in the header and the log alike', async () => {
    scenario = (ex) => {
      ex.mapped(ROUTE);
      ex.mapped({ ...ROUTE, model: 'claude-sonnet-4-6-thinking' });
      ex.answer(200, {});
    };
    expect((await fetch(url)).headers.get('x-mapped-model')).toBe('claude-sonnet-4-6-thinking');
    expect(await published1()).toMatchObject({ mapped_model: 'claude-sonnet-4-6-thinking' });
  });

  it('names the provider of a later link that serves the same model name', async () => {
    scenario = (ex) => {
      ex.mapped({ provider: 'antigravity', model: 'claude-sonnet-4-6' });
      ex.mapped({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
      ex.answer(200, {});
    };
    expect((await fetch(url)).headers.get('x-mapped-model')).toBe('claude-sonnet-4-6');
    expect(await published1()).toMatchObject({ provider: 'anthropic', mapped_model: 'claude-sonnet-4-6' });
  });
});

describe('streams', () => {
  it('opens a 200 event stream and logs it when it is closed', async () => {
    scenario = (ex) => {
      ex.openStream({ 'x-extra': '1' }).writeRaw('event: ping\ndata: {"type":"ping"}\n\n');
      ex.closeStream();
    };
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-extra')).toBe('1');
    expect(parseSse(await res.text()).map((e) => e.event)).toEqual(['ping']);
    expect(await published1()).toMatchObject({ status: 200, error_type: null });
  });

  it('closes a stream that already carries an upstream error, logged as the 200 it was with the error', async () => {
    scenario = (ex) => {
      ex.openStream().writeRaw('event: error\ndata: {"type":"error"}\n\n');
      ex.failRun({ ok: false, kind: 'failed', failure: failure('overloaded'), account: ACCOUNT, committed: true, link: 0 }, ROUTE);
    };
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('event: error');
    expect(await published1()).toMatchObject({
      status: 200,
      error_type: 'overloaded_error',
      error_message: 'overloaded upstream',
      account_label: 'work@example.com',
    });
  });

  it('cuts the connection when a bug surfaces after the 200, and logs the 200 that was sent', async () => {
    const bug = new Error('bug after commit');
    scenario = (ex) => {
      ex.openStream().writeRaw('event: ping\ndata: {}\n\n');
      ex.fail(bug);
    };
    await expect(fetch(url).then((res) => res.text())).rejects.toThrow();
    expect(await published1()).toMatchObject({ status: 200, error_type: 'api_error', error_message: 'internal gateway error' });
    expect(reported).toEqual([bug]);
  });
});

describe('failures', () => {
  it('answers a GatewayError in Anthropic form with its status and headers', async () => {
    scenario = (ex) => ex.fail(new GatewayError(413, 'too big', { 'x-why': 'size' }));
    const res = await fetch(url);
    expect(res.status).toBe(413);
    expect(res.headers.get('x-why')).toBe('size');
    expect(await readJson(res)).toEqual({ type: 'error', error: { type: 'request_too_large', message: 'too big' }, request_id: 'req_test' });
    expect(await published1()).toMatchObject({ status: 413, error_type: 'request_too_large', error_message: 'too big', ttfb_ms: null });
  });

  it('answers a bug with a 500 that tells nothing of it, and reports it', async () => {
    const bug = new Error('secret detail');
    scenario = (ex) => ex.fail(bug);
    const res = await fetch(url);
    expect(res.status).toBe(500);
    const body = await readJson(res);
    expect(body.error).toEqual({ type: 'api_error', message: 'Internal gateway error while handling GET /v1/messages.' });
    expect(reported).toEqual([bug]);
    expect(await published1()).toMatchObject({ status: 500, error_type: 'api_error' });
  });

  it.each<[string, FailedRun, number, string]>([
    ['an account that failed', { ok: false, kind: 'failed', failure: failure('server'), account: ACCOUNT, committed: false, link: 0 }, 500, 'api_error'],
    ['a pool with no account', { ok: false, kind: 'no_account', reason: 'no_accounts', retryAt: null, account: null, link: 0 }, 503, 'api_error'],
    [
      'a pool cooling after rate limits',
      { ok: false, kind: 'no_account', reason: 'all_cooling', retryAt: Date.now() + 30_000, cooldownReason: 'rate_limit', account: ACCOUNT, link: 0 },
      429,
      'rate_limit_error',
    ],
  ])('answers %s with the status and type the failure table gives', async (_name, run, status, type) => {
    scenario = (ex) => ex.failRun(run, ROUTE);
    const res = await fetch(url);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-account-email')).toBe(run.account ? 'work@example.com' : null);
    expect((await readJson(res)).error.type).toBe(type);
    expect(await published1()).toMatchObject({ status, error_type: type, account_label: run.account ? 'work@example.com' : null });
  });

  it("relays an upstream's own answer to a bad request as it is", async () => {
    const clientBody = { type: 'error', error: { type: 'invalid_request_error', message: 'messages.1: bad' } };
    scenario = (ex) =>
      ex.failRun({ ok: false, kind: 'failed', failure: failure('invalid', { status: 400, clientBody }), account: ACCOUNT, committed: false, link: 0 }, ROUTE);
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await readJson(res)).toEqual(clientBody);
    expect(await published1()).toMatchObject({ status: 400, error_type: 'invalid_request_error' });
  });
});

describe('a client that left', () => {
  it('logs 499 with the account that was serving, and drops the connection', async () => {
    scenario = (ex) => ex.clientLeft(ACCOUNT);
    await expect(fetch(url)).rejects.toThrow();
    expect(await published1()).toMatchObject({ status: 499, client_aborted: true, account_label: 'work@example.com', error_type: null });
  });

  it('counts a client gone during its upload as one that left, not as a bug', async () => {
    scenario = (ex) => ex.fail(new ClientClosedError());
    await expect(fetch(url)).rejects.toThrow();
    expect(await published1()).toMatchObject({ status: 499, client_aborted: true });
    expect(reported).toEqual([]);
  });
});

describe('one ending per request', () => {
  it('keeps the first ending, publishes one entry, and reports the second as a bug', async () => {
    scenario = (ex) => {
      ex.answer(200, { first: true });
      ex.fail(new GatewayError(400, 'second'));
    };
    expect(await readJson(await fetch(url))).toEqual({ first: true });
    expect(await published1()).toMatchObject({ status: 200 });
    await new Promise((r) => setTimeout(r, 20));
    expect(published).toHaveLength(1);
    expect(reported).toHaveLength(1);
    expect(exchange!.ended).toBe(true);
  });
});

describe('the attempt context', () => {
  it('is made once per request, with the request id and the headers worth forwarding', async () => {
    let same = false;
    scenario = (ex) => {
      const limits = { deadlineMs: 60_000, headersTimeoutMs: 1000, idleTimeoutMs: 2000 };
      const ctx = ex.attemptContext(limits);
      same = ex.attemptContext(limits) === ctx;
      ex.answer(200, { requestId: ctx.requestId, forwarded: ctx.forwardHeaders, timeouts: [ctx.headersTimeoutMs, ctx.idleTimeoutMs] });
    };
    const res = await fetch(url, { headers: { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-client' } });
    expect(await readJson(res)).toEqual({ requestId: 'req_test', forwarded: { 'anthropic-version': '2023-06-01' }, timeouts: [1000, 2000] });
    expect(same).toBe(true);
  });

  it("ends the scope's signal when the client goes away", async () => {
    let aborted: Promise<void> | null = null;
    scenario = (ex) => {
      const ctx = ex.attemptContext({ deadlineMs: 60_000, headersTimeoutMs: 0, idleTimeoutMs: 0 });
      aborted = new Promise<void>((resolve) => ctx.onAbort(resolve));
      void aborted.then(() => ex.clientLeft());
    };
    const controller = new AbortController();
    const pending = fetch(url, { signal: controller.signal }).catch(() => null);
    await expect.poll(() => aborted !== null, { timeout: 2000 }).toBe(true);
    controller.abort();
    await pending;
    expect(await published1()).toMatchObject({ status: 499, client_aborted: true });
    expect(exchange!.scope.clientGone).toBe(true);
  });
});
