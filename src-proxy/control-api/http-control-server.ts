// The ControlApi over HTTP, for headless mode: the CLI talking to a running `switchyard serve`, and the
// browser console. One route per method from the contract's method list, arguments checked with the
// contract's schemas, results as ControlResult. A bearer token is required on every call, and only
// loopback Host names are answered.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CONTROL_ARGS,
  CONTROL_METHODS,
  ControlError,
  type ControlApi,
  type ControlEventName,
  type ControlEvents,
  type ControlMethod,
  type ControlResult,
} from '../contract/index.js';
import { SecretMatcher } from '../lib/secret-compare.js';
import { hostAllowed } from '../gateway/host-guard.js';
import type { EventBus } from '../lib/event-bus.js';

export const CONTROL_PREFIX = '/control/';
const EVENTS_PATH = '/control/events';
const MAX_BODY = 1024 * 1024;
const EVENT_NAMES: ControlEventName[] = ['request', 'status', 'accounts', 'settings', 'warning'];

export interface ControlServerOptions {
  api: ControlApi;
  events: EventBus<ControlEvents>;
  token: string;
}

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

function isMethod(name: string): name is ControlMethod {
  return (CONTROL_METHODS as string[]).includes(name);
}

async function call(api: ControlApi, method: ControlMethod, body: string): Promise<unknown> {
  let raw: unknown;
  try {
    raw = body === '' ? [] : ((JSON.parse(body) as { args?: unknown }).args ?? []);
  } catch {
    throw new ControlError('invalid_argument', 'request body is not JSON');
  }
  const parsed = CONTROL_ARGS[method].safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ControlError('invalid_argument', `${method}: ${detail}`);
  }
  const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}

/** Live events as SSE, one named event per ControlEvents entry, until the client goes away. */
function streamEvents(res: ServerResponse, events: EventBus<ControlEvents>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  res.write(': connected\n\n');
  const offs = EVENT_NAMES.map((name) => events.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  res.on('close', () => {
    clearInterval(keepAlive);
    for (const off of offs) off();
  });
}

function createControlHandler({ api, events, token }: ControlServerOptions) {
  const tokenMatcher = new SecretMatcher();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!hostAllowed('127.0.0.1', req.headers.host)) return failure(res, 403, 'invalid_argument', 'Host not allowed');
    const auth = req.headers.authorization ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (presented === '' || !tokenMatcher.matches(presented, token)) return failure(res, 401, 'invalid_argument', 'missing or wrong control token');

    if (req.method === 'GET' && path === EVENTS_PATH) return streamEvents(res, events);
    const method = path.startsWith(CONTROL_PREFIX) ? path.slice(CONTROL_PREFIX.length) : '';
    if (req.method !== 'POST' || !isMethod(method)) return failure(res, 404, 'not_found', `no control method ${req.method} ${path}`);
    try {
      const value = await call(api, method, await readBody(req));
      reply(res, 200, { ok: true, value: value ?? null });
    } catch (err) {
      if (err instanceof ControlError) return failure(res, err.code === 'not_found' ? 404 : 400, err.code, err.message);
      failure(res, 500, 'internal', err instanceof Error ? err.message : String(err));
    }
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
