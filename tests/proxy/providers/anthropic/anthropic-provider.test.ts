// The Anthropic-compatible provider against bare HTTP servers that misbehave in ways the fake upstream
// does not: the provider's own contract, one attempt at a time.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountSchema, type AccountOf } from '../../../../src-proxy/contract/index.js';
import { PreparedRequest } from '../../../../src-proxy/anthropic/prepared-request.js';
import { collectMessage } from '../../../../src-proxy/anthropic/collector.js';
import { framesOf } from '../../../../src-proxy/anthropic/sse.js';
import type { MessagesRequest } from '../../../../src-proxy/anthropic/types.js';
import { AnthropicProvider } from '../../../../src-proxy/providers/anthropic/anthropic-provider.js';
import { attemptContext } from '../../../helpers/attempt-context.js';

let server: Server | null = null;
const provider = new AnthropicProvider();

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function account(baseUrl: string, authScheme: 'x-api-key' | 'bearer' = 'x-api-key'): AccountOf<'anthropic'> {
  return AccountSchema.parse({
    id: 'a1',
    provider: 'anthropic',
    label: 'a',
    options: { base_url: baseUrl, auth_scheme: authScheme },
    created_at: 0,
  }) as AccountOf<'anthropic'>;
}

const request = (stream: boolean) => new PreparedRequest<MessagesRequest>({ model: 'm', max_tokens: 5, stream, messages: [{ role: 'user', content: 'hi' }] });
/** A headers wait of 200 ms: a 5-token answer (140 ms by the SDKs' reckoning) is then asked for as a stream. */
const shortWait = () => attemptContext(undefined, 200);
const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'm',
  content: [{ type: 'text', text: 'json anyway' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 2 },
};

describe('AnthropicProvider.prepare', () => {
  const withCache = () =>
    new PreparedRequest<MessagesRequest>({
      model: 'm',
      max_tokens: 5,
      system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }] }],
    });
  const strict = () =>
    AccountSchema.parse({
      id: 'a2',
      provider: 'anthropic',
      label: 'a',
      options: { base_url: 'http://x', strip_cache_control: true },
      created_at: 0,
    }) as AccountOf<'anthropic'>;

  it('sends the request as it is to an upstream that takes cache_control', () => {
    const req = withCache();
    expect(provider.prepare(req, account('http://x'))).toBe(req);
  });

  it('strips cache_control for an upstream that rejects it, once for every attempt of the request', () => {
    const req = withCache();
    const first = provider.prepare(req, strict());
    expect(JSON.stringify(first.body)).not.toContain('cache_control');
    expect(JSON.stringify(req.body)).toContain('cache_control');
    expect(provider.prepare(req, strict())).toBe(first);
  });
});

