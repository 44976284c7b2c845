// What the built console's files are served with, over HTTP headless (console-server.ts) and over
// app:// on the desktop: the content policy and security headers, the content types, and which file
// of the build folder a path names.

import { join, normalize, sep } from 'node:path';

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
