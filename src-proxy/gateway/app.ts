// The gateway's HTTP surface, on plain node:http: a handful of fixed routes do not need a router's
// handler chain on every request. Order matters: request id and log record first, then the Host guard
// and auth (before any body is read), then the routes; everything unknown is an Anthropic-shaped 404.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorBody, GatewayError } from '../anthropic/errors.js';
import { newId } from '../anthropic/ids.js';
import type { ProviderKind, RequestLogEntry } from '../contract/index.js';
import { AUTH_MESSAGES, checkAuth } from './auth.js';
import { browserRefusal, checkBrowserRequest } from './browser-guard.js';
import { ClientClosedError } from './body.js';
import { handleCountTokens } from './count-tokens-handler.js';
import type { GatewayDeps } from './deps.js';
import { hostAllowed } from './host-guard.js';
import { handleMessages } from './messages-handler.js';
import { listModels, pageModels } from './models-handler.js';
import { Reply } from './reply.js';
import { CLIENT_CLOSED, RequestRecord } from './request-record.js';

type Handler = (req: IncomingMessage, reply: Reply, deps: GatewayDeps, record: RequestRecord) => Promise<void>;

const MESSAGES = '/v1/messages';
const COUNT_TOKENS = '/v1/messages/count_tokens';
const MODELS_PREFIX = '/v1/models/';

/** Probes and health checks: frequent, and nothing a user wants in the request log. */
const UNLOGGED_PATHS = new Set(['/', '/healthz']);
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
  const publish = (entry: RequestLogEntry) => {
    if (!UNLOGGED_PATHS.has(entry.path)) deps.recordRequest(entry);
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url ?? '/');
    const id = newId('req');
    const reply = new Reply(res, id);
    const record = new RequestRecord(id, method, path, routeKind(path), publish);
    // A request that ends without the pipeline finishing its record (an early 4xx, a client that left)
    // is still logged; a running handler finishes its own record, with the attempts it is unwinding.
    res.once('close', () => {
      if (!res.writableFinished) record.clientGone();
      if (!record.busy) finishOnClose(res, record);
    });

    const settings = deps.settings();
    if (!hostAllowed(settings.host, req.headers.host)) {
      return refuse(reply, record, new GatewayError(403, `Host "${req.headers.host ?? ''}" is not allowed: the gateway answers loopback names only.`));
    }
    // Browser rules after the Host check (a DNS-rebinding page also fails them, but the Host refusal names
    // the real problem) and before auth: they read headers only, and with auth off, the default on
    // loopback, auth would let a page through. Refused here, a page's request is logged as what it is,
    // not as a key problem that would send the user looking at Claude Code's settings.
    const browser = checkBrowserRequest(method, path, req.headers);
    if (browser !== null) return refuse(reply, record, browserRefusal(browser));
    const verdict = checkAuth(settings.auth_mode, settings.api_key, path, req.headers);
    if (verdict !== 'allow') return refuse(reply, record, new GatewayError(401, AUTH_MESSAGES[verdict]));

    const get = method === 'GET' || method === 'HEAD';
    if (method === 'POST' && path === MESSAGES) return run(handleMessages, req, reply, deps, record);
    if (method === 'POST' && path === COUNT_TOKENS) return run(handleCountTokens, req, reply, deps, record);
    try {
      if (get && path === '/healthz') return reply.json(200, { status: 'ok' });
      // Claude Code opens its connection with `HEAD /`; a person may open the address in a browser.
      if (get && path === '/') {
        return reply.json(200, { name: 'switchyard', message: 'Anthropic Messages API gateway: set ANTHROPIC_BASE_URL to this address.' });
      }
      if (get && (path === '/v1/models' || path === '/v1/models/claude')) {
        return reply.json(200, pageModels(servableModels(deps), Object.fromEntries(new URLSearchParams(query))));
      }
      if (get && path.startsWith(MODELS_PREFIX)) return answerModel(reply, deps, path.slice(MODELS_PREFIX.length));
      notFound(reply, record, method, path, settings.port);
    } catch (err) {
      failed(err, reply, record, deps, method, path);
    }
  };
}

function run(handler: Handler, req: IncomingMessage, reply: Reply, deps: GatewayDeps, record: RequestRecord): void {
  record.busy = true;
  handler(req, reply, deps, record)
    .catch((err: unknown) => failed(err, reply, record, deps, req.method ?? 'POST', record.path))
    .finally(() => {
      record.busy = false;
      if (reply.res.closed) finishOnClose(reply.res, record);
    });
}

function answerModel(reply: Reply, deps: GatewayDeps, encoded: string): void {
  let id: string;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    id = encoded;
  }
  const model = servableModels(deps).find((m) => m.id === id);
  if (!model) throw new GatewayError(404, `model: ${id} not found`);
  reply.json(200, model);
}

function servableModels(deps: GatewayDeps) {
  const canServe = (provider: ProviderKind) => deps.pool.serves(provider) && deps.providers[provider] !== undefined;
  return listModels(deps.settings().model_rules, canServe, deps.pool.offeredModels?.() ?? []);
}

function notFound(reply: Reply, record: RequestRecord, method: string, path: string, port: number): void {
  const doubled = path.startsWith('/v1/v1/');
  const known = KNOWN_PATHS.has(path);
  const message = doubled
    ? `No route ${method} ${path}: the path has /v1 twice. Set ANTHROPIC_BASE_URL to the gateway's address without /v1 (e.g. http://127.0.0.1:${port}).`
    : known
      ? `Method ${method} is not allowed on ${path}.`
      : `No route ${method} ${path}.`;
  refuse(reply, record, new GatewayError(known && !doubled ? 405 : 404, message, {}, known ? 'invalid_request_error' : 'not_found_error'));
}

function refuse(reply: Reply, record: RequestRecord, err: GatewayError): void {
  record.failed(err.type, err.message);
  reply.error(err);
}

function failed(err: unknown, reply: Reply, record: RequestRecord, deps: GatewayDeps, method: string, path: string): void {
  if (err instanceof GatewayError) return refuse(reply, record, err);
  if (err instanceof ClientClosedError) {
    // Nobody is left to answer; the log says the client closed, which is what happened.
    record.clientGone();
    record.finish(CLIENT_CLOSED);
    reply.res.destroy();
    return;
  }
  // Anything else is a bug of ours: reported to the shell, never detailed to the client.
  deps.onInternalError?.(err);
  record.failed('api_error', 'internal gateway error');
  if (reply.sent) {
    reply.res.destroy();
    return;
  }
  reply.json(500, errorBody('api_error', `Internal gateway error while handling ${method} ${path}.`, record.id));
}

function finishOnClose(res: ServerResponse, record: RequestRecord): void {
  record.finish(res.writableFinished ? res.statusCode : CLIENT_CLOSED);
}
