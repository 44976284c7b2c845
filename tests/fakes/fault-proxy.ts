// A loopback HTTP proxy that puts one fault between the gateway and a fake upstream or OAuth endpoint.
// Everything passes through unchanged until a fault is chosen for a request (per request, by what it
// carries: its credential, its path, its body), and then the proxy breaks that exchange the way real
// networks and services do: it hangs before or after the headers or in the middle of the body, drops
// the connection, sends malformed or truncated SSE, leaves out the event that ends the answer, echoes
// the credentials it was sent, answers slowly, or answers 429, 500 or 503 itself. Only node: built-ins,
// like the fakes, so it knows nothing of the gateway's code.

import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** How the upstream behind the proxy speaks, so a fault it writes itself reads like that upstream's own. */
export type Flavour = 'anthropic' | 'google' | 'oauth';

export type Fault =
  | { kind: 'pass' }
  /** Never answers (the request is read; the connection stays open until the client leaves). */
  | { kind: 'hang_before_headers' }
  /** Sends the upstream's status and headers, then nothing. */
  | { kind: 'hang_after_headers' }
  /** Sends the headers and the first event (or the first half of a body that is not SSE), then nothing. */
  | { kind: 'hang_mid_body' }
  /** Resets the connection before any answer. */
  | { kind: 'drop_before_headers' }
  /** Sends the headers and the first event, then resets the connection. */
  | { kind: 'drop_mid_body' }
  /** A `data:` line that is not JSON after the first event, then the rest of the answer. */
  | { kind: 'malformed_sse' }
  /** The answer stops in the middle of its second event (or of a body that is not SSE); the response ends cleanly. */
  | { kind: 'truncated_sse' }
  /** The events that end the answer are left out (message_stop; a chunk with a finishReason); the response ends cleanly. */
  | { kind: 'no_terminal' }
  /** Answers `status` itself, its error message quoting every credential the request carried. */
  | { kind: 'echo_credentials'; status: number }
  /** A 200 stream: the first upstream event, then an error event quoting every credential the request carried. */
  | { kind: 'echo_in_stream' }
  /** The upstream's answer, each event (or the body, for JSON) `delayMs` after the one before. */
  | { kind: 'slow'; delayMs: number }
  /** Answers this status itself, as the upstream would (a rate limit, an internal error, unavailable). */
  | { kind: 'status'; status: 429 | 500 | 503 };

export type FaultKind = Fault['kind'];

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The credential the request carried (x-api-key, x-goog-api-key, a bearer token, a refresh_token form field), if any. */
  credential: string | null;
}

export interface ProxiedExchange extends ProxiedRequest {
  fault: FaultKind;
  /** The client left before the proxy ended the response. */
  clientLeft: boolean;
}

export interface FaultProxy {
  url: string;
  /** Every request, in arrival order, with the fault it met. */
  readonly exchanges: ProxiedExchange[];
  /** Chooses the fault for each request from now on. */
  setFault(choose: Fault | ((req: ProxiedRequest) => Fault)): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, flavour: Flavour): Promise<FaultProxy> {
  const proxy = new FaultProxyServer(new URL(target), flavour);
  await proxy.listen();
  return proxy;
}

/** The credential of a request, wherever its protocol puts it. */
export function credentialOf(headers: IncomingHttpHeaders, body: Buffer): string | null {
  const header = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  const auth = header('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7);
  const key = header('x-api-key') ?? header('x-goog-api-key');
  if (key) return key;
  if ((header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body.toString('utf8')).get('refresh_token');
  }
  return null;
}

/** Every secret a request carried: credential headers and secret form fields (refresh token, client secret, code). */
export function credentialsCarried(headers: IncomingHttpHeaders, body: Buffer): string[] {
  const out: string[] = [];
  for (const name of ['authorization', 'x-api-key', 'x-goog-api-key']) {
    const v = headers[name];
    if (typeof v === 'string' && v !== '') out.push(`${name}: ${v}`);
  }
  if (String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body.toString('utf8'));
    for (const field of ['refresh_token', 'client_secret', 'code']) {
      const v = form.get(field);
      if (v) out.push(`${field}=${v}`);
    }
  }
  return out;
}

/** The error each service names with a status, as it names it. */
const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};
const GOOGLE_STATUSES: Record<number, string> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

