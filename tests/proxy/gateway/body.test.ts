import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src-proxy/anthropic/errors.js';
import { readJsonBody } from '../../../src-proxy/gateway/body.js';

/** A request whose body arrives in the given chunks. */
function request(chunks: Buffer[]): IncomingMessage {
  const stream = new PassThrough();
  const req = Object.assign(stream, { headers: {} });
  setImmediate(() => {
    for (const c of chunks) stream.write(c);
    stream.end();
  });
  return req as unknown as IncomingMessage;
}

async function rejection(chunks: Buffer[]): Promise<{ status: number; message: string }> {
  try {
    await readJsonBody(request(chunks), 1 << 20);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const e = err as GatewayError;
    return { status: e.status, message: e.message };
  }
  throw new Error('expected the body to be rejected');
}

describe('readJsonBody', () => {
  it('returns the parsed JSON and the very bytes received', async () => {
    const source = Buffer.from('{"text":"é 😀 \\ud83d\\ude00"}');
    const body = await readJsonBody(request([source.subarray(0, 12), source.subarray(12)]), 1 << 20);
    expect(body.json).toEqual({ text: 'é 😀 😀' });
    expect(body.raw.equals(source)).toBe(true);
  });

  it('refuses bytes that are not UTF-8 instead of forwarding them', async () => {
    expect(await rejection([Buffer.from('{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')])).toEqual({
      status: 400,
      message: 'Request body is not valid UTF-8; JSON must be encoded as UTF-8.',
    });
  });

  it('accepts a UTF-8 sequence split across two chunks', async () => {
    const source = Buffer.from('{"text":"中"}');
    const cut = source.indexOf(0xe4) + 1; // inside the 3-byte sequence
    const body = await readJsonBody(request([source.subarray(0, cut), source.subarray(cut)]), 1 << 20);
    expect(body.json).toEqual({ text: '中' });
  });

  it('refuses a lone surrogate, naming its path', async () => {
    expect(await rejection([Buffer.from('{"messages":[{"role":"user","content":"hi \\ud800"}]}')])).toEqual({
      status: 400,
      message: 'messages.0.content: String contains a lone surrogate (\\ud800), which is not valid Unicode',
    });
  });

  it('still names malformed JSON and an empty body', async () => {
    expect((await rejection([Buffer.from('{"model": "x", ')])).message).toMatch(/^Request body is not valid JSON: /);
    expect(await rejection([])).toEqual({ status: 400, message: 'Request body is empty; expected a JSON object.' });
  });
});
