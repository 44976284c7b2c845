// Reads a JSON request body with a hard size cap. The cap is checked against Content-Length before a
// byte is read, and again while streaming for chunked bodies, so an oversized upload costs nothing.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../anthropic/errors.js';

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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  if (size === 0) throw new GatewayError(400, 'Request body is empty; expected a JSON object.');
  try {
    return { json: JSON.parse(raw.toString('utf8')), raw };
  } catch (err) {
    const detail = err instanceof SyntaxError ? `: ${err.message}` : '';
    throw new GatewayError(400, `Request body is not valid JSON${detail}`);
  }
}
