import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ID_CHARS = 22;

// One system call fills randomness for a few hundred ids; a call per request showed up in profiles.
const pool = Buffer.allocUnsafe(ID_CHARS * 256);
let offset = pool.length;

/** An id in the API's style (`msg_01…`, `req_01…`, `toolu_01…`): a prefix and 24 base62 characters. */
export function newId(prefix: 'msg' | 'req' | 'toolu'): string {
  if (offset + ID_CHARS > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = `${prefix}_01`;
  for (let i = 0; i < ID_CHARS; i++) out += ALPHABET[pool[offset + i]! % 62];
  offset += ID_CHARS;
  return out;
}
