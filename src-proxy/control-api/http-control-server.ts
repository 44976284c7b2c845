// The ControlApi over HTTP, for headless mode: the CLI talking to a running `switchyard serve`, and the
// browser console. One route per method from the contract's method list, arguments checked with the
// contract's schemas, results as ControlResult. A bearer token is required on every call, and only
// loopback Host names are answered.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_EVENT_NAMES, ControlError, type ControlApi, type ControlErrorCode, type ControlEvents, type ControlResult } from '../contract/index.js';
import { SecretMatcher } from '../lib/secret-compare.js';
import { dispatch, isControlMethod } from './dispatcher.js';
import { hostAllowed } from '../gateway/host-guard.js';
import type { EventBus } from '../lib/event-bus.js';

export const CONTROL_PREFIX = '/control/';
export const EVENTS_PATH = '/control/events';
const MAX_BODY = 1024 * 1024;

export interface ControlServerOptions {
  api: ControlApi;
  events: EventBus<ControlEvents>;
  token: string;
  /** Where a bug inside a control call is reported (the client only learns that one happened). */
  onInternalError?(err: unknown): void;
}

const STATUS_BY_CODE: Readonly<Record<ControlErrorCode, number>> = {
  invalid_argument: 400,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  port_in_use: 409,
  listen_failed: 409,
  insecure_bind: 409,
  internal: 500,
};

function reply(res: ServerResponse, status: number, result: ControlResult<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function failure(res: ServerResponse, status: number, code: ControlError['code'], message: string): void {
  reply(res, status, { ok: false, error: { code, message } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ControlError('invalid_argument', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Live events as SSE, one named event per ControlEvents entry, until the client goes away. */
function streamEvents(res: ServerResponse, events: EventBus<ControlEvents>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  res.write(': connected\n\n');
  const offs = CONTROL_EVENT_NAMES.map((name) => events.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  res.on('close', () => {
    clearInterval(keepAlive);
    for (const off of offs) off();
  });
}

function createControlHandler({ api, events, token, onInternalError }: ControlServerOptions) {
  const tokenMatcher = new SecretMatcher();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!hostAllowed('127.0.0.1', req.headers.host)) return failure(res, 403, 'forbidden', 'Host not allowed');
    const auth = req.headers.authorization ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (presented === '' || !tokenMatcher.matches(presented, token)) return failure(res, 401, 'unauthorized', 'missing or wrong control token');

    if (req.method === 'GET' && path === EVENTS_PATH) return streamEvents(res, events);
    const method = path.startsWith(CONTROL_PREFIX) ? path.slice(CONTROL_PREFIX.length) : '';
    if (req.method !== 'POST' || !isControlMethod(method)) return failure(res, 404, 'not_found', `no control method ${req.method} ${path}`);
    let args: unknown;
    try {
      const body = await readBody(req);
      args = body === '' ? [] : (JSON.parse(body) as { args?: unknown }).args;
    } catch (err) {
      return failure(res, 400, 'invalid_argument', err instanceof ControlError ? err.message : 'request body is not JSON');
    }
    const result = await dispatch(api, method, args, onInternalError);
    reply(res, result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 500), result);
  };
}

/** Listens on 127.0.0.1 (port 0: the system picks one) and resolves with the server and its URL. */
export async function startControlServer(opts: ControlServerOptions, port = 0): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const handler = createControlHandler(opts);
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
