// The sign-in URL asks for exactly what a refresh token for Code Assist needs.

import { describe, expect, it } from 'vitest';
import { buildAuthorizationUrl, GOOGLE_SCOPES } from '../../../../../src-proxy/providers/antigravity/google-oauth/authorization-url.js';

const base = { clientId: 'cid.apps', redirectUri: 'http://127.0.0.1:5123/oauth2callback', state: 'st-1', codeChallenge: 'ch-1' };

describe('buildAuthorizationUrl', () => {
  it.each([
    ['client_id', 'cid.apps'],
    ['redirect_uri', 'http://127.0.0.1:5123/oauth2callback'],
    ['response_type', 'code'],
    ['access_type', 'offline'],
    ['prompt', 'select_account consent'],
    ['state', 'st-1'],
    ['code_challenge', 'ch-1'],
    ['code_challenge_method', 'S256'],
    ['scope', GOOGLE_SCOPES.join(' ')],
  ])('sets %s', (name, value) => {
    const url = new URL(buildAuthorizationUrl({ ...base, authUrl: 'https://accounts.example/o/oauth2/v2/auth' }));
    expect(url.searchParams.get(name)).toBe(value);
  });

  it('asks for the cloud platform, the email and the profile, and the Code Assist scopes', () => {
    expect(GOOGLE_SCOPES).toEqual(
      expect.arrayContaining([
        'https://www.googleapis.com/auth/cloud-platform',
        'https://www.googleapis.com/auth/userinfo.email',
        'https://www.googleapis.com/auth/userinfo.profile',
        'https://www.googleapis.com/auth/cclog',
        'https://www.googleapis.com/auth/experimentsandconfigs',
      ]),
    );
  });

  it('keeps the path and any query of a configured endpoint', () => {
    const url = new URL(buildAuthorizationUrl({ ...base, authUrl: 'http://127.0.0.1:9/proxy/auth?hd=example.com' }));
    expect(url.pathname).toBe('/proxy/auth');
    expect(url.searchParams.get('hd')).toBe('example.com');
    expect(url.searchParams.get('client_id')).toBe('cid.apps');
  });
});
