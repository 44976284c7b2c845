// The rate-limit windows an Anthropic-compatible upstream reports on every answer (pure):
// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`. Kept
// per account, they let the gateway turn away from an account whose window is used up before the
// upstream answers 429.

import { RATE_LIMIT_WINDOWS, type RateLimit } from '../../contract/index.js';
import { header, type Headers } from '../shared/retry-hints.js';

function count(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The windows the headers name, in a fixed order; none when the upstream sends no such headers. */
export function readRateLimits(headers: Headers): RateLimit[] {
  const out: RateLimit[] = [];
  for (const window of RATE_LIMIT_WINDOWS) {
    const limit = count(header(headers, `anthropic-ratelimit-${window}-limit`));
    const remaining = count(header(headers, `anthropic-ratelimit-${window}-remaining`));
    const reset = header(headers, `anthropic-ratelimit-${window}-reset`);
    const at = reset === undefined ? NaN : Date.parse(reset);
    if (limit === null && remaining === null) continue;
    out.push({ window, limit, remaining, resets_at: Number.isFinite(at) ? at : null });
  }
  return out;
}
