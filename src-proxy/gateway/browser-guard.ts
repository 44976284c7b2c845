// Cross-site browser requests. Any web page the user visits can send a "simple" request to
// http://127.0.0.1:8045 without a CORS preflight (a fetch with a text/plain or Blob body, a form post),
// and with auth off the gateway would spend upstream quota on it; a page cannot read the answer, but the
// tokens are spent. The Host guard stops DNS rebinding; this stops the plain cross-site request.
//
// Browsers say where a request comes from: Origin on every cross-origin POST (`null` from sandboxed
// frames, file: pages and some redirects), Sec-Fetch-Site on every request. Claude Code and the SDKs
// send neither, and they send `content-type: application/json`, which a page can only send cross-origin
// after a preflight, and the gateway answers no preflight with CORS headers. So:
//   - an Origin that is not a loopback page is refused (403);
//   - without an Origin, `Sec-Fetch-Site: cross-site` is refused (403): cross-site GETs and navigations;
//   - on the POST routes, a body that is not declared JSON is refused (415), missing content-type
//     included (a fetch with a Blob body sends none).
// A loopback Origin decides alone: a page on http://localhost:5173 calling 127.0.0.1 is marked
// cross-site by the browser (another host name), yet it is the user's own local tool.

import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../anthropic/errors.js';

export type BrowserVerdict = 'cross_site_origin' | 'cross_site_fetch' | 'not_json';

export const BROWSER_MESSAGES: Record<BrowserVerdict, string> = {
  cross_site_origin:
    'Cross-site browser request refused: only pages on http://127.0.0.1, http://localhost or http://[::1] may call this gateway, so a site you visit cannot spend your upstream quota. Claude Code and the Anthropic SDKs send no Origin and are not affected.',
  cross_site_fetch:
    'Cross-site browser request refused (Sec-Fetch-Site: cross-site): a site you visit cannot use this gateway. Claude Code and the Anthropic SDKs are not affected.',
  not_json: 'Unsupported content type: send the request body as JSON with content-type: application/json.',
};

const STATUS: Record<BrowserVerdict, number> = { cross_site_origin: 403, cross_site_fetch: 403, not_json: 415 };

/** The Anthropic-shaped error the gateway answers for a refused request. */
export function browserRefusal(verdict: BrowserVerdict): GatewayError {
  return new GatewayError(STATUS[verdict], BROWSER_MESSAGES[verdict], {}, verdict === 'not_json' ? 'invalid_request_error' : 'permission_error');
}

/** Routes that take a JSON body and spend upstream calls. */
const JSON_ROUTES = new Set(['/v1/messages', '/v1/messages/count_tokens']);

/** An IPv4 literal in 127.0.0.0/8, as the URL parser writes it (it turns 127.1 or 0x7f.1 into 127.0.0.1). */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null`, an empty value, two origins joined by a comma
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.hostname === 'localhost' || url.hostname === '[::1]' || LOOPBACK_V4.test(url.hostname);
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(',')).map((v) => v.trim().toLowerCase());
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Matched loosely (any case, trailing slashes), so a router lenient about either cannot let a text/plain
 * body through; on a path no route serves, the stricter answer costs nothing.
 */
function routeOf(path: string): string {
  return path.toLowerCase().replace(/\/+$/, '');
}

/** null when the request may go on; otherwise why it is refused. */
export function checkBrowserRequest(method: string, path: string, headers: IncomingHttpHeaders): BrowserVerdict | null {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!isLoopbackOrigin(origin)) return 'cross_site_origin';
  } else if (headerValues(headers['sec-fetch-site']).includes('cross-site')) {
    return 'cross_site_fetch';
  }
  if (method === 'POST' && JSON_ROUTES.has(routeOf(path)) && !isJsonContentType(headers['content-type'])) return 'not_json';
  return null;
}
