// When a cached access token is worth using: not in its last minute, so a request that starts now does
// not reach the upstream with a token that expires on the way (and clocks that differ a little do not
// matter).

export const REFRESH_MARGIN_MS = 60_000;

export function isFresh(expiresAt: number, now: number, marginMs = REFRESH_MARGIN_MS): boolean {
  return now < expiresAt - marginMs;
}
