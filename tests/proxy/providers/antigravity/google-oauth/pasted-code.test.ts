// What a user may paste to finish a sign-in, and what is refused.

import { describe, expect, it } from 'vitest';
import { parsePastedCode } from '../../../../../src-proxy/providers/antigravity/google-oauth/pasted-code.js';

const STATE = 'state-abc';
const CODE = '4/0AfJohXk-Example_code.1';

describe('parsePastedCode', () => {
  it.each([
    ['a bare code', CODE, { ok: true, code: CODE }],
    ['a bare code with spaces around it', `  ${CODE}\n`, { ok: true, code: CODE }],
    ['a quoted code', `"${CODE}"`, { ok: true, code: CODE }],
    ['a URL in angle brackets', `<http://127.0.0.1:5000/oauth2callback?state=${STATE}&code=${encodeURIComponent(CODE)}>`, { ok: true, code: CODE }],
    ['a percent-encoded bare code', encodeURIComponent(CODE), { ok: true, code: CODE }],
    ['the whole redirect URL', `http://127.0.0.1:5000/oauth2callback?state=${STATE}&code=${encodeURIComponent(CODE)}&scope=x`, { ok: true, code: CODE }],
    ['an https redirect URL', `https://host.example/cb?code=${encodeURIComponent(CODE)}&state=${STATE}`, { ok: true, code: CODE }],
    ['just the query', `?code=${encodeURIComponent(CODE)}&state=${STATE}`, { ok: true, code: CODE }],
    ['the query without its question mark', `code=${encodeURIComponent(CODE)}&state=${STATE}`, { ok: true, code: CODE }],
    ['a URL of another sign-in', `http://127.0.0.1:5000/oauth2callback?state=other&code=${CODE}`, { ok: false, reason: 'state_mismatch' }],
    ['a URL without state', `http://127.0.0.1:5000/oauth2callback?code=${CODE}`, { ok: false, reason: 'state_mismatch' }],
    ['a refusal', `http://127.0.0.1:5000/oauth2callback?error=access_denied&state=${STATE}`, { ok: false, reason: 'denied', error: 'access_denied' }],
    ['a URL with neither code nor error', `http://127.0.0.1:5000/oauth2callback?state=${STATE}`, { ok: false, reason: 'no_code' }],
    ['text that is no code', 'hello there, this is not it', { ok: false, reason: 'no_code' }],
    ['something too short to be a code', 'abc', { ok: false, reason: 'no_code' }],
    ['markup', '<script>alert(1)</script>', { ok: false, reason: 'no_code' }],
    ['a broken escape', '%E0%A4%A', { ok: false, reason: 'no_code' }],
  ])('%s', (_name, text, expected) => {
    expect(parsePastedCode(text, STATE)).toEqual(expected);
  });
});
