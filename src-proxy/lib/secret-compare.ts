// Constant-time comparison of a presented secret (an API key, a console token) with the configured one.
// Both sides are hashed first, so neither the content nor the length of the configured secret leaks
// through timing. The configured side's digest is kept: it changes when the user changes it, not per
// request.

import { hash, timingSafeEqual } from 'node:crypto';

function digest(s: string): Buffer {
  // One-shot hashing: no Hash object per call, and this runs on every authenticated request.
  return hash('sha256', s, 'buffer');
}

export class SecretMatcher {
  private secret: string | null = null;
  private secretDigest: Buffer | null = null;

  /** Whether `presented` equals `configured`; the digest of `configured` is reused while it stays the same. */
  matches(presented: string, configured: string): boolean {
    if (this.secret !== configured || this.secretDigest === null) {
      this.secret = configured;
      this.secretDigest = digest(configured);
    }
    return timingSafeEqual(digest(presented), this.secretDigest);
  }
}

/** One-off comparison, for callers that do not compare against the same secret again and again. */
export function secretsMatch(presented: string, configured: string): boolean {
  return timingSafeEqual(digest(presented), digest(configured));
}
