// Anthropic error bodies: every failure the gateway answers looks like one the real API would send,
// so clients (and Claude Code's string matching) behave as they do against the real thing.

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface ErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function errorTypeForStatus(status: number): ErrorType {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function errorBody(type: string, message: string, requestId?: string): ErrorBody {
  const body: ErrorBody = { type: 'error', error: { type, message } };
  if (requestId) body.request_id = requestId;
  return body;
}

/**
 * Whether a client should retry an error of this status. Claude Code retries what carries no advice for
 * minutes with backoff (a wrong gateway key took about three), so every answer that a retry cannot fix
 * (a 4xx other than a timeout, a conflict or a rate limit) says so with `x-should-retry: false`.
 */
export function retryCannotFix(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;
}

/** The error's own headers, with `x-should-retry: false` added where a retry cannot fix it. */
export function withRetryAdvice(status: number, headers: Record<string, string> = {}): Record<string, string> {
  if (!retryCannotFix(status) || headers['x-should-retry'] !== undefined) return headers;
  return { ...headers, 'x-should-retry': 'false' };
}

/** An error the gateway answers itself, before or instead of any upstream. */
export class GatewayError extends Error {
  readonly type: ErrorType;
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    type?: ErrorType,
  ) {
    super(message);
    this.name = 'GatewayError';
    this.type = type ?? errorTypeForStatus(status);
  }
}
