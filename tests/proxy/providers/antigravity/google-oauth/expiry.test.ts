// A cached access token is used until its last minute, never into it.

import { describe, expect, it } from 'vitest';
import { isFresh, REFRESH_MARGIN_MS } from '../../../../../src-proxy/providers/antigravity/google-oauth/expiry.js';

const EXPIRES = 10_000_000;

describe('isFresh', () => {
  it('refreshes a minute before expiry', () => {
    expect(REFRESH_MARGIN_MS).toBe(60_000);
  });

  it.each([
    ['long before expiry', EXPIRES - 3_000_000, true],
    ['just outside the margin', EXPIRES - REFRESH_MARGIN_MS - 1, true],
    ['at the margin', EXPIRES - REFRESH_MARGIN_MS, false],
    ['inside the margin', EXPIRES - 1000, false],
    ['at expiry', EXPIRES, false],
    ['after expiry', EXPIRES + 1, false],
  ])('%s', (_name, now, fresh) => {
    expect(isFresh(EXPIRES, now)).toBe(fresh);
  });

  it('takes another margin', () => {
    expect(isFresh(EXPIRES, EXPIRES - 5000, 1000)).toBe(true);
    expect(isFresh(EXPIRES, EXPIRES - 500, 1000)).toBe(false);
  });
});
