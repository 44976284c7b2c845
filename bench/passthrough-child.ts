// Child process: the floor any HTTP proxy pays. Request in, piped to the upstream with undici over a
// keep-alive Agent, response piped back; no parsing, no logging. The gateway is compared to this.

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { runChild } from './ipc.js';

const upstream = process.argv[2];

/** Connection-level headers: they describe this hop, not the message (and undici refuses most of them). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'expect']);

function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

runChild('pass-through', async () => {
  if (!upstream) throw new Error('usage: passthrough-child <upstream-url>');
  // Same keep-alive settings as the gateway's Anthropic provider, so both pay the same connection costs.
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000 });
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const abort = new AbortController();
    // A client that goes away cancels the upstream request, as any proxy should.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const forward = async (): Promise<void> => {
      const up = await request(upstream + (req.url ?? '/'), {
        method: req.method as Dispatcher.HttpMethod,
        headers: endToEnd(req.headers),
        body: req,
        signal: abort.signal,
        dispatcher: agent,
      });
      res.writeHead(up.statusCode, endToEnd(up.headers));
      await pipeline(up.body, res);
    };
    forward().catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
});
