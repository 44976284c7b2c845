// The gateway's HTTP surface. Order matters: request id and log record first, then the Host guard and
// auth (before any body is read), then the routes; everything unknown is an Anthropic-shaped 404.

import express, { type NextFunction, type Request, type Response } from 'express';
import { errorBody, GatewayError } from '../anthropic/errors.js';
import { newId } from '../anthropic/ids.js';
import type { RequestLogEntry } from '../contract/index.js';
import { AUTH_MESSAGES, checkAuth } from './auth.js';
import { handleCountTokens } from './count-tokens-handler.js';
import type { GatewayDeps } from './deps.js';
import { hostAllowed } from './host-guard.js';
import { sendError, sendJson } from './http.js';
import { CLIENT_CLOSED, handleMessages } from './messages-handler.js';
import { listModels, pageModels } from './models-handler.js';
import { RequestRecord } from './request-record.js';

type Handler = (req: Request, res: Response, deps: GatewayDeps, record: RequestRecord) => Promise<void>;

function routeKind(path: string): RequestLogEntry['route'] {
  if (path === '/v1/messages') return 'messages';
  if (path === '/v1/messages/count_tokens') return 'count_tokens';
  if (path.startsWith('/v1/models')) return 'models';
  return 'other';
}

interface Locals {
  record: RequestRecord;
}

function recordOf(res: Response): RequestRecord {
  return (res.locals as Locals).record;
}

export function createGatewayApp(deps: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const id = newId('req');
    res.setHeader('request-id', id);
    const record = new RequestRecord(id, req.method, req.path, routeKind(req.path), (entry) => {
      if (!UNLOGGED_PATHS.has(entry.path)) deps.recordRequest(entry);
    });
    (res.locals as Locals).record = record;
    // A request that ends without the pipeline finishing its record (an early 4xx, a crash) is still logged.
    res.on('close', () => {
      if (!res.writableFinished) record.entry.client_aborted = true;
      // A running handler finishes its own record, with the attempts it is still unwinding.
      if (!record.busy) finishOnClose(res, record);
    });
    next();
  });

  app.use((req, res, next) => {
    const settings = deps.settings();
    if (!hostAllowed(settings.host, req.headers.host)) {
      sendError(res, new GatewayError(403, `Host "${req.headers.host ?? ''}" is not allowed: the gateway answers loopback names only.`), recordOf(res).id);
      return;
    }
    const verdict = checkAuth(settings.auth_mode, settings.api_key, req.path, req.headers);
    if (verdict !== 'allow') {
      recordOf(res).entry.error_type = 'authentication_error';
      recordOf(res).entry.error_message = AUTH_MESSAGES[verdict];
      sendError(res, new GatewayError(401, AUTH_MESSAGES[verdict]), recordOf(res).id);
      return;
    }
    next();
  });

  const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
    const record = recordOf(res);
    record.busy = true;
    handler(req, res, deps, record)
      .catch(next)
      .finally(() => {
        record.busy = false;
        if (res.closed) finishOnClose(res, record);
      });
  };

  app.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  // Claude Code opens its connection with `HEAD /`; a person may open the address in a browser.
  app.get('/', (_req, res) => sendJson(res, 200, { name: 'switchyard', message: 'Anthropic Messages API gateway: set ANTHROPIC_BASE_URL to this address.' }));
  app.post('/v1/messages', wrap(handleMessages));
  app.post('/v1/messages/count_tokens', wrap(handleCountTokens));
  const models = (req: Request, res: Response) => sendJson(res, 200, pageModels(listModels(deps.settings().model_rules), req.query));
  app.get('/v1/models', models);
  app.get('/v1/models/claude', models);
  app.get('/v1/models/:id', (req, res) => {
    const model = listModels(deps.settings().model_rules).find((m) => m.id === req.params.id);
    if (!model) throw new GatewayError(404, `model: ${req.params.id} not found`);
    sendJson(res, 200, model);
  });

  app.use((req, res) => {
    const doubled = req.path.startsWith('/v1/v1/');
    const message = doubled
      ? `No route ${req.method} ${req.path}: the path has /v1 twice. Set ANTHROPIC_BASE_URL to the gateway's address without /v1 (e.g. http://127.0.0.1:${deps.settings().port}).`
      : KNOWN_PATHS.has(req.path)
        ? `Method ${req.method} is not allowed on ${req.path}.`
        : `No route ${req.method} ${req.path}.`;
    sendError(res, new GatewayError(KNOWN_PATHS.has(req.path) && !doubled ? 405 : 404, message, {}, KNOWN_PATHS.has(req.path) ? 'invalid_request_error' : 'not_found_error'), recordOf(res).id);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const record = recordOf(res);
    if (err instanceof GatewayError) {
      record.entry.error_type = err.type;
      record.entry.error_message = err.message;
      sendError(res, err, record.id);
      return;
    }
    // Express's own body-parser-style errors carry a status; anything else is a bug of ours.
    deps.onInternalError?.(err);
    record.entry.error_type = 'api_error';
    record.entry.error_message = 'internal gateway error';
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, 500, errorBody('api_error', `Internal gateway error while handling ${req.method} ${req.path}.`, record.id));
  });

  return app;
}

function finishOnClose(res: Response, record: RequestRecord): void {
  record.finish(res.writableFinished ? res.statusCode : CLIENT_CLOSED);
}

/** Probes and health checks: frequent, and nothing a user wants in the request log. */
const UNLOGGED_PATHS = new Set(['/', '/healthz']);

const KNOWN_PATHS = new Set(['/v1/messages', '/v1/messages/count_tokens', '/v1/models', '/healthz']);
