// The gateway's HTTP surface, on plain node:http: a handful of fixed routes do not need a router's
// handler chain on every request. Order matters: request id and log record first, then the Host guard
// and auth (before any body is read), then the routes; everything unknown is an Anthropic-shaped 404.

import type { IncomingMessage, RequestListener } from 'node:http';
import { GatewayError } from '../anthropic/errors.js';
import { newId } from '../anthropic/ids.js';
import type { ProviderKind, RequestLogEntry } from '../contract/index.js';
import { AUTH_MESSAGES, checkAuth } from './auth.js';
import { browserRefusal, checkBrowserRequest } from './browser-guard.js';
import { handleCountTokens } from './count-tokens-handler.js';
import type { GatewayDeps } from './deps.js';
import { Exchange, type ExchangeOptions } from './exchange.js';
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
const PROBE_PATHS = new Set(['/api/hello', '/favicon.ico']);
/** A base URL that ends in /v1 doubles it in every path. */
const DOUBLED_V1 = '/v1/v1/';
const KNOWN_PATHS = new Set([MESSAGES, COUNT_TOKENS, '/v1/models', '/healthz']);

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

export function createGatewayApp(deps: GatewayDeps): RequestListener {
  const options: ExchangeOptions = {
    publish: (entry) => {
      if (!UNLOGGED_PATHS.has(entry.path)) deps.recordRequest(entry);
    },
    pingIntervalMs: deps.pingIntervalMs ?? DEFAULT_PING_MS,
    onInternalError: deps.onInternalError,
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url ?? '/');
    const ex = new Exchange(newId('req'), req, res, method, path, query, routeKind(path), options);
    const refusal = guard(req, method, path, deps);
    if (refusal) return ex.fail(refusal);

    const get = method === 'GET' || method === 'HEAD';
    if (get && PROBE_PATHS.has(path)) return run(probe, ex, deps);
    if (path.startsWith(DOUBLED_V1)) return ex.fail(doubledV1(path, req.socket.localPort ?? deps.settings().port));
    if (method === 'POST' && path === MESSAGES) return run(handleMessages, ex, deps);
    if (method === 'POST' && path === COUNT_TOKENS) return run(handleCountTokens, ex, deps);
    if (get && path === '/healthz') return run(health, ex, deps);
    // Claude Code opens its connection with `HEAD /`; a person may open the address in a browser.
    if (get && path === '/') return run(welcome, ex, deps);
    if (get && (path === '/v1/models' || path === '/v1/models/claude')) return run(modelList, ex, deps);
    if (get && path.startsWith(MODELS_PREFIX)) return run(oneModel, ex, deps);
    ex.fail(notFound(method, path));
  };
}

/** The request-level refusals, in order: Host, browser rules, auth. Null lets the request through. */
function guard(req: IncomingMessage, method: string, path: string, deps: GatewayDeps): GatewayError | null {
  const settings = deps.settings();
  if (!hostAllowed(settings.host, req.headers.host)) {
    return new GatewayError(403, `Host "${req.headers.host ?? ''}" is not allowed: the gateway answers loopback names only.`);
  }
  if ((method === 'GET' || method === 'HEAD') && PROBE_PATHS.has(path)) return null;
  // Browser rules after the Host check (a DNS-rebinding page also fails them, but the Host refusal names
  // the real problem) and before auth: they read headers only, and with auth off, the default on
  // loopback, auth would let a page through. Refused here, a page's request is logged as what it is,
  // not as a key problem that would send the user looking at Claude Code's settings.
  const browser = checkBrowserRequest(method, path, req.headers);
  if (browser !== null) return browserRefusal(browser);
  const verdict = checkAuth(settings.auth_mode, settings.api_key, path, req.headers);
  return verdict === 'allow' ? null : new GatewayError(401, AUTH_MESSAGES[verdict]);
}

/** Runs a route's handler; whatever it throws ends the request, and so does a handler that forgot to. */
function run(handler: Handler, ex: Exchange, deps: GatewayDeps): void {
  const done = () => {
    if (!ex.ended) ex.fail(new Error(`${ex.method} ${ex.path}: the handler returned without an answer`));
  };
  try {
    const pending = handler(ex, deps);
    if (pending) pending.then(done, (err: unknown) => ex.fail(err));
    else done();
  } catch (err) {
    ex.fail(err);
  }
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
  const encoded = ex.path.slice(MODELS_PREFIX.length);
  let id: string;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    id = encoded;
  }
  const model = servableModels(deps).find((m) => m.id === id);
  if (!model) throw new GatewayError(404, `model: ${id} not found`);
  ex.answer(200, model);
}

function servableModels(deps: GatewayDeps) {
  const canServe = (provider: ProviderKind) => deps.pool.serves(provider) && deps.providers[provider] !== undefined;
  return listModels(deps.settings().model_rules, canServe, deps.pool.offeredModels?.() ?? []);
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

function notFound(method: string, path: string): GatewayError {
  const known = KNOWN_PATHS.has(path);
  const message = known ? `Method ${method} is not allowed on ${path}.` : `No route ${method} ${path}.`;
  return new GatewayError(known ? 405 : 404, message, {}, known ? 'invalid_request_error' : 'not_found_error');
}
