// What both fakes do the same way with a response: write a chunk and wait for the socket, pause,
// cut the connection, read and record bodies. Only node: built-ins, like the fakes themselves.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** A response in progress, as the helpers below need it. */
export interface FakeExchange {
  res: ServerResponse;
  /** Aborted when the response closes for any reason, so pending pauses and writes stop at once. */
  gone: AbortSignal;
  /** Set when the fake itself cuts the connection, so that is not recorded as a client abort. */
  cutByFake: boolean;
}

/** Resolves once the chunk is handed to the socket (so events leave separately), false if gone. */
export function writeChunk(ex: FakeExchange, chunk: string | Buffer): Promise<boolean> {
  if (ex.gone.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onGone = (): void => resolve(false);
    ex.gone.addEventListener('abort', onGone, { once: true });
    ex.res.write(chunk, (err) => {
      ex.gone.removeEventListener('abort', onGone);
      resolve(!err && !ex.gone.aborted);
    });
  });
}

/** Waits `ms`, cut short when the connection goes away. Resolves false in that case. */
export async function pause(ex: FakeExchange, ms: number): Promise<boolean> {
  if (ms > 0) {
    try {
      await delay(ms, undefined, { signal: ex.gone });
    } catch {
      return false;
    }
  }
  return !ex.gone.aborted;
}

/** The fake resets the connection on purpose; not a client abort. */
export function cut(ex: FakeExchange): void {
  ex.cutByFake = true;
  ex.res.destroy();
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('client aborted while sending the body'));
    });
  });
}

export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** Keeps a copy of every body chunk written to `res`, so tests can compare what a client received. */
export function captureBody(res: ServerResponse, into: Buffer[]): void {
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string') into.push(Buffer.from(chunk));
    else if (chunk instanceof Uint8Array) into.push(Buffer.from(chunk));
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') keep(chunk);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as typeof res.end;
}

/**
 * A loopback HTTP server that records every request and answers from a script of behaviours (then a
 * default): the part both fakes share. Subclasses handle requests; `nextBehaviour` takes the script.
 */
export abstract class ScriptedFake<Rec, B extends object> {
  url = '';
  /** Every request, in arrival order. */
  readonly requests: Rec[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly queue: Array<B | ((rec: Rec) => B)> = [];
  /** Standing refusals by credential (`*`: every request), ahead of the script. */
  private readonly refusals = new Map<string, B>();
  private closing: Promise<void> | null = null;

  protected constructor(
    private fallback: B | ((rec: Rec) => B),
    /** A bug in the fake itself: answer it if still possible, so the test fails loudly rather than hangs. */
    failInternally: (res: ServerResponse, err: unknown) => void,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => failInternally(res, err));
    });
    this.server.on('connection', (socket) => {
      // Without Nagle's delay each streamed event leaves in its own TCP segment, as from the real service.
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Whether close() has begun (a connection it cuts is not a client abort). */
  protected get isClosing(): boolean {
    return this.closing !== null;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        const { port } = this.server.address() as AddressInfo;
        this.url = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  }

  /** Queued, one consumed per request that reaches a behaviour. */
  script(...b: Array<B | ((rec: Rec) => B)>): void {
    this.queue.push(...b);
  }

  setDefault(b: B | ((rec: Rec) => B)): void {
    this.fallback = b;
  }

  /**
   * From now on, every request presenting `credential` (an account's key or token; `*` for every
   * request, the whole upstream) gets `b` instead of its scripted behaviour, leaving the script as it
   * is; null lifts the refusal. An account refusal wins over a `*` one.
   */
  refuse(credential: string, b: B | null): void {
    if (b === null) this.refusals.delete(credential);
    else this.refusals.set(credential, b);
  }

  /** The credential a request presented, as refusals are keyed; none by default. */
  protected credentialOf(_rec: Rec): string | null {
    return null;
  }

  /** Polls; rejects on timeout (default 2000 ms). */
  async waitFor(pred: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!pred()) {
      if (performance.now() >= deadline) throw new Error(`waitFor: condition still false after ${timeoutMs} ms`);
      await delay(10);
    }
  }

  /** Clears requests and script. */
  reset(): void {
    // Emptied in place so that a test holding `fake.requests` sees the same array.
    this.requests.length = 0;
    this.queue.length = 0;
    this.refusals.clear();
  }

  /** Closes the server and destroys open sockets. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Hanging and streaming responses would keep server.close() waiting forever.
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  protected nextBehaviour(rec: Rec): B {
    const credential = this.credentialOf(rec);
    const refusal = (credential === null ? undefined : this.refusals.get(credential)) ?? this.refusals.get('*');
    if (refusal) return refusal;
    const next = this.queue.shift() ?? this.fallback;
    return typeof next === 'function' ? (next as (rec: Rec) => B)(rec) : next;
  }
}
