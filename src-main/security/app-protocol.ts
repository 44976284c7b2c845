// The `app://switchyard/` scheme: the built console from its folder, with the same content security
// policy and security headers the headless console sends, and nothing outside the folder.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CONSOLE_SECURITY_HEADERS, contentTypeFor, fileUnder } from '../../src-proxy/control-api/ui-files.js';
import { APP_HOST } from './app-origin.js';

export function createAppProtocolHandler(root: string): (request: { url: string; method: string }) => Promise<Response> {
  return async (request) => {
    const headers = CONSOLE_SECURITY_HEADERS;
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('Not found', { status: 404, headers });
    const file = fileUnder(root, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'content-type': contentTypeFor(extname(file)) } });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  };
}
