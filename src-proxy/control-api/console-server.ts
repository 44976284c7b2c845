// The headless console's listener: the built console under /ui/ and the ControlApi under /api/, on a
// loopback port of its own that stays up while the gateway is stopped. The CLI's `accounts` and `config`
// commands use the same API.
//
// /api is for this console and the CLI only. Every call needs the console token as a bearer token; only
// loopback Host names are answered (DNS rebinding); a browser request from any other origin is refused,
// and no CORS header is ever sent, so another page can neither call it nor read an answer. No cookies:
// a token a page could not have read is useless to it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import {
  CONTROL_API_PREFIX,
  CONTROL_EVENT_NAMES,
  CONTROL_EVENTS_PATH,
  ControlError,
  type ControlApi,
  type ControlErrorCode,
  type ControlEvents,
  type ControlResult,
} from '../contract/index.js';
import { nestedDeeperThan } from '../lib/json-depth.js';
import { SecretMatcher } from '../lib/secret-compare.js';
import { dispatch, isControlMethod } from './dispatcher.js';
import { hostAllowed } from '../gateway/host-guard.js';
import type { EventBus } from '../lib/event-bus.js';
import { CONSOLE_SECURITY_HEADERS, UI_PREFIX } from './ui-files.js';
import { expressHttpClasses } from '../gateway/express-http.js';

const API_PREFIX = CONTROL_API_PREFIX;
const EVENTS_PATH = CONTROL_EVENTS_PATH;
const MAX_BODY = 1024 * 1024;
/** No argument of the contract is nested nearly this deep; deeper is refused before anything walks it. */
const MAX_DEPTH = 64;
const KEEP_ALIVE_MS = 15_000;
const UI_MOUNT = UI_PREFIX.slice(0, -1);
const API_MOUNT = API_PREFIX.slice(0, -1);
const NOT_BUILT = 'The console is not built. Run `npm run build` in the switchyard folder, then reload.';

export interface ConsoleServerOptions {
  api: ControlApi;
  events: EventBus<ControlEvents>;
  token: string;
  /** The built console (index.html and assets/); null serves a page saying it is not built. */
  uiDir?: string | null;
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
  would_lock_out: 409,
  not_configured: 409,
  sign_in_failed: 400,
  sign_in_expired: 410,
  upstream_unreachable: 502,
  already_exists: 409,
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

/** A console page's error, in plain words, under the console's own content policy. */
function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...CONSOLE_SECURITY_HEADERS });
  res.end(text);
}

/**
 * The body, up to MAX_BODY. A longer one is refused: the rest is read and dropped (a connection cut
 * while the client still uploads would reach it as a reset, not as the answer), and the answer closes
 * the connection.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

class BodyTooLarge extends ControlError {
  constructor() {
    super('invalid_argument', 'request body too large: the control API takes at most 1 MiB');
  }
}

/** Live events as SSE, one named event per ControlEvents entry, until the client goes away. */
function streamEvents(res: ServerResponse, events: EventBus<ControlEvents>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  res.write(': connected\n\n');
  const offs = CONTROL_EVENT_NAMES.map((name) => events.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  res.on('close', () => {
    clearInterval(keepAlive);
    for (const off of offs) off();
  });
}

/**
 * A browser request from a page that is not this console. Browsers send Origin on every fetch that is not
 * a plain same-origin GET, and Sec-Fetch-Site on every request; the CLI sends neither.
 */
function foreignBrowserRequest(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return true;
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/**
 * The built console under /ui/: express.static, with no directory redirects and nothing outside the
 * folder (a path that tries is a 404 like any missing file). Built assets carry a content hash in their
 * names and are cached for good; the page that names them must always be fresh.
 */
function uiFiles(uiDir: string | null): RequestHandler[] {
  const missing: RequestHandler = (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed.');
    // The page itself missing means the console was never built.
    if (uiDir === null || req.path === '/') return plain(res, 503, NOT_BUILT);
    plain(res, 404, 'Not found.');
  };
  if (uiDir === null) return [missing];
  const assets = join(resolve(uiDir), 'assets') + sep;
  const files = express.static(uiDir, {
    redirect: false,
    cacheControl: false,
    setHeaders: (res, file) => {
      res.setHeader('cache-control', file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(name, value);
    },
  });
  return [files, missing];
}

export function createConsoleApp({ api, events, token, uiDir = null, onInternalError }: ConsoleServerOptions): Express {
  const tokenMatcher = new SecretMatcher();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', false);
  // `/ui` and `/ui/` are two paths here: the first sends the browser to the second.
  app.enable('strict routing');

  app.use((req, res, next) => {
    if (hostAllowed('127.0.0.1', req.headers.host)) return next();
    failure(res, 403, 'forbidden', 'Host not allowed');
  });
  app.all(['/', UI_MOUNT], (_req, res) => {
    res.writeHead(302, { location: UI_PREFIX, 'content-length': 0 });
    res.end();
  });
  app.use(UI_MOUNT, uiFiles(uiDir));

  // /api: this console and the CLI only, with the token, from no other page.
  app.use(API_MOUNT, (req, res, next) => {
    if (foreignBrowserRequest(req)) return failure(res, 403, 'forbidden', 'requests from other web pages are refused');
    const auth = req.headers.authorization ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (presented === '' || !tokenMatcher.matches(presented, token)) return failure(res, 401, 'unauthorized', 'missing or wrong console token');
    next();
  });
  app.get(EVENTS_PATH, (_req, res) => streamEvents(res, events));
  app.post(`${API_PREFIX}:method`, async (req, res) => {
    const method = String(req.params.method);
    if (!isControlMethod(method)) return failure(res, 404, 'not_found', `no control method ${req.method} ${req.path}`);
    let args: unknown;
    try {
      const body = await readBody(req);
      args = body === '' ? [] : (JSON.parse(body) as { args?: unknown }).args;
    } catch (err) {
      if (err instanceof BodyTooLarge) res.setHeader('connection', 'close');
      return failure(res, 400, 'invalid_argument', err instanceof ControlError ? err.message : 'request body is not JSON');
    }
    if (nestedDeeperThan(args, MAX_DEPTH)) {
      return failure(res, 400, 'invalid_argument', `arguments nested deeper than ${MAX_DEPTH} levels`);
    }
    const result = await dispatch(api, method, args, onInternalError);
    reply(res, result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 500), result);
  });
  app.use(API_MOUNT, (req, res) => failure(res, 404, 'not_found', `no control method ${req.method} ${req.originalUrl.split('?')[0]}`));
  app.use((req, res) => failure(res, 404, 'not_found', `nothing at ${req.path}`));

  const failed: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    onInternalError?.(err);
    if (res.headersSent) return void res.destroy();
    failure(res, 500, 'internal', 'the console server failed on this request');
  };
  app.use(failed);
  return app;
}

export interface ConsoleServer {
  server: Server;
  /** `http://127.0.0.1:<port>`, the origin of both /ui/ and /api/. */
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0: the system picks one). A port in use is a ControlError `port_in_use`. */
export async function startConsoleServer(opts: ConsoleServerOptions, port = 0): Promise<ConsoleServer> {
  const app = createConsoleApp(opts);
  const server = createServer(expressHttpClasses(app), app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ControlError('port_in_use', `console port ${port} is in use`)
          : new ControlError('listen_failed', `console: ${err.code ?? err.message}`),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.removeAllListeners('error');
  server.on('error', (err) => opts.onInternalError?.(err));
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
