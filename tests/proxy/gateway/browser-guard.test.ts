import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BROWSER_MESSAGES, browserRefusal, checkBrowserRequest, type BrowserVerdict } from '../../../src-proxy/gateway/browser-guard.js';

const JSON_CT = { 'content-type': 'application/json' };

describe('checkBrowserRequest', () => {
  it.each<[string, string, string, IncomingHttpHeaders, BrowserVerdict | null]>([
    // What Claude Code and the SDKs send.
    ['Claude Code / SDK request', 'POST', '/v1/messages', { ...JSON_CT, 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, null],
    ['count_tokens from an SDK', 'POST', '/v1/messages/count_tokens', JSON_CT, null],
    ["Node's fetch (sends Sec-Fetch-Mode: cors, no Origin)", 'POST', '/v1/messages', { ...JSON_CT, 'sec-fetch-mode': 'cors' }, null],
    ['HEAD / probe', 'HEAD', '/', {}, null],
    ['GET /v1/models', 'GET', '/v1/models', {}, null],
    ['GET /healthz', 'GET', '/healthz', {}, null],
    // Content types accepted on the POST routes.
    ['JSON with a charset', 'POST', '/v1/messages', { 'content-type': 'application/json; charset=utf-8' }, null],
    ['JSON in upper case', 'POST', '/v1/messages', { 'content-type': 'Application/JSON' }, null],
    ['JSON with spaces', 'POST', '/v1/messages', { 'content-type': ' application/json ;charset=UTF-8' }, null],
    // Content types refused on the POST routes.
    ['text/plain (a simple fetch with a string body)', 'POST', '/v1/messages', { 'content-type': 'text/plain;charset=UTF-8' }, 'not_json'],
    ['no content-type (a fetch with a Blob body)', 'POST', '/v1/messages', {}, 'not_json'],
    ['an empty content-type', 'POST', '/v1/messages', { 'content-type': '' }, 'not_json'],
    ['a form post', 'POST', '/v1/messages', { 'content-type': 'application/x-www-form-urlencoded' }, 'not_json'],
    ['a multipart form', 'POST', '/v1/messages', { 'content-type': 'multipart/form-data; boundary=x' }, 'not_json'],
    ['text/plain to count_tokens', 'POST', '/v1/messages/count_tokens', { 'content-type': 'text/plain' }, 'not_json'],
    ['a JSON look-alike type', 'POST', '/v1/messages', { 'content-type': 'application/json-seq' }, 'not_json'],
    ['a +json type', 'POST', '/v1/messages', { 'content-type': 'application/vnd.api+json' }, 'not_json'],
    ['JSON only as a parameter', 'POST', '/v1/messages', { 'content-type': 'text/plain; x=application/json' }, 'not_json'],
    ['the route in another case (matched loosely, whatever the router does)', 'POST', '/V1/Messages', { 'content-type': 'text/plain' }, 'not_json'],
    ['the route with a trailing slash', 'POST', '/v1/messages/', {}, 'not_json'],
    // Content type is not judged elsewhere.
    ['POST to an unknown path without content-type', 'POST', '/v1/complete', {}, null],
    ['GET on the messages path', 'GET', '/v1/messages', {}, null],
    // Origins.
    ['a foreign site', 'POST', '/v1/messages', { ...JSON_CT, origin: 'https://some.site' }, 'cross_site_origin'],
    ['a foreign site, text/plain', 'POST', '/v1/messages', { 'content-type': 'text/plain', origin: 'https://some.site' }, 'cross_site_origin'],
    ['Origin: null (sandboxed frame, file: page)', 'POST', '/v1/messages', { ...JSON_CT, origin: 'null' }, 'cross_site_origin'],
    ['an empty Origin', 'POST', '/v1/messages', { ...JSON_CT, origin: '' }, 'cross_site_origin'],
    ['a foreign site on GET', 'GET', '/v1/models', { origin: 'https://some.site' }, 'cross_site_origin'],
    ['a LAN page', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://192.168.1.20:8080' }, 'cross_site_origin'],
    ['a name that starts with localhost', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://localhost.evil.example' }, 'cross_site_origin'],
    ['a name that starts with 127.', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://127.0.0.1.nip.io:8045' }, 'cross_site_origin'],
    ['a file: origin', 'POST', '/v1/messages', { ...JSON_CT, origin: 'file://' }, 'cross_site_origin'],
    ['a browser extension', 'POST', '/v1/messages', { ...JSON_CT, origin: 'chrome-extension://abcdef' }, 'cross_site_origin'],
    [
      'a loopback origin joined with a foreign one',
      'POST',
      '/v1/messages',
      { ...JSON_CT, origin: 'http://127.0.0.1:3000, https://some.site' },
      'cross_site_origin',
    ],
    ['a foreign origin beats a missing content-type', 'POST', '/v1/messages', { origin: 'https://some.site' }, 'cross_site_origin'],
    ['loopback http://127.0.0.1:*', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://127.0.0.1:5173' }, null],
    ['loopback http://localhost:*', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://localhost:3000' }, null],
    ['loopback http://[::1]:*', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://[::1]:8080' }, null],
    ['loopback without a port', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://localhost' }, null],
    ['loopback over https', 'POST', '/v1/messages', { ...JSON_CT, origin: 'https://localhost:8443' }, null],
    ['another 127/8 address', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://127.0.0.2:3000' }, null],
    ['LOCALHOST in upper case', 'POST', '/v1/messages', { ...JSON_CT, origin: 'http://LOCALHOST:3000' }, null],
    ['a loopback page still needs JSON', 'POST', '/v1/messages', { 'content-type': 'text/plain', origin: 'http://localhost:3000' }, 'not_json'],
    [
      'a loopback page the browser calls cross-site (localhost -> 127.0.0.1)',
      'POST',
      '/v1/messages',
      { ...JSON_CT, origin: 'http://localhost:3000', 'sec-fetch-site': 'cross-site' },
      null,
    ],
    // Sec-Fetch-Site without an Origin.
    ['Sec-Fetch-Site: cross-site', 'POST', '/v1/messages', { ...JSON_CT, 'sec-fetch-site': 'cross-site' }, 'cross_site_fetch'],
    ['Sec-Fetch-Site: cross-site, text/plain', 'POST', '/v1/messages', { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' }, 'cross_site_fetch'],
    ['Sec-Fetch-Site in upper case', 'POST', '/v1/messages', { ...JSON_CT, 'sec-fetch-site': 'Cross-Site' }, 'cross_site_fetch'],
    ['a cross-site GET (an image or a link)', 'GET', '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }, 'cross_site_fetch'],
    ['Sec-Fetch-Site: same-origin', 'POST', '/v1/messages', { ...JSON_CT, 'sec-fetch-site': 'same-origin' }, null],
    ['Sec-Fetch-Site: same-site', 'POST', '/v1/messages', { ...JSON_CT, 'sec-fetch-site': 'same-site' }, null],
    ['Sec-Fetch-Site: none (typed into the address bar)', 'GET', '/', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }, null],
  ])('%s: %s %s -> %s', (_name, method, path, headers, verdict) => {
    expect(checkBrowserRequest(method, path, headers)).toBe(verdict);
  });
});

describe('browserRefusal', () => {
  it.each<[BrowserVerdict, number, string]>([
    ['cross_site_origin', 403, 'permission_error'],
    ['cross_site_fetch', 403, 'permission_error'],
    ['not_json', 415, 'invalid_request_error'],
  ])('%s -> %s %s', (verdict, status, type) => {
    const err = browserRefusal(verdict);
    expect(err.status).toBe(status);
    expect(err.type).toBe(type);
    expect(err.message).toBe(BROWSER_MESSAGES[verdict]);
  });

  it('tells a client with the wrong content type what to send', () => {
    expect(BROWSER_MESSAGES.not_json).toMatch(/content-type: application\/json/);
  });
});
