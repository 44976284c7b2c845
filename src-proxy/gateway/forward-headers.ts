import type { IncomingMessage } from 'node:http';

/** Client headers that carry protocol meaning upstream; everything else (and the client's key) stays here. */
const FORWARDED = ['anthropic-version', 'anthropic-beta'] as const;

export function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED) {
    const v = req.headers[name];
    if (typeof v === 'string' && v !== '') out[name] = v;
  }
  return out;
}
