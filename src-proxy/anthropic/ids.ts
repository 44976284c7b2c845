import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id in the API's style (`msg_01…`, `req_01…`, `toolu_01…`): a prefix and 24 base62 characters. */
export function newId(prefix: 'msg' | 'req' | 'toolu'): string {
  const bytes = randomBytes(24);
  let out = `${prefix}_01`;
  for (let i = 0; i < 22; i++) out += ALPHABET[bytes[i]! % 62];
  return out;
}
