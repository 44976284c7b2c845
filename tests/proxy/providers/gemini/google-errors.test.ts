import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../../../../src-proxy/contract/index.js';
import { classifyGoogleFailure } from '../../../../src-proxy/providers/gemini/google-errors.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');

const body = (code: number, status: string, message: string, details: unknown[] = []) => JSON.stringify({ error: { code, message, status, details } });
const retryInfo = (delay: string) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
const quotaFailure = (quotaId: string) => ({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId }] });
const errorInfo = (reason: string) => ({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' });

describe('classifyGoogleFailure', () => {
  it.each<[string, number, string, FailureKind, number | null]>([
    [
      'a per-minute limit with RetryInfo waits as long as Google says',
      429,
      body(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota. Please retry in 21.4s.', [
        quotaFailure('GenerateRequestsPerMinutePerProjectPerModel'),
        retryInfo('21s'),
        errorInfo('RATE_LIMIT_EXCEEDED'),
      ]),
      'rate_limit',
      21_000,
    ],
    [
      'the wait read from the message when RetryInfo is missing',
      429,
      body(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded. Please retry in 2.5s.'),
      'rate_limit',
      2500,
    ],
    [
      'a daily quota is a quota, not a rate limit',
      429,
      body(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', [quotaFailure('GenerateRequestsPerDayPerProjectPerModel'), retryInfo('40s')]),
      'quota',
      40_000,
    ],
    [
      '"limit: 0" (no quota at all on this tier) is a quota',
      429,
      body(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for metric ... limit: 0, model: gemini-3-pro'),
      'quota',
      null,
    ],
    ['capacity exhausted is a quota', 429, body(429, 'RESOURCE_EXHAUSTED', 'No capacity', [errorInfo('MODEL_CAPACITY_EXHAUSTED')]), 'quota', null],
    ['a wait longer than five minutes is a quota', 429, body(429, 'RESOURCE_EXHAUSTED', 'slow', [retryInfo('3600s')]), 'quota', 3_600_000],
    [
      'an invalid API key (400!) is an auth failure',
      400,
      body(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [errorInfo('API_KEY_INVALID')]),
      'auth',
      null,
    ],
    ['UNAUTHENTICATED', 401, body(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'), 'auth', null],
    ['PERMISSION_DENIED', 403, body(403, 'PERMISSION_DENIED', 'The caller does not have permission'), 'forbidden', null],
    ['NOT_FOUND', 404, body(404, 'NOT_FOUND', 'models/gemini-9 is not found for API version v1beta'), 'not_found', null],
    ['UNAVAILABLE is overload', 503, body(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'), 'overloaded', null],
    ['DEADLINE_EXCEEDED', 504, body(504, 'DEADLINE_EXCEEDED', 'Deadline expired'), 'timeout', null],
    ['INTERNAL', 500, body(500, 'INTERNAL', 'An internal error has occurred.'), 'server', null],
    ['INVALID_ARGUMENT is the request', 400, body(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name "foo"'), 'invalid', null],
    ['FAILED_PRECONDITION is the request', 400, body(400, 'FAILED_PRECONDITION', 'User location is not supported'), 'invalid', null],
    ['a load balancer page with a 502', 502, '<html>Bad Gateway</html>', 'server', null],
    ['a bare 429', 429, 'Too Many Requests', 'rate_limit', null],
  ])('%s', (_title, status, text, kind, retryAfterMs) => {
    const failure = classifyGoogleFailure(status, {}, text, NOW, 'AIza-secret');
    expect(failure.kind).toBe(kind);
    expect(failure.retryAfterMs).toBe(retryAfterMs);
    expect(failure.status).toBe(status);
  });

  it('takes retry-after from the headers when the body says nothing', () => {
    expect(classifyGoogleFailure(429, { 'retry-after': '9' }, 'Too Many Requests', NOW, '').retryAfterMs).toBe(9000);
  });

  it('rewords a context overflow the way Anthropic says it, so Claude Code compacts', () => {
    const failure = classifyGoogleFailure(
      400,
      {},
      body(400, 'INVALID_ARGUMENT', 'The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).'),
      NOW,
      '',
    );
    expect(failure).toMatchObject({ kind: 'invalid', message: 'prompt is too long: 1048577 tokens > 1048576 maximum' });
    expect(failure.clientBody).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'prompt is too long: 1048577 tokens > 1048576 maximum' },
    });
  });

  it('says a rejected request came from the upstream', () => {
    expect(classifyGoogleFailure(400, {}, body(400, 'INVALID_ARGUMENT', 'bad schema'), NOW, '').message).toBe('upstream: bad schema');
  });

  it('never keeps the key', () => {
    const failure = classifyGoogleFailure(400, {}, body(400, 'INVALID_ARGUMENT', 'API key not valid: AIza-secret'), NOW, 'AIza-secret');
    expect(JSON.stringify(failure)).not.toContain('AIza-secret');
  });

  it('reads an error wrapped in an array, as non-SSE streaming endpoints send it', () => {
    expect(classifyGoogleFailure(429, {}, `[${body(429, 'RESOURCE_EXHAUSTED', 'x', [retryInfo('3s')])}]`, NOW, '')).toMatchObject({
      kind: 'rate_limit',
      retryAfterMs: 3000,
    });
  });
});
