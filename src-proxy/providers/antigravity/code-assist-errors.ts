// Code Assist errors read like the Gemini API's (google-errors.ts), with one addition: a spent quota
// names its reset, in ErrorInfo's `quotaResetDelay` ("2h13m5.5s") or in the message ("Your quota will
// reset after 2h13m5s."). That reset, not a short RetryInfo, is how long the account is out for the model.

import { classifyGoogleFailure, googleRetryAfterMs, kindForGoogleError, readGoogleError, type GoogleError } from '../gemini/google-errors.js';
import type { Headers } from '../shared/retry-hints.js';
import type { UpstreamFailure } from '../types.js';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go-style duration ("1h2m3.5s", "750ms", "21s") in ms; null when it is not one. */
export function goDurationMs(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  if (s === '' || !/^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.ceil(total);
}

/** The quota reset a Code Assist error names, in ms from now; null when it names none. */
export function quotaResetMs(e: GoogleError): number | null {
  for (const d of e.details) {
    const metadata = (d as { metadata?: unknown }).metadata;
    if (typeof metadata !== 'object' || metadata === null) continue;
    const delay = goDurationMs((metadata as Record<string, unknown>).quotaResetDelay);
    if (delay !== null) return delay;
  }
  const m = /reset after ((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)/i.exec(e.message);
  return m ? goDurationMs(m[1]) : null;
}

/** A non-2xx Code Assist answer as a failure; `secret` (the access token) is scrubbed from anything kept. */
export function classifyCodeAssistFailure(httpStatus: number, headers: Headers, bodyText: string, now: number, secret: string): UpstreamFailure {
  const failure = classifyGoogleFailure(httpStatus, headers, bodyText, now, secret);
  if (httpStatus !== 429 && failure.kind !== 'rate_limit' && failure.kind !== 'quota') return failure;
  const e = readGoogleError(secret ? bodyText.split(secret).join('***') : bodyText);
  const reset = quotaResetMs(e);
  if (reset === null) return failure;
  const waitMs = Math.max(reset, googleRetryAfterMs(e, headers, now) ?? 0);
  return { ...failure, kind: kindForGoogleError(httpStatus, e, waitMs), retryAfterMs: waitMs };
}
