// PKCE as RFC 7636 defines S256; the expected challenges were computed apart, with openssl.

import { describe, expect, it } from 'vitest';
import { createPkce, createState, pkceChallenge } from '../../../../../src-proxy/providers/antigravity/google-oauth/pkce.js';

describe('PKCE', () => {
  it.each([
    ['dBjftJeZ4CVP-mJ92K9ZxbMzdL69VfvCv7QgJGN6eMo', 'JHAS3RItrNH99El1n4b0hKT-n6IABDZkA-DTB2Nt_yA'],
    ['a'.repeat(43), 'ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA'],
  ])('derives the S256 challenge of %s', (verifier, challenge) => {
    expect(pkceChallenge(verifier)).toBe(challenge);
  });

  it('makes a fresh verifier each time, within the allowed alphabet and length, with its challenge', () => {
    const a = createPkce();
    const b = createPkce();
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(a.challenge).toBe(pkceChallenge(a.verifier));
    expect(a.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes unguessable states', () => {
    expect(createState()).not.toBe(createState());
    expect(createState().length).toBeGreaterThanOrEqual(40);
  });
});
