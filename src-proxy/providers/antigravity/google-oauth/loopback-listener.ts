// The listener Google's redirect reaches: 127.0.0.1 on a port the system picks (bound once and kept,
// so no other process can take it between choosing and listening), one callback path, GET only. It
// answers each callback with the page its handler returns and closes when the sign-in ends.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedirectPage } from './redirect-page.js';
import { redirectPage } from './redirect-page.js';

export const CALLBACK_PATH = '/oauth2callback';
/** A browser that opened the connection and then sent nothing is not waited for. */
const REQUEST_TIMEOUT_MS = 60_000;
const CLOSE_GRACE_MS = 2000;

export interface LoopbackListener {
  redirectUri: string;
  close(): void;
}

export type CallbackHandler = (query: URLSearchParams) => Promise<RedirectPage>;

export function openLoopbackListener(handle: CallbackHandler, host = '127.0.0.1'): Promise<LoopbackListener> {
  const server: Server = createServer((req, res) => {
    const send = (page: RedirectPage) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(page.status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        connection: 'close',
      });
      res.end(page.html);
    };
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      // Browsers ask for /favicon.ico and the like; none of it touches the sign-in.
      send(redirectPage({ ok: false, title: 'Not found', detail: 'This address only receives the Google sign-in redirect.' }, 404));
      return;
    }
    handle(url.searchParams).then(send, () =>
      send(redirectPage({ ok: false, title: 'Sign-in failed', detail: 'Something went wrong on this machine. Start the sign-in again.' }, 500)),
    );
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      resolve({
        redirectUri: `http://${hostPart}:${port}${CALLBACK_PATH}`,
        close: () => {
          // The page of the redirect that ended the sign-in is still being written: let it go first.
          server.close();
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        },
      });
    });
  });
}
