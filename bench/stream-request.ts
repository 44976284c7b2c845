// One streaming POST /v1/messages over node:http, timed from the moment it is sent to its first and
// last body byte, and checked once the clock has stopped (so the check costs idle time, not latency).

import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { checkStream } from './answers.js';
import { MESSAGES_PATH, REQUEST_HEADERS } from './bodies.js';

/** No single stream may hang a client. */
const STREAM_TIMEOUT_MS = 15_000;

export interface StreamTiming {
  /** Request sent -> first body byte, ms. */
  ttfbMs: number;
  /**
   * Request sent -> first chunk holding a text delta, ms: the first text a user sees. The pipe passes
   * message_start on at once; the gateway holds its first bytes until the upstream's first content.
   */
  firstTextMs: number;
  /** Request sent -> last body byte, ms. */
  totalMs: number;
}

export interface StreamHooks {
  /** The response headers are in: the stream is open. */
  opened?(): void;
  /** The stream ended or failed. */
  closed?(): void;
}

export function timedStream(base: URL, agent: Agent, body: Buffer, hooks: StreamHooks = {}): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    let firstText = 0;
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (err: Error) => {
      const at = `${received} bytes in, ${(performance.now() - start).toFixed(0)} ms after the request`;
      reject(new Error(`${base.origin}: ${err.message} (${(err as { code?: string }).code ?? 'no code'}; ${at})`, { cause: err }));
    };
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: MESSAGES_PATH,
        headers: { ...REQUEST_HEADERS, 'content-length': body.length },
        agent,
        signal: AbortSignal.timeout(STREAM_TIMEOUT_MS),
      },
      (res) => {
        hooks.opened?.();
        let open = true;
        const close = () => {
          if (open) hooks.closed?.();
          open = false;
        };
        res.on('data', (chunk: Buffer) => {
          if (first === 0) first = performance.now();
          if (firstText === 0 && chunk.includes('text_delta')) firstText = performance.now();
          chunks.push(chunk);
          received += chunk.length;
        });
        res.on('end', () => {
          const end = performance.now();
          close();
          try {
            checkStream(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
            resolve({ ttfbMs: (first || end) - start, firstTextMs: (firstText || end) - start, totalMs: end - start });
          } catch (err) {
            fail(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('close', close);
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}
