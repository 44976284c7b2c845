// The built console, served as static files under /ui/. The page itself holds no secret (the token
// arrives in the URL fragment, which browsers never send), so it is served without the token; what it
// does with the API is guarded there.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export const UI_PREFIX = '/ui/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Scripts and styles only from this origin, API calls only to it, no framing, no plug-ins. Styles may be
 * inline: charts and the virtual list position rows with style attributes.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every console file and error, over HTTP headless and over app:// on the desktop. */
export const CONSOLE_SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...CONSOLE_SECURITY_HEADERS });
  res.end(text);
}

export function contentTypeFor(extension: string): string {
  return CONTENT_TYPES[extension.toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file of `root` a URL path names (`/` + relative path, still percent-encoded), or null when it is
 * malformed or would leave the folder. `root` itself is never a file to serve.
 */
export function fileUnder(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const base = normalize(root);
  const file = normalize(join(base, rel === '' ? 'index.html' : rel));
  return file.startsWith(base.endsWith(sep) ? base : base + sep) ? file : null;
}

/** Serves GET/HEAD under /ui/ from `root` (the console's build folder), or says the console is not built. */
export async function serveUiFile(root: string | null, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed.');
  if (!root) return plain(res, 503, 'The console is not built. Run `npm run build` in the switchyard folder, then reload.');
  const file = fileUnder(root, path.slice(UI_PREFIX.length - 1));
  if (!file) return plain(res, 404, 'Not found.');
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return plain(res, 404, 'Not found.');
    size = info.size;
  } catch {
    const missingIndex = path === UI_PREFIX;
    return plain(
      res,
      missingIndex ? 503 : 404,
      missingIndex ? 'The console is not built. Run `npm run build` in the switchyard folder, then reload.' : 'Not found.',
    );
  }
  // Built assets carry a content hash in their names; the page that names them must always be fresh.
  const immutable = path.startsWith(`${UI_PREFIX}assets/`);
  res.writeHead(200, {
    'content-type': contentTypeFor(extname(file)),
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...CONSOLE_SECURITY_HEADERS,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
