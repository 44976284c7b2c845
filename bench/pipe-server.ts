// The baseline: the least a Node HTTP proxy can do. Each request is piped as it comes to the upstream
// over a keep-alive agent, with its method, path and headers; the answer is piped back as it comes
// (so a stream leaves unbuffered). No parsing, no logging. Run on plain `node` (bundled by the bench);
// prints the URL it listens on, and dies on SIGTERM.
//
//   node pipe-server.mjs http://127.0.0.1:<upstream port>

import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(process.argv[2] ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    upRes.pipe(res);
  });
  up.on('error', () => {
    if (res.headersSent) res.destroy();
    else res.writeHead(502).end();
  });
  // A client that leaves takes the upstream request with it, as any proxy should.
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  req.pipe(up);
});

server.listen(0, '127.0.0.1', () => {
  console.log(`pipe listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
