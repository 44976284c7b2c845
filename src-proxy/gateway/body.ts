// Reads a JSON request body with a hard size cap. The cap is checked against Content-Length before a
// byte is read, and again while streaming for chunked bodies, so an oversized upload costs nothing.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../anthropic/errors.js';
import { parseJsonBody } from '../anthropic/parse-json-body.js';
import { nestedDeeperThan } from '../lib/json-depth.js';

/**
 * How deep a request may nest objects and arrays. Real tool inputs and schemas stay within a few dozen
 * levels; thousands would overflow the stack of whatever walks them next (JSON.stringify on the
 * translated paths, the local token estimate), so such a body is refused before anything touches it.
 */
export const MAX_NESTING_DEPTH = 128;

/** The client went away before its request body was complete: nobody is left to answer. */
export class ClientClosedError extends Error {
  constructor() {
    super('client closed the connection during its upload');
    this.name = 'ClientClosedError';
  }
}

export interface JsonBody {
  json: unknown;
  raw: Buffer;
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(413, `Request body exceeds the gateway's limit of ${limit} bytes (setting max_body_bytes).`);
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain without keeping it, so the 413 can still be read by the client
    throw tooLarge(limit);
  }
  const raw = await readRaw(req, limit);
  if (raw.length === 0) throw new GatewayError(400, 'Request body is empty; expected a JSON object.');
  const json = parseJsonBody(raw);
  if (nestedDeeperThan(json, MAX_NESTING_DEPTH)) {
    throw new GatewayError(
      400,
      `Request body is nested deeper than ${MAX_NESTING_DEPTH} levels (objects and arrays within each other); the gateway accepts at most ${MAX_NESTING_DEPTH}.`,
    );
  }
  return { json, raw };
}

/** Plain listeners rather than an async iterator: this runs for every request and the difference shows. */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    // A socket error on the way in (a reset, mostly) means the same for us as the client leaving.
    const onError = () => {
      cleanup();
      reject(new ClientClosedError());
    };
    const onClose = () => {
      if (!req.readableEnded) onError();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    if (req.destroyed && !req.readableEnded) onError();
  });
}
