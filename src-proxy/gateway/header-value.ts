// Response headers carry values the gateway did not write itself (account labels, model names from the
// user's rules). Node throws on a character a header cannot hold, and a very long value breaks clients,
// so nothing reaches a header unchecked.

const MAX_HEADER_VALUE = 256;
const SAFE = /^[\x20-\x7e]*$/;

/** `value` as it is when it is short printable ASCII; otherwise its UTF-8 bytes percent-encoded, cut to length. */
export function headerValue(value: string): string {
  if (value.length <= MAX_HEADER_VALUE && SAFE.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value.slice(0, MAX_HEADER_VALUE), 'utf8')) {
    const piece = byte >= 0x20 && byte < 0x7f && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (out.length + piece.length > MAX_HEADER_VALUE) break;
    out += piece;
  }
  return out;
}
