// The one table of what each failure kind means to a client: the status and Anthropic error type it
// gets when the gateway gives up before a 200, the error type of the `event: error` that ends a stream
// after one, and whether a client should try again. Providers classify their upstream's answers into
// kinds; the gateway renders kinds through this table; nobody else maps kinds to statuses.

import { errorTypeForStatus, type ErrorType } from '../anthropic/errors.js';
import type { FailureKind } from '../contract/index.js';

export interface FailureRow {
  /** Status for the client when the upstream gave none worth passing on. */
  status: number;
  /** Pass the upstream's own status on when it has one in this range (a 4xx the client must fix, a 5xx). */
  upstreamStatus: readonly [min: number, max: number] | null;
  /** With `upstreamStatus` passed on: the error type follows that status (413 is request_too_large). */
  errorType: ErrorType | 'by_status';
  /** Type of the `event: error` when the failure ends a stream that is already under way. */
  streamErrorType: 'overloaded_error' | 'api_error';
  /** Pass the upstream's wait on as `retry-after`. */
  sayWait: boolean;
  /** Send `x-should-retry: false`: a client retry cannot help (the request, the key, the permission or the quota must change first). */
  sayNoRetry: boolean;
}

export const FAILURE_TABLE: Readonly<Record<FailureKind, FailureRow>> = Object.freeze({
  invalid: { status: 400, upstreamStatus: [400, 499], errorType: 'by_status', streamErrorType: 'api_error', sayWait: false, sayNoRetry: true },
  rate_limit: { status: 429, upstreamStatus: null, errorType: 'rate_limit_error', streamErrorType: 'api_error', sayWait: true, sayNoRetry: false },
  quota: { status: 429, upstreamStatus: null, errorType: 'rate_limit_error', streamErrorType: 'api_error', sayWait: true, sayNoRetry: true },
  // Not 401/403: those would tell Claude Code its own key is wrong and send the user to /login.
  auth: { status: 502, upstreamStatus: null, errorType: 'api_error', streamErrorType: 'api_error', sayWait: false, sayNoRetry: true },
  forbidden: { status: 502, upstreamStatus: null, errorType: 'api_error', streamErrorType: 'api_error', sayWait: false, sayNoRetry: true },
  not_found: { status: 404, upstreamStatus: null, errorType: 'not_found_error', streamErrorType: 'api_error', sayWait: false, sayNoRetry: true },
  overloaded: { status: 529, upstreamStatus: null, errorType: 'overloaded_error', streamErrorType: 'overloaded_error', sayWait: true, sayNoRetry: false },
  timeout: { status: 504, upstreamStatus: null, errorType: 'timeout_error', streamErrorType: 'overloaded_error', sayWait: true, sayNoRetry: false },
  network: { status: 502, upstreamStatus: null, errorType: 'api_error', streamErrorType: 'overloaded_error', sayWait: true, sayNoRetry: false },
  stream: { status: 502, upstreamStatus: null, errorType: 'api_error', streamErrorType: 'overloaded_error', sayWait: true, sayNoRetry: false },
  server: { status: 500, upstreamStatus: [500, 599], errorType: 'api_error', streamErrorType: 'api_error', sayWait: true, sayNoRetry: false },
});

/** The client status and error type for a failure: the upstream's own status when the table passes it on. */
export function clientError(kind: FailureKind, upstream: number | null): { status: number; type: ErrorType } {
  const row = FAILURE_TABLE[kind];
  const passed =
    upstream !== null &&
    row.upstreamStatus !== null &&
    upstream >= row.upstreamStatus[0] &&
    upstream <= row.upstreamStatus[1] &&
    // A 401 or 403 means the client's own key to Claude Code; never pass an upstream's on.
    upstream !== 401 &&
    upstream !== 403;
  const status = passed ? upstream : row.status;
  return { status, type: row.errorType === 'by_status' ? errorTypeForStatus(status) : row.errorType };
}

const KIND_BY_ERROR_TYPE: Readonly<Record<string, FailureKind>> = Object.freeze({
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limit',
  api_error: 'server',
  authentication_error: 'auth',
  permission_error: 'forbidden',
  not_found_error: 'not_found',
  invalid_request_error: 'invalid',
  request_too_large: 'invalid',
  timeout_error: 'timeout',
  billing_error: 'quota',
});

/** The kind of an Anthropic error type an upstream sent (in a body or an `event: error`). */
export function kindOfErrorType(type: string): FailureKind {
  // The type is the upstream's text: an own-property lookup, so `constructor` is not a kind.
  return Object.hasOwn(KIND_BY_ERROR_TYPE, type) ? KIND_BY_ERROR_TYPE[type]! : 'server';
}
