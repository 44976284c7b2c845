import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src-proxy/anthropic/errors.js';
import { FAILURE_KINDS, type FailureKind } from '../../../src-proxy/contract/index.js';
import { failureFromErrorEvent, failureResponse, streamErrorEvent } from '../../../src-proxy/gateway/error-responses.js';
import type { UpstreamFailure } from '../../../src-proxy/providers/types.js';

const LABEL = 'work@example.com';
const failure = (kind: FailureKind, over: Partial<UpstreamFailure> = {}): UpstreamFailure => ({
  kind,
  status: null,
  message: 'upstream said no',
  retryAfterMs: null,
  ...over,
});

interface Expected {
  status: number;
  type: string;
  retryAfter: string | undefined;
  shouldRetry: string | undefined;
}

function answer(f: UpstreamFailure): Expected & { message: string } {
  const err = failureResponse(f, LABEL);
  expect(err).toBeInstanceOf(GatewayError);
  return {
    status: err.status,
    type: err.type,
    retryAfter: err.headers['retry-after'],
    shouldRetry: err.headers['x-should-retry'],
    message: err.message,
  };
}

describe('failureResponse', () => {
  // kind, failure details, what the client gets. `retry-after` only where waiting helps and a wait is
  // known; `x-should-retry: false` where retrying cannot help; never 401 for an upstream credential.
  const table: Array<[FailureKind, Partial<UpstreamFailure>, Expected]> = [
    ['invalid', { status: 400 }, { status: 400, type: 'invalid_request_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['invalid', { status: 413 }, { status: 413, type: 'request_too_large', retryAfter: undefined, shouldRetry: 'false' }],
    ['invalid', { status: 422 }, { status: 422, type: 'invalid_request_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['invalid', { status: null }, { status: 400, type: 'invalid_request_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['invalid', { status: 400, retryAfterMs: 5000 }, { status: 400, type: 'invalid_request_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['rate_limit', { status: 429 }, { status: 429, type: 'rate_limit_error', retryAfter: undefined, shouldRetry: undefined }],
    ['rate_limit', { status: 429, retryAfterMs: 30_000 }, { status: 429, type: 'rate_limit_error', retryAfter: '30', shouldRetry: undefined }],
    ['rate_limit', { status: 429, retryAfterMs: 1500 }, { status: 429, type: 'rate_limit_error', retryAfter: '2', shouldRetry: undefined }],
    ['rate_limit', { status: 429, retryAfterMs: 0 }, { status: 429, type: 'rate_limit_error', retryAfter: '1', shouldRetry: undefined }],
    ['quota', { status: 429 }, { status: 429, type: 'rate_limit_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['quota', { status: 402, retryAfterMs: 3_600_000 }, { status: 429, type: 'rate_limit_error', retryAfter: '3600', shouldRetry: 'false' }],
    ['auth', { status: 401 }, { status: 502, type: 'api_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['auth', { status: null, retryAfterMs: 1000 }, { status: 502, type: 'api_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['forbidden', { status: 403 }, { status: 502, type: 'api_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['not_found', { status: 404 }, { status: 404, type: 'not_found_error', retryAfter: undefined, shouldRetry: 'false' }],
    ['overloaded', { status: 529 }, { status: 529, type: 'overloaded_error', retryAfter: undefined, shouldRetry: undefined }],
    ['overloaded', { status: 503, retryAfterMs: 4000 }, { status: 529, type: 'overloaded_error', retryAfter: '4', shouldRetry: undefined }],
    ['server', { status: 500 }, { status: 500, type: 'api_error', retryAfter: undefined, shouldRetry: undefined }],
    ['server', { status: 502 }, { status: 502, type: 'api_error', retryAfter: undefined, shouldRetry: undefined }],
    ['server', { status: null }, { status: 500, type: 'api_error', retryAfter: undefined, shouldRetry: undefined }],
    ['server', { status: 418 }, { status: 500, type: 'api_error', retryAfter: undefined, shouldRetry: undefined }],
    ['network', {}, { status: 502, type: 'api_error', retryAfter: undefined, shouldRetry: undefined }],
    ['timeout', { status: 504 }, { status: 504, type: 'timeout_error', retryAfter: undefined, shouldRetry: undefined }],
    ['timeout', {}, { status: 504, type: 'timeout_error', retryAfter: undefined, shouldRetry: undefined }],
    ['stream', {}, { status: 502, type: 'api_error', retryAfter: undefined, shouldRetry: undefined }],
  ];

  it('the table covers every failure kind', () => {
    expect(new Set(table.map(([kind]) => kind))).toEqual(new Set(FAILURE_KINDS));
  });

  it.each(table)('%s %o -> %o', (kind, over, expected) => {
    expect(answer(failure(kind, over))).toMatchObject(expected);
  });

  it.each(FAILURE_KINDS.filter((k) => k !== 'invalid'))('%s: the message names the account and keeps the upstream words', (kind) => {
    const { message } = answer(failure(kind, { message: 'the upstream words' }));
    expect(message).toContain(`"${LABEL}"`);
    expect(message).toContain('the upstream words');
  });

  it('invalid: the upstream message is passed on unchanged, as the client must fix its request', () => {
    expect(answer(failure('invalid', { status: 400, message: 'max_tokens: Field required' })).message).toBe('max_tokens: Field required');
  });

  it.each([
    ['auth', 401],
    ['forbidden', 403],
  ] as const)('%s: the message carries the upstream status', (kind, status) => {
    expect(answer(failure(kind, { status })).message).toMatch(new RegExp(`\\(${status}[:)]`));
  });

  it.each(FAILURE_KINDS.filter((k) => k !== 'invalid'))(
    '%s: an upstream message about x-api-key is not shown as such, since Claude Code would blame its own key',
    (kind) => {
      const { message } = answer(failure(kind, { status: 401, message: 'invalid x-api-key' }));
      expect(message.toLowerCase()).not.toContain('x-api-key');
      expect(message).toContain('invalid API key');
    },
  );

  it('auth: names the account as out of service and says where to fix it', () => {
    const { message } = answer(failure('auth', { status: 401, message: 'invalid x-api-key' }));
    expect(message).toBe(
      `Upstream account "${LABEL}" is out of service: its upstream refused the account's key or sign-in (401: invalid API key). Fix the account's key in Switchyard (console → Accounts) or add another account.`,
    );
  });

  it('no headers beyond retry-after and x-should-retry', () => {
    for (const kind of FAILURE_KINDS) {
      const err = failureResponse(failure(kind, { retryAfterMs: 1000 }), LABEL);
      expect(
        Object.keys(err.headers).every((h) => h === 'retry-after' || h === 'x-should-retry'),
        kind,
      ).toBe(true);
    }
  });
});

describe('failureFromErrorEvent', () => {
  const table: Array<[string, FailureKind]> = [
    ['overloaded_error', 'overloaded'],
    ['rate_limit_error', 'rate_limit'],
    ['api_error', 'server'],
    ['authentication_error', 'auth'],
    ['permission_error', 'forbidden'],
    ['not_found_error', 'not_found'],
    ['invalid_request_error', 'invalid'],
    ['request_too_large', 'invalid'],
    ['timeout_error', 'timeout'],
    ['billing_error', 'quota'],
    ['some_future_error', 'server'],
    ['constructor', 'server'],
    ['toString', 'server'],
    ['__proto__', 'server'],
  ];

  it.each(table)('%s -> %s', (type, kind) => {
    const f = failureFromErrorEvent({ type, message: 'm' });
    expect(f.kind).toBe(kind);
    expect(f.status).toBeNull();
    expect(f.retryAfterMs).toBeNull();
    expect(f.message).toBe('m');
  });

  it.each(table)('%s: a clientBody only for the invalid kinds, as the error body the API would send', (type, kind) => {
    const f = failureFromErrorEvent({ type, message: 'm' });
    if (kind === 'invalid') expect(f.clientBody).toEqual({ type: 'error', error: { type, message: 'm' } });
    else expect(f.clientBody).toBeUndefined();
  });

  it.each<[string, { type?: unknown; message?: unknown }, FailureKind, string]>([
    ['no type', { message: 'm' }, 'server', 'm'],
    ['a numeric type', { type: 500, message: 'm' }, 'server', 'm'],
    ['no message: the type stands in', { type: 'overloaded_error' }, 'overloaded', 'overloaded_error'],
    ['nothing at all', {}, 'server', 'api_error'],
  ])('%s', (_name, error, kind, message) => {
    expect(failureFromErrorEvent(error)).toMatchObject({ kind, message });
  });
});

describe('streamErrorEvent', () => {
  const table: Array<[FailureKind, string]> = [
    ['overloaded', 'overloaded_error'],
    ['stream', 'overloaded_error'],
    ['network', 'overloaded_error'],
    ['timeout', 'overloaded_error'],
    ['rate_limit', 'api_error'],
    ['quota', 'api_error'],
    ['auth', 'api_error'],
    ['forbidden', 'api_error'],
    ['not_found', 'api_error'],
    ['server', 'api_error'],
    ['invalid', 'api_error'],
  ];

  it('the table covers every failure kind', () => {
    expect(new Set(table.map(([kind]) => kind))).toEqual(new Set(FAILURE_KINDS));
  });

  it.each(table)('%s -> event: error with %s', (kind, type) => {
    expect(streamErrorEvent(failure(kind, { message: 'it broke' }))).toEqual({ type: 'error', error: { type, message: 'it broke' } });
  });
});
