// Maps what an Anthropic-compatible upstream answered into the failure kinds the retry policy knows.
// Pure functions, table-tested: the status decides first, the error body refines (quota wording,
// overloaded_error on a 5xx), the headers give the wait.

import type { FailureKind } from '../../contract/index.js';
import { header, retryAfterHeaderMs, type Headers } from '../shared/retry-hints.js';
import type { UpstreamFailure } from '../types.js';

export type { Headers } from '../shared/retry-hints.js';

const RATE_LIMIT_FAMILIES = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

/**
 * How long the upstream asked us to wait, in ms: `retry-after-ms`, then `retry-after` (seconds or an
 * HTTP date), then the reset time of an exhausted `anthropic-ratelimit-*` window.
 */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const hinted = retryAfterHeaderMs(headers, now);
  if (hinted !== null) return hinted;
  let exhausted: number | null = null;
  for (const family of RATE_LIMIT_FAMILIES) {
    const reset = header(headers, `anthropic-ratelimit-${family}-reset`);
    if (reset === undefined || header(headers, `anthropic-ratelimit-${family}-remaining`) !== '0') continue;
    const at = Date.parse(reset);
    if (Number.isFinite(at)) exhausted = Math.max(exhausted ?? 0, at - now);
  }
  return exhausted === null ? null : Math.max(0, exhausted);
}

/** The Anthropic error body's type and message, or the first bytes of a non-JSON body. */
export function readErrorBody(text: string): { type: string | null; message: string; json: unknown } {
  try {
    const json = JSON.parse(text) as { error?: { type?: unknown; message?: unknown }; message?: unknown };
    const type = typeof json.error?.type === 'string' ? json.error.type : null;
    const message = typeof json.error?.message === 'string' ? json.error.message : typeof json.message === 'string' ? json.message : text.slice(0, 500);
    return { type, message, json };
  } catch {
    return { type: null, message: text.slice(0, 500).trim(), json: undefined };
  }
}

const QUOTA_WORDING = /quota|credit balance|insufficient[_ ]balance|billing|usage limit|exceeded your current|plan limit/i;
/** Anthropic answers an exhausted prepaid balance with 400 invalid_request_error: the account is out, not the request. */
const CREDIT_WORDING = /credit balance is too low/i;

export function kindForStatus(status: number, errorType: string | null, message: string): FailureKind {
  if (errorType === 'overloaded_error') return 'overloaded';
  switch (status) {
    case 400:
      return CREDIT_WORDING.test(message) ? 'quota' : 'invalid';
    case 401:
      return 'auth';
    case 402:
      return 'quota';
    case 403:
      return 'forbidden';
    case 404:
    case 405:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 429:
      return QUOTA_WORDING.test(message) ? 'quota' : 'rate_limit';
    case 503:
    case 529:
      return 'overloaded';
    default:
      if (status >= 500) return 'server';
      return 'invalid';
  }
}

/** A non-2xx upstream answer as a failure; `secret` is scrubbed from anything kept. */
export function classifyHttpFailure(status: number, headers: Headers, bodyText: string, now: number, secret: string): UpstreamFailure {
  const scrubbed = secret ? bodyText.split(secret).join('***') : bodyText;
  const body = readErrorBody(scrubbed);
  const kind = kindForStatus(status, body.type, body.message);
  const failure: UpstreamFailure = {
    kind,
    status,
    message: body.message || `upstream answered ${status}`,
    retryAfterMs: retryAfterMs(headers, now),
  };
  if (kind === 'invalid' && body.type !== null) failure.clientBody = body.json;
  return failure;
}
