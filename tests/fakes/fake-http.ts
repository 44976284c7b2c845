// What both fakes do the same way with a response: write a chunk and wait for the socket, pause,
// cut the connection, read and record bodies. Only node: built-ins, like the fakes themselves.

import type { IncomingMessage, ServerResponse } from 'node:http';
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