class FaultProxyServer implements FaultProxy {
  url = '';
  readonly exchanges: ProxiedExchange[] = [];
  private choose: (req: ProxiedRequest) => Fault = () => ({ kind: 'pass' });
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly target: URL,
    private readonly flavour: Flavour,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(599).end();
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  setFault(choose: Fault | ((req: ProxiedRequest) => Fault)): void {
    this.choose = typeof choose === 'function' ? choose : () => choose;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const request: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body,
      credential: credentialOf(req.headers, body),
    };
    const fault = this.choose(request);
    const exchange: ProxiedExchange = { ...request, fault: fault.kind, clientLeft: false };
    this.exchanges.push(exchange);
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) exchange.clientLeft = true;
      gone.abort();
    });

    switch (fault.kind) {
      case 'hang_before_headers':
        return hang(gone.signal);
      case 'drop_before_headers':
        res.destroy();
        return;
      case 'status':
        return this.answer(res, fault.status, this.errorBody(fault.status, `fault proxy: upstream answered ${fault.status}`));
      case 'echo_credentials':
        return this.answer(res, fault.status, this.errorBody(fault.status, `request carried ${credentialsCarried(req.headers, body).join(' ')}`));
      default:
        break;
    }

    const upstream = await this.forward(request, gone.signal);
    if (upstream === null) return;
    const sse = String(upstream.headers['content-type'] ?? '').startsWith('text/event-stream');
    const events = sse ? splitEvents(upstream.body) : [upstream.body];
    const head = () => res.writeHead(upstream.status, relayedHeaders(upstream.headers));

    switch (fault.kind) {
      case 'pass':
        head();
        res.end(upstream.body);
        return;
      case 'hang_after_headers':
        head();
        res.flushHeaders();
        return hang(gone.signal);
      case 'hang_mid_body':
        head();
        res.write(firstPart(events, sse));
        return hang(gone.signal);
      case 'drop_mid_body':
        head();
        res.write(firstPart(events, sse), () => res.destroy());
        return;
      case 'malformed_sse':
        head();
        res.end(Buffer.concat([events[0]!, Buffer.from('data: {"candidates": [{"content"\n\n'), ...events.slice(1)]));
        return;
      case 'truncated_sse': {
        head();
        const whole =
          sse && events.length > 1 ? Buffer.concat([events[0]!, events[1]!.subarray(0, Math.ceil(events[1]!.length / 2))]) : firstPart(events, false);
        res.end(whole);
        return;
      }
      case 'no_terminal':
        head();
        res.end(Buffer.concat(events.filter((e) => !isTerminal(e))));
        return;
      case 'echo_in_stream':
        head();
        res.end(Buffer.concat([events[0]!, this.streamError(`request carried ${credentialsCarried(req.headers, body).join(' ')}`)]));
        return;
      case 'slow':
        head();
        for (const event of events) {
          if (!(await pause(fault.delayMs, gone.signal))) return;
          res.write(event);
        }
        res.end();
        return;
    }
  }

  /** The request as the client sent it, to the target; the whole answer, or null when the client left. */
  private forward(r: ProxiedRequest, signal: AbortSignal): Promise<UpstreamAnswer | null> {
    return new Promise((resolve, reject) => {
      const headers = { ...r.headers, host: this.target.host, 'content-length': String(r.body.length) };
      const out = httpRequest({ host: this.target.hostname, port: this.target.port, method: r.method, path: r.path, headers, signal }, (res) => {
        readAll(res).then((body) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body }), reject);
      });
      out.on('error', (err) => (signal.aborted ? resolve(null) : reject(err)));
      out.end(r.body);
    });
  }

  private answer(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private errorBody(status: number, message: string): string {
    switch (this.flavour) {
      case 'anthropic': {
        const type = ANTHROPIC_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
        return JSON.stringify({ type: 'error', error: { type, message } });
      }
      case 'google': {
        const googleStatus = GOOGLE_STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
        return JSON.stringify({ error: { code: status, message, status: googleStatus } });
      }
      case 'oauth':
        return JSON.stringify({ error: status >= 500 ? 'temporarily_unavailable' : 'invalid_request', error_description: message });
    }
  }

  private streamError(message: string): Buffer {
    if (this.flavour === 'anthropic') {
      return Buffer.from(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`);
    }
    return Buffer.from(`data: ${JSON.stringify({ error: { code: 500, message, status: 'INTERNAL' } })}\r\n\r\n`);
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function relayedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/** SSE events, each with its blank line (LF or CRLF framing), in order. */
export function splitEvents(body: Buffer): Buffer[] {
  const text = body.toString('utf8');
  const events: Buffer[] = [];
  const boundary = /\r?\n\r?\n/g;
  let start = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    events.push(Buffer.from(text.slice(start, m.index + m[0].length)));
    start = m.index + m[0].length;
  }
  if (start < text.length) events.push(Buffer.from(text.slice(start)));
  return events.length > 0 ? events : [body];
}

/** The first event of a stream, or the first half of a body that is not one. */
function firstPart(events: Buffer[], sse: boolean): Buffer {
  if (sse) return events[0]!;
  const whole = events[0]!;
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/** An event that says the answer is complete: Anthropic's message_stop, or a Gemini chunk naming its finishReason. */
function isTerminal(event: Buffer): boolean {
  const text = event.toString('utf8');
  return text.includes('message_stop') || text.includes('"finishReason"');
}

function hang(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
