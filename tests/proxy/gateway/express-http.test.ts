// A node:http server in front of an Express app makes each request and response with the prototypes
// Express gives them, so Express finds them already shaped; everything Express adds still works.

import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expressHttpClasses } from '../../../src-proxy/gateway/express-http.js';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function listen(s: Server): Promise<string> {
  server = s;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('expressHttpClasses', () => {
  it("makes requests and responses that are node's own and Express's before Express sees them", async () => {
    const app = express();
    const seen: Array<Record<string, boolean>> = [];
    app.get('/hello', (req, res) => {
      res.status(201).json({ host: req.get('host') !== undefined, path: req.path });
    });
    const url = await listen(
      createServer(expressHttpClasses(app), (req, res) => {
        seen.push({
          requestIsExpress: Object.getPrototypeOf(req) === app.request,
          responseIsExpress: Object.getPrototypeOf(res) === app.response,
          requestIsNode: req instanceof IncomingMessage,
          responseIsNode: res instanceof ServerResponse,
        });
        app(req, res);
      }),
    );
    const res = await fetch(`${url}/hello`);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ host: true, path: '/hello' });
    expect(seen).toEqual([{ requestIsExpress: true, responseIsExpress: true, requestIsNode: true, responseIsNode: true }]);
  });

  it('keeps a request body readable and a keep-alive connection serving request after request', async () => {
    const app = express();
    app.post('/echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.type('text/plain').send(Buffer.concat(chunks).toString()));
    });
    const url = await listen(createServer(expressHttpClasses(app), app));
    for (const body of ['one', 'two', 'three']) {
      const res = await fetch(`${url}/echo`, { method: 'POST', body });
      expect(await res.text()).toBe(body);
    }
  });
});
