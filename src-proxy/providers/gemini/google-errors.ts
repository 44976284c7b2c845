// What a Google API answered, as the failure kinds the retry policy knows. Google's error bodies
// (`{error:{code,message,status,details}}`) say more than the status: RetryInfo gives the wait,
// QuotaFailure and ErrorInfo tell a per-minute limit (wait and retry) from a daily or exhausted quota
// (move on), and INVALID_ARGUMENT with API_KEY_INVALID is a bad key, not a bad request.

import type { FailureKind } from '../../contract/index.js';
import { durationMs, retryAfterHeaderMs, type Headers } from '../shared/retry-hints.js';
import type { UpstreamFailure } from '../types.js';

interface GoogleErrorDetail {
  '@type'?: unknown;
  reason?: unknown;
  retryDelay?: unknown;
  violations?: Array<{ quotaId?: unknown; description?: unknown }>;
}

export interface GoogleError {
  code: number | null;
  status: string | null;
  message: string;
  details: GoogleErrorDetail[];
}

/** The parts of a Google error body that matter; a body that is not one gives its first bytes as the message. */
export function readGoogleError(text: string): GoogleError {
  try {
    const json = JSON.parse(text) as { error?: { code?: unknown; status?: unknown; message?: unknown; details?: unknown } } | unknown[];
    // Streaming endpoints without alt=sse wrap the body in an array.
    const body = Array.isArray(json) ? (json[0] as { error?: Record<string, unknown> }) : json;
    const e = body?.error;
    if (e && typeof e === 'object') {
      return {
        code: typeof e.code === 'number' ? e.code : null,
        status: typeof e.status === 'string' ? e.status : null,
        message: typeof e.message === 'string' ? e.message : '',
        details: Array.isArray(e.details) ? (e.details as GoogleErrorDetail[]) : [],
      };
    }
  } catch {
    // Not JSON: a proxy's or a load balancer's page.
  }
  return { code: null, status: null, message: text.slice(0, 500).trim(), details: [] };
}

function detailOf(e: GoogleError, type: string): GoogleErrorDetail | undefined {
  return e.details.find((d) => typeof d['@type'] === 'string' && d['@type'].endsWith(type));
}

/** The wait Google asks for: RetryInfo, else "Please retry in 21.4s" in the message, else the headers. */
export function googleRetryAfterMs(e: GoogleError, headers: Headers, now: number): number | null {
  const info = durationMs(detailOf(e, 'google.rpc.RetryInfo')?.retryDelay);
  if (info !== null) return info;
  const m = /retry in (\d+(?:\.\d+)?)\s*s/i.exec(e.message);
  if (m) return Math.ceil(Number(m[1]) * 1000);
  return retryAfterHeaderMs(headers, now);
}

const TERMINAL_REASONS = new Set(['QUOTA_EXHAUSTED', 'MODEL_CAPACITY_EXHAUSTED', 'INSUFFICIENT_G1_CREDITS_BALANCE']);
/** Longer than this, a "rate limit" is a quota that will not come back within a request's life. */
const RATE_LIMIT_MAX_WAIT_MS = 300_000;

/** A 429 that clears soon (a per-minute limit) or one that does not (a daily quota, capacity gone). */
function exhaustionKind(e: GoogleError, waitMs: number | null): FailureKind {
  const reason = detailOf(e, 'google.rpc.ErrorInfo')?.reason;
  if (typeof reason === 'string' && TERMINAL_REASONS.has(reason)) return 'quota';
  const quotaIds = (detailOf(e, 'google.rpc.QuotaFailure')?.violations ?? []).map((v) => (typeof v.quotaId === 'string' ? v.quotaId : ''));
  if (quotaIds.some((id) => /PerDay|Daily/i.test(id))) return 'quota';
  if (/limit:\s*0\b/i.test(e.message)) return 'quota';
  if (waitMs !== null && waitMs > RATE_LIMIT_MAX_WAIT_MS) return 'quota';
  return 'rate_limit';
}

export function kindForGoogleError(httpStatus: number, e: GoogleError, waitMs: number | null): FailureKind {
  const reason = detailOf(e, 'google.rpc.ErrorInfo')?.reason;
  if (reason === 'API_KEY_INVALID' || /API key not valid/i.test(e.message)) return 'auth';
  switch (e.status ?? '') {
    case 'RESOURCE_EXHAUSTED':
      return exhaustionKind(e, waitMs);
    case 'UNAUTHENTICATED':
      return 'auth';
    case 'PERMISSION_DENIED':
      return 'forbidden';
    case 'NOT_FOUND':
      return 'not_found';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'INTERNAL':
    case 'UNKNOWN':
      return 'server';
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return 'invalid';
  }
  switch (httpStatus) {
    case 400:
      return 'invalid';
    case 401:
      return 'auth';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 429:
      return exhaustionKind(e, waitMs);
    case 503:
      return 'overloaded';
    case 504:
      return 'timeout';
    default:
      return httpStatus >= 500 ? 'server' : 'invalid';
  }
}

/** Google's context overflow, reworded the way Anthropic says it, so Claude Code compacts the conversation. */
function contextOverflow(message: string): string | null {
  const m = /input token count \(?(\d+)\)? exceeds the maximum number of tokens allowed \(?(\d+)\)?/i.exec(message);
  return m ? `prompt is too long: ${m[1]} tokens > ${m[2]} maximum` : null;
}

/** A non-2xx Google answer as a failure; `secret` is scrubbed from anything kept. */
export function classifyGoogleFailure(httpStatus: number, headers: Headers, bodyText: string, now: number, secret: string): UpstreamFailure {
  const scrubbed = secret ? bodyText.split(secret).join('***') : bodyText;
  const e = readGoogleError(scrubbed);
  const waitMs = googleRetryAfterMs(e, headers, now);
  const kind = kindForGoogleError(httpStatus, e, waitMs);
  const base = e.message || `upstream answered ${httpStatus}${e.status ? ` ${e.status}` : ''}`;
  if (kind === 'invalid') {
    const overflow = contextOverflow(base);
    const message = overflow ?? `upstream: ${base}`;
    return { kind, status: httpStatus, message, retryAfterMs: null, clientBody: { type: 'error', error: { type: 'invalid_request_error', message } } };
  }
  return { kind, status: httpStatus, message: base, retryAfterMs: waitMs };
}
