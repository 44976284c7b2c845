// The gateway's HTTP surface, an Express app. Order matters: request id and log record first (the
// exchange), then the Host guard, the browser rules and auth (before any body is read), then the routes;
// everything unknown is an Anthropic-shaped 404 or 405, and every error, whoever raised it, is answered
// by one error middleware in Anthropic's format. No body parser: /v1/messages reads its own body as a
// stream with the size cap, and what a gateway does not use (x-powered-by, ETags, the query parser) is
// off, since each costs on every request.

import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { GatewayError } from '../anthropic/errors.js';
import { newId } from '../anthropic/ids.js';
import type { RequestLogEntry } from '../contract/index.js';
import { AUTH_MESSAGES, checkAuth } from './auth.js';
import { browserRefusal, checkBrowserRequest } from './browser-guard.js';
import { handleCountTokens } from './count-tokens-handler.js';
import type { GatewayDeps } from './deps.js';
import { Exchange, type ExchangeOptions } from './exchange.js';
import { expressHttpClasses, type HttpClasses } from './express-http.js';
import { hostAllowed } from './host-guard.js';
import { handleMessages } from './messages-handler.js';
import { listModels, pageModels } from './models-handler.js';

type Handler = (ex: Exchange, deps: GatewayDeps) => Promise<void> | void;

const MESSAGES = '/v1/messages';
const COUNT_TOKENS = '/v1/messages/count_tokens';
const MODELS_PREFIX = '/v1/models/';
const DEFAULT_PING_MS = 15_000;

/**
 * Probes and health checks: frequent, and nothing a user wants in the request log. Claude Code checks
 * the base URL with `HEAD /api/hello`; a browser opened on the address asks for `/favicon.ico`.
 */
const UNLOGGED_PATHS = new Set(['/', '/healthz', '/api/hello', '/favicon.ico']);
/** Answered without a key: they carry none and reveal nothing. */
const PROBE_PATHS = ['/api/hello', '/favicon.ico'];
/** A base URL that ends in /v1 doubles it in every path. */
const DOUBLED_V1 = '/v1/v1';
const KNOWN_PATHS = new Set([MESSAGES, COUNT_TOKENS, '/v1/models', '/healthz']);

const EXCHANGE = Symbol('exchange');
type WithExchange = Response & { [EXCHANGE]?: Exchange };

function exchangeOf(res: Response): Exchange {
  const ex = (res as WithExchange)[EXCHANGE];
  if (!ex) throw new Error('no exchange on this response: the request id middleware did not run');
  return ex;
}

function routeKind(path: string): RequestLogEntry['route'] {
  if (path === MESSAGES) return 'messages';
  if (path === COUNT_TOKENS) return 'count_tokens';
  if (path === '/v1/models' || path.startsWith(MODELS_PREFIX)) return 'models';
  return 'other';
}

/** The path without its query, and without one trailing slash (`/v1/messages/` is `/v1/messages`). */
function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: q < 0 ? '' : url.slice(q + 1) };
}

/** The gateway as a node:http server takes it. */
export interface GatewayHttp {
  /** Called for each request. */
  listener: RequestListener;
  /** What the server makes each request and response from, so Express need not reshape them (express-http.ts). */
  classes: HttpClasses;
}

export function createGatewayApp(deps: GatewayDeps): GatewayHttp {
  const options: ExchangeOptions = {
    publish: (entry) => {
      if (!UNLOGGED_PATHS.has(entry.path)) deps.recordRequest(entry);
    },
    pingIntervalMs: deps.pingIntervalMs ?? DEFAULT_PING_MS,
    onInternalError: deps.onInternalError,
    redact: deps.redact,
  };
  const route =
    (handler: Handler): RequestHandler =>
    (_req, res) => {
      const ex = exchangeOf(res);
      const pending = handler(ex, deps);
      // A handler that forgot to answer would leave the client waiting and the request unlogged.
      return pending ? pending.then(() => answered(ex)) : answered(ex);
    };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  // Paths are matched as the gateway has always matched them: `/V1/messages` is not a route.
  app.enable('case sensitive routing');

  app.use(begin(options));
  app.use(hostGuard(deps));
  app.get(PROBE_PATHS, route(probe));
  app.use(browserGuard);
  app.use(authGuard(deps));

  // The routes, the busiest first: every layer before a route is tried on each of its requests.
  app.post(MESSAGES, route(handleMessages));
  app.post(COUNT_TOKENS, route(handleCountTokens));
  app.get('/v1/models', route(modelList));
  app.get('/v1/models/claude', route(modelList));
  app.get('/v1/models/:id', route(oneModel));
  app.get('/healthz', route(health));
  // Claude Code opens its connection with `HEAD /`; a person may open the address in a browser.
  app.get('/', route(welcome));
  app.use(DOUBLED_V1, (req, res, next) => next(doubledV1(exchangeOf(res).path, req.socket.localPort ?? deps.settings().port)));

  app.use(noRoute);
  app.use(failed);
  // Every request ends in a route, the 404/405 or the error middleware, so Express's own final handler,
  // which it would build for each request, is never needed; this one stands in for a bug in those.
  // (Express makes a plain request and response its own as the first thing it does; the types say so.)
  const listener: RequestListener = (req, res) =>
    app(req as Request, res as Response, (err?: unknown) => {
      deps.onInternalError?.(err ?? new Error(`${req.method ?? ''} ${req.url ?? ''}: no middleware ended the request`));
      res.destroy();
    });
  return { listener, classes: expressHttpClasses(app) };
}