describe('AnthropicProvider', () => {
  it('sends the key the way the account says, and the protocol headers', async () => {
    let seen: IncomingMessage['headers'] = {};
    const url = await serve((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
    });
    await provider.send(request(false), { account: account(url, 'bearer'), secret: 'sk-secret' }, attemptContext());
    expect(seen.authorization).toBe('Bearer sk-secret');
    expect(seen['x-api-key']).toBeUndefined();
    expect(seen['anthropic-version']).toBe('2023-06-01');
  });

  it('takes a JSON answer to a streaming request as the message it is', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message)));
    const result = await provider.send(request(true), { account: account(url), secret: 'k' }, attemptContext());
    expect(result).toMatchObject({ ok: true, kind: 'message', message: { content: [{ text: 'json anyway' }] } });
  });

  it('streams SSE frames as they come', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = [
        { type: 'message_start', message: { ...message, content: [], stop_reason: null } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'streamed' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } },
        { type: 'message_stop' },
      ];
      res.end(events.map((e) => `event: ${e.type}\r\ndata: ${JSON.stringify(e)}\r\n\r\n`).join(''));
    });
    const result = await provider.send(request(true), { account: account(url), secret: 'k' }, attemptContext());
    if (!result.ok || result.kind !== 'stream') throw new Error('expected a stream');
    expect((await collectMessage(framesOf(result.batches))).content).toEqual([{ type: 'text', text: 'streamed' }]);
  });

  it.each([
    ['a 200 that is not a message', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":1}'), 'server'],
    [
      'a 429 with retry-after',
      (res: ServerResponse) => res.writeHead(429, { 'retry-after': '7' }).end('{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}'),
      'rate_limit',
    ],
    ['a 503 from a load balancer', (res: ServerResponse) => res.writeHead(503).end('upstream connect error'), 'overloaded'],
    [
      'a 401 that echoes the key',
      (res: ServerResponse) => res.writeHead(401).end('{"error":{"type":"authentication_error","message":"bad key sk-secret"}}'),
      'auth',
    ],
  ])('classifies %s', async (_name, answer, kind) => {
    const url = await serve((_req, res) => answer(res));
    const result = await provider.send(request(false), { account: account(url), secret: 'sk-secret' }, attemptContext());
    expect(result).toMatchObject({ ok: false, failure: { kind } });
    if (!result.ok) {
      expect(result.failure.message).not.toContain('sk-secret');
      if (kind === 'rate_limit') expect(result.failure.retryAfterMs).toBe(7000);
    }
  });

  it('asks for one JSON answer when the client wants one and it is expected well within the headers wait, and sends the client bytes', async () => {
    let asked = '';
    const url = await serve((_req, res, body) => {
      asked = body;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
    });
    const raw = '{"model":"m","max_tokens":5,"stream":false,"messages":[{"role":"user","content":"hi"}]}';
    const req = new PreparedRequest<MessagesRequest>(JSON.parse(raw) as MessagesRequest, Buffer.from(raw));
    const result = await provider.send(req, { account: account(url), secret: 'k' }, attemptContext());
    expect(asked).toBe(raw);
    expect(result).toMatchObject({ ok: true, kind: 'message', message: { content: [{ text: 'json anyway' }] } });
  });

  it('asks for a stream when one JSON answer may outlast the headers wait, and a 200 that is neither is a stream that never starts', async () => {
    let asked: unknown = null;
    const url = await serve((_req, res, body) => {
      asked = JSON.parse(body);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    });
    const long = new PreparedRequest<MessagesRequest>({ model: 'm', max_tokens: 32_000, stream: false, messages: [{ role: 'user', content: 'hi' }] });
    const result = await provider.send(long, { account: account(url), secret: 'k' }, attemptContext());
    expect(asked).toMatchObject({ stream: true });
    if (!result.ok || result.kind !== 'stream') throw new Error('expected a stream');
    await expect(collectMessage(framesOf(result.batches))).rejects.toThrow(/message_start|message_stop/);
  });

  it('adds the stream flag to the client bytes, leaving the rest as written', async () => {
    let asked = '';
    const url = await serve((_req, res, body) => {
      asked = body;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
    });
    const raw = '{"model":"m","max_tokens":5,"top_p":1.0,"messages":[{"role":"user","content":"caf\\u00e9"}]} ';
    const req = new PreparedRequest<MessagesRequest>(JSON.parse(raw) as MessagesRequest, Buffer.from(raw));
    expect(await provider.send(req, { account: account(url), secret: 'k' }, shortWait())).toMatchObject({ ok: true, kind: 'message' });
    expect(asked).toBe('{"model":"m","max_tokens":5,"top_p":1.0,"messages":[{"role":"user","content":"caf\\u00e9"}],"stream":true} ');
  });

  it.each([
    [
      'ends with "stream": false',
      '{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"caf\\u00e9"}],"stream" : false }\n',
      '{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"caf\\u00e9"}],"stream":true}',
    ],
    [
      'names stream elsewhere (written anew)',
      '{"stream":false,"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x \\"stream\\":false}"}]}',
      '{"stream":true,"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x \\"stream\\":false}"}]}',
    ],
    [
      'spells the name with an escape (written anew)',
      '{"model":"m","max_tokens":5,"messages":[],"str\\u0065am":false}',
      '{"model":"m","max_tokens":5,"messages":[],"stream":true}',
    ],
  ])('turns stream on for a request that %s', async (_what, raw, sent) => {
    let asked = '';
    const url = await serve((_req, res, body) => {
      asked = body;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
    });
    const req = new PreparedRequest<MessagesRequest>(JSON.parse(raw) as MessagesRequest, Buffer.from(raw));
    expect(await provider.send(req, { account: account(url), secret: 'k' }, shortWait())).toMatchObject({ ok: true, kind: 'message' });
    expect(asked).toBe(sent);
  });

  it('reports a refused connection as a network failure', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    const result = await provider.send(request(false), { account: account(url), secret: 'k' }, attemptContext());
    expect(result).toMatchObject({ ok: false, failure: { kind: 'network', status: null } });
  });

  it('stops the upstream call when the attempt is abandoned before the answer', async () => {
    let closed!: () => void;
    const upstreamGone = new Promise<void>((r) => (closed = r));
    let arrived!: () => void;
    const upstreamReached = new Promise<void>((r) => (arrived = r));
    const url = await serve((req) => {
      req.socket.on('close', closed);
      arrived();
    });
    const abandon = new AbortController();
    const pending = provider.send(request(false), { account: account(url), secret: 'k' }, attemptContext(abandon.signal));
    // Abandon only once the upstream holds the request: on a loaded machine a fixed pause may end before it arrives.
    await upstreamReached;
    abandon.abort();
    expect(await pending).toMatchObject({ ok: false });
    await upstreamGone;
  });

  const sse = (e: { type: string }) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
  const wholeMessage = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null } },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } },
    { type: 'message_stop' },
  ];

  it('keeps the upstream connection when the reader stops at message_stop: the rest of the body drains', async () => {
    let connections = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(wholeMessage.map(sse).join(''));
      // The end of the body comes a moment after message_stop, as it may from a real upstream.
      setTimeout(() => res.end(': done\n\n'), 20);
    });
    server!.on('connection', () => connections++);
    const pool = new Agent();
    const pooled = new AnthropicProvider({ dispatcher: pool });
    try {
      for (let i = 0; i < 3; i++) {
        const result = await pooled.send(request(true), { account: account(url), secret: 'k' }, attemptContext());
        if (!result.ok || result.kind !== 'stream') throw new Error('expected a stream');
        for await (const batch of result.batches) if (batch.frames.some((f) => f.type === 'message_stop')) break;
        // The next request goes out once the drained connection is back in the pool, however slow the machine.
        await vi.waitFor(() => expect(pool.stats[url]).toMatchObject({ connected: 1, free: 1, running: 0 }), { timeout: 10_000, interval: 5 });
      }
    } finally {
      await pool.close();
    }
    expect(connections).toBe(1);
  });

  it('cuts the upstream connection when the reader has stopped and the upstream keeps sending', async () => {
    let closed!: () => void;
    const upstreamGone = new Promise<void>((r) => (closed = r));
    const url = await serve((req, res) => {
      req.socket.on('close', closed);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse(wholeMessage[0]!));
      const more = setInterval(() => res.write(`: ${'x'.repeat(16 * 1024)}\n\n`), 5);
      req.socket.on('close', () => clearInterval(more));
    });
    const result = await provider.send(request(true), { account: account(url), secret: 'k' }, attemptContext());
    if (!result.ok || result.kind !== 'stream') throw new Error('expected a stream');
    const it = result.batches[Symbol.asyncIterator]();
    expect((await it.next()).value.frames[0].type).toBe('message_start');
    await it.return!();
    // Nothing but the drain limit ends this: the upstream never stops on its own, and no timeout is near.
    await upstreamGone;
  });

  it('pauses a fast upstream while the reader is slow, and loses nothing', async () => {
    const deltas = 2000;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { ...message, content: [], stop_reason: null } })}\n\n`);
      res.write(
        `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
      );
      for (let i = 0; i < deltas; i++)
        res.write(
          `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x'.repeat(100) } })}\n\n`,
        );
      res.write(`event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`);
      res.write(
        `event: message_delta\ndata: ${JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } })}\n\n`,
      );
      res.end(`event: message_stop\ndata: {"type":"message_stop"}\n\n`);
    });
    const result = await provider.send(request(true), { account: account(url), secret: 'k' }, attemptContext());
    if (!result.ok || result.kind !== 'stream') throw new Error('expected a stream');
    let text = 0;
    for await (const batch of result.batches) {
      await new Promise((r) => setImmediate(r)); // a slow reader
      for (const f of batch.frames) if (f.type === 'content_block_delta') text += 100;
    }
    expect(text).toBe(deltas * 100);
  });

  it('times out an upstream that never answers', async () => {
    const url = await serve(() => undefined);
    const result = await provider.send(
      request(false),
      { account: account(url), secret: 'k' },
      { ...attemptContext(), headersTimeoutMs: 200, idleTimeoutMs: 200 },
    );
    expect(result).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });
});
