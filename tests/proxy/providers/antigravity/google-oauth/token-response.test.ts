// The token endpoint's answers as tokens or as failure kinds: only a dead grant blames the account.

import { describe, expect, it } from 'vitest';
import { classifyTokenError, isRevokedGrant, parseTokenResponse } from '../../../../../src-proxy/providers/antigravity/google-oauth/token-response.js';

const NOW = 1_000_000;

describe('parseTokenResponse', () => {
  it.each([
    [
      'a code exchange',
      { access_token: 'fake-access.a', expires_in: 3599, refresh_token: '1//r', token_type: 'Bearer' },
      { accessToken: 'fake-access.a', expiresAt: NOW + 3_599_000, refreshToken: '1//r' },
    ],
    [
      'a refresh',
      { access_token: 'fake-access.b', expires_in: 3599, scope: 's', token_type: 'Bearer' },
      { accessToken: 'fake-access.b', expiresAt: NOW + 3_599_000, refreshToken: null },
    ],
    [
      'a token without a lifetime (an hour assumed)',
      { access_token: 'fake-access.c' },
      { accessToken: 'fake-access.c', expiresAt: NOW + 3_600_000, refreshToken: null },
    ],
    [
      'a nonsense lifetime',
      { access_token: 'fake-access.d', expires_in: -5, refresh_token: '' },
      { accessToken: 'fake-access.d', expiresAt: NOW + 3_600_000, refreshToken: null },
    ],
  ])('reads %s', (_name, body, tokens) => {
    expect(parseTokenResponse(200, JSON.stringify(body), NOW)).toEqual({ ok: true, tokens });
  });

  it.each([
    ['no access token', '{"token_type":"Bearer"}'],
    ['not JSON', '<html>proxy login</html>'],
    ['a list', '[]'],
  ])('treats a 2xx with %s as the endpoint failing', (_name, text) => {
    const r = parseTokenResponse(200, text, NOW);
    expect(r).toMatchObject({ ok: false, failure: { kind: 'server', status: 200 } });
  });
});

describe('classifyTokenError', () => {
  it.each([
    [400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, 'auth', 'invalid_grant'],
    [400, { error: 'invalid_grant', error_description: 'Bad Request' }, 'auth', 'invalid_grant'],
    [401, { error: 'invalid_client', error_description: 'Unauthorized' }, 'server', 'invalid_client'],
    [400, { error: 'unauthorized_client' }, 'server', 'unauthorized_client'],
    [400, { error: 'redirect_uri_mismatch' }, 'server', 'redirect_uri_mismatch'],
    [429, { error: 'rate_limit_exceeded' }, 'rate_limit', 'rate_limit_exceeded'],
    [500, { error: 'internal_failure' }, 'server', 'internal_failure'],
    [503, 'Service Unavailable', 'server', null],
    [403, '<html>blocked</html>', 'server', null],
  ])('HTTP %i %j is %s', (status, body, kind, oauthError) => {
    const f = classifyTokenError(status, typeof body === 'string' ? body : JSON.stringify(body));
    expect(f).toMatchObject({ kind, status, oauthError });
    expect(isRevokedGrant(f)).toBe(oauthError === 'invalid_grant');
  });

  it("words the failure with Google's code and description, on one line", () => {
    const f = classifyTokenError(400, JSON.stringify({ error: 'invalid_grant', error_description: 'Token has been\nexpired or revoked.' }));
    expect(f.message).toBe('token endpoint refused: invalid_grant (Token has been expired or revoked.)');
    expect(classifyTokenError(502, '').message).toBe('token endpoint refused: HTTP 502');
  });
});