/** Request id and log record: every request gets its exchange before anything can refuse it. */
function begin(options: ExchangeOptions): RequestHandler {
  return (req, res, next) => {
    const method = req.method;
    const { path, query } = splitUrl(req.url);
    (res as WithExchange)[EXCHANGE] = new Exchange(newId('req'), req, res, method, path, query, routeKind(path), options);
    next();
  };
}

function hostGuard(deps: GatewayDeps): RequestHandler {
  return (req, _res, next) => {
    if (hostAllowed(deps.settings().host, req.headers.host)) return next();
    next(new GatewayError(403, `Host "${req.headers.host ?? ''}" is not allowed: the gateway answers loopback names only.`));
  };
}

/**
 * After the Host check (a DNS-rebinding page also fails these rules, but the Host refusal names the real
 * problem) and before auth: the rules read headers only, and with auth off, the default on loopback, auth
 * would let a page through. Refused here, a page's request is logged as what it is, not as a key problem
 * that would send the user looking at Claude Code's settings.
 */
const browserGuard: RequestHandler = (req, res, next) => {
  const verdict = checkBrowserRequest(req.method, exchangeOf(res).path, req.headers);
  next(verdict === null ? undefined : browserRefusal(verdict));
};

function authGuard(deps: GatewayDeps): RequestHandler {
  return (req, res, next) => {
    const settings = deps.settings();
    const verdict = checkAuth(settings.auth_mode, settings.api_key, exchangeOf(res).path, req.headers);
    next(verdict === 'allow' ? undefined : new GatewayError(401, AUTH_MESSAGES[verdict]));
  };
}

function answered(ex: Exchange): void {
  if (!ex.ended) throw new Error(`${ex.method} ${ex.path}: the handler returned without an answer`);
}

function health(ex: Exchange): void {
  ex.answer(200, { status: 'ok' });
}

/** `/api/hello` says the gateway is there; `/favicon.ico` has no icon to give, and says so without an error. */
function probe(ex: Exchange): void {
  if (ex.path === '/favicon.ico') ex.answer(204, '', { 'cache-control': 'max-age=86400' });
  else ex.answer(200, { status: 'ok' });
}

function welcome(ex: Exchange): void {
  ex.answer(200, { name: 'switchyard', message: 'Anthropic Messages API gateway: set ANTHROPIC_BASE_URL to this address.' });
}

function modelList(ex: Exchange, deps: GatewayDeps): void {
  ex.answer(200, pageModels(servableModels(deps), Object.fromEntries(new URLSearchParams(ex.query))));
}

function oneModel(ex: Exchange, deps: GatewayDeps): void {
  const id = String(ex.req.params?.id ?? '');
  const model = servableModels(deps).find((m) => m.id === id);
  if (!model) throw new GatewayError(404, `model: ${id} not found`);
  ex.answer(200, model);
}

function servableModels(deps: GatewayDeps) {
  const pool = deps.pool;
  return listModels(deps.settings().model_rules, {
    serves: (link) => pool.serves(link.provider, link.accounts),
    offered: (link) => pool.offeredBy?.(link.provider, link.accounts) ?? null,
    allOffered: () => pool.offeredModels?.() ?? [],
  });
}

/**
 * Claude Code shows a 404 as "There's an issue with the selected model", which sends the user the wrong
 * way; a 400 with these words it shows as they are.
 */
function doubledV1(path: string, port: number): GatewayError {
  return new GatewayError(
    400,
    `ANTHROPIC_BASE_URL ends in /v1, so the request went to ${path}. Set it to the gateway's address without /v1 (e.g. http://127.0.0.1:${port}); Claude Code adds /v1/messages itself.`,
    {},
    'invalid_request_error',
  );
}

/** No route took the request: a known path asked with the wrong method is a 405, anything else a 404. */
const noRoute: RequestHandler = (_req, res) => {
  const ex = exchangeOf(res);
  const known = KNOWN_PATHS.has(ex.path);
  const message = known ? `Method ${ex.method} is not allowed on ${ex.path}.` : `No route ${ex.method} ${ex.path}.`;
  ex.fail(new GatewayError(known ? 405 : 404, message, {}, known ? 'invalid_request_error' : 'not_found_error'));
};

/**
 * The one error middleware: whatever a guard, a handler or the router raised ends the exchange. The
 * router's own client errors (a path parameter that is not valid percent-encoding) are a 400.
 */
const failed: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const status = (err as { status?: unknown } | null)?.status;
  const routerRefusal = !(err instanceof GatewayError) && typeof status === 'number' && status >= 400 && status < 500;
  exchangeOf(res).fail(routerRefusal ? new GatewayError(status, (err as Error).message) : err);
};
