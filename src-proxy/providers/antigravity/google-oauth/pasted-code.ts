// What a user pastes to finish a sign-in: the bare authorization code, the whole URL the browser was
// sent back to (from the address bar of a tab that could not reach this machine), or just its query.

export type PastedCode =
  | { ok: true; code: string }
  /**
   * `state_mismatch`: the URL belongs to another sign-in; `denied`: Google sent an error back (the user
   * refused, or the request was wrong), with its code in `error`; `no_code`: nothing usable was given.
   */
  | { ok: false; reason: 'state_mismatch' | 'denied' | 'no_code'; error?: string };

/** Authorization codes are URL-safe text; anything else is not a code (and is never echoed back). */
const CODE_PATTERN = /^[A-Za-z0-9/_.~+-]{8,2048}$/;

export function parsePastedCode(text: string, expectedState: string): PastedCode {
  // Terminals and chat tools wrap what is copied in quotes or angle brackets.
  const trimmed = text.trim().replace(/^["'<]+|["'>]+$/g, '');
  const query = queryOf(trimmed);
  if (query === null) {
    // A bare code may still be percent-encoded, as copied out of a URL ("4%2F0Ab...").
    const code = safeDecode(trimmed);
    return code !== null && CODE_PATTERN.test(code) ? { ok: true, code } : { ok: false, reason: 'no_code' };
  }
  return fromRedirectQuery(query, expectedState);
}

/** The redirect's query as the loopback listener receives it: code and state, or Google's error. */
export function fromRedirectQuery(query: URLSearchParams, expectedState: string): PastedCode {
  // A redirect without this sign-in's state, a refusal included, cannot be told apart from a forged one:
  // Google sends the state back with its errors too, so only a matching one may end the sign-in.
  if (query.get('state') !== expectedState) return { ok: false, reason: 'state_mismatch' };
  const error = query.get('error');
  if (error !== null) return { ok: false, reason: 'denied', error: error.slice(0, 100) };
  const code = query.get('code');
  return code !== null && CODE_PATTERN.test(code) ? { ok: true, code } : { ok: false, reason: 'no_code' };
}

/** The query of a URL or of a bare `code=...&state=...`; null for anything that has neither. */
function queryOf(text: string): URLSearchParams | null {
  if (/^https?:\/\//i.test(text)) {
    try {
      return new URL(text).searchParams;
    } catch {
      return null;
    }
  }
  const bare = text.startsWith('?') ? text.slice(1) : text;
  if (/(^|&)(code|state|error)=/.test(bare)) return new URLSearchParams(bare);
  return null;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
