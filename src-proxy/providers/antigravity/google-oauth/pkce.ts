// Proof Key for Code Exchange (RFC 7636, method S256): the code a browser carries back is worth
// nothing without the verifier, which never leaves this process.

import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** 64 random bytes: an 86-character verifier, inside the 43..128 the RFC allows. */
export function createPkce(): Pkce {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** BASE64URL(SHA256(ASCII(verifier))), unpadded. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state`, so a redirect this sign-in did not start is refused. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
