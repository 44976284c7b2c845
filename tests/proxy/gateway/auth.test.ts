import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AUTH_MODES, type AuthMode } from '../../../src-proxy/contract/index.js';
import { AUTH_MESSAGES, type AuthVerdict, checkAuth, presentedKey } from '../../../src-proxy/gateway/auth.js';

const KEY = 'sy-local-0123456789abcdef';

describe('presentedKey', () => {
  const table: Array<[string, IncomingHttpHeaders, string | null]> = [
    ['no headers', {}, null],
    // Authorization
    ['Authorization: Bearer', { authorization: `Bearer ${KEY}` }, KEY],
    ['bearer in lower case', { authorization: `bearer ${KEY}` }, KEY],
    ['BEARER in upper case', { authorization: `BEARER ${KEY}` }, KEY],
    ['Bearer with extra spaces', { authorization: `  Bearer    ${KEY}  ` }, KEY],
    ['Bearer with a tab', { authorization: `Bearer\t${KEY}` }, KEY],
    ['a raw Authorization value', { authorization: KEY }, KEY],
    ['a raw Authorization value with spaces around', { authorization: `  ${KEY} ` }, KEY],
    ['another scheme is taken as the raw value', { authorization: `Basic ${KEY}` }, `Basic ${KEY}`],
    // the API-key headers
    ['x-api-key', { 'x-api-key': KEY }, KEY],
    ['x-api-key with spaces around', { 'x-api-key': ` ${KEY} ` }, KEY],
    ['x-goog-api-key', { 'x-goog-api-key': KEY }, KEY],
    // blanks fall through to the next header
    ['a blank Authorization', { authorization: '   ', 'x-api-key': KEY }, KEY],
    ['an empty Authorization', { authorization: '', 'x-goog-api-key': KEY }, KEY],
    ['a blank x-api-key', { 'x-api-key': ' ', 'x-goog-api-key': KEY }, KEY],
    ['only blanks', { authorization: ' ', 'x-api-key': '', 'x-goog-api-key': '\t' }, null],
    // precedence: Authorization, then x-api-key, then x-goog-api-key
    ['Authorization before x-api-key', { authorization: 'Bearer from-auth', 'x-api-key': 'from-x-api-key' }, 'from-auth'],
    ['Authorization before x-goog-api-key', { authorization: 'from-auth', 'x-goog-api-key': 'from-goog' }, 'from-auth'],
    ['x-api-key before x-goog-api-key', { 'x-api-key': 'from-x-api-key', 'x-goog-api-key': 'from-goog' }, 'from-x-api-key'],
    ['all three', { authorization: 'Bearer a', 'x-api-key': 'b', 'x-goog-api-key': 'c' }, 'a'],
    // other headers are not keys
    ['an unrelated header', { 'api-key': KEY, cookie: `key=${KEY}` }, null],
  ];

  it.each(table)('%s', (_name, headers, expected) => {
    expect(presentedKey(headers)).toBe(expected);
  });
});

describe('checkAuth', () => {
  type HeaderCase = 'none' | 'right x-api-key' | 'right bearer' | 'right x-goog-api-key' | 'wrong key' | 'blank';
  const HEADERS: Record<HeaderCase, IncomingHttpHeaders> = {
    none: {},
    'right x-api-key': { 'x-api-key': KEY },
    'right bearer': { authorization: `Bearer ${KEY}` },
    'right x-goog-api-key': { 'x-goog-api-key': KEY },
    'wrong key': { 'x-api-key': 'not-the-key' },
    blank: { authorization: ' ', 'x-api-key': '' },
  };
  const PATHS = ['/v1/messages', '/v1/messages/count_tokens', '/v1/models', '/healthz', '/nope'] as const;

  /** The rules, written out: what each mode decides for a path and the headers sent. */
  function expected(mode: AuthMode, configured: string, path: string, headers: HeaderCase): AuthVerdict {
    if (mode === 'off') return 'allow';
    if (mode === 'all-except-health' && path === '/healthz') return 'allow';
    if (configured === '') return 'no_key_configured';
    if (headers === 'none' || headers === 'blank') return 'missing_key';
    if (headers === 'wrong key') return 'wrong_key';
    return 'allow';
  }

  const rows: Array<[AuthMode, string, string, HeaderCase, AuthVerdict]> = [];
  for (const mode of AUTH_MODES) {
    for (const configured of [KEY, '']) {
      for (const path of PATHS) {
        for (const headers of Object.keys(HEADERS) as HeaderCase[]) {
          rows.push([mode, configured, path, headers, expected(mode, configured, path, headers)]);
        }
      }
    }
  }

  it.each(rows)('mode %s, key %j, %s, %s -> %s', (mode, configured, path, headers, verdict) => {
    expect(checkAuth(mode, configured, path, HEADERS[headers])).toBe(verdict);
  });

  // A few rows spelled out, so the rules above cannot drift from what the design says.
  it.each<[string, AuthMode, string, string, IncomingHttpHeaders, AuthVerdict]>([
    ['off lets anything through', 'off', '', '/v1/messages', {}, 'allow'],
    ['strict guards /healthz too', 'strict', KEY, '/healthz', {}, 'missing_key'],
    ['all-except-health leaves /healthz open', 'all-except-health', KEY, '/healthz', {}, 'allow'],
    ['all-except-health guards the API', 'all-except-health', KEY, '/v1/messages', {}, 'missing_key'],
    ['auth on with an empty key denies even a presented key', 'strict', '', '/v1/messages', { 'x-api-key': 'anything' }, 'no_key_configured'],
    ['auth on with an empty key denies an empty bearer', 'strict', '', '/v1/messages', { authorization: 'Bearer ' }, 'no_key_configured'],
    [
      'a wrong bearer beside a right x-api-key is wrong (Authorization wins)',
      'strict',
      KEY,
      '/v1/messages',
      { authorization: 'Bearer nope', 'x-api-key': KEY },
      'wrong_key',
    ],
    ['only /healthz exactly is exempt', 'all-except-health', KEY, '/healthz/x', {}, 'missing_key'],
  ])('%s', (_name, mode, configured, path, headers, verdict) => {
    expect(checkAuth(mode, configured, path, headers)).toBe(verdict);
  });

  it('every refusal has a message that names no key', () => {
    for (const verdict of ['missing_key', 'wrong_key', 'no_key_configured'] as const) {
      expect(AUTH_MESSAGES[verdict]).toEqual(expect.any(String));
      expect(AUTH_MESSAGES[verdict]).not.toContain(KEY);
    }
  });
});
