import { describe, expect, it } from 'vitest';
import { classifyCodeAssistFailure, goDurationMs } from '../../../../src-proxy/providers/antigravity/code-assist-errors.js';

describe('goDurationMs', () => {
  it.each<[unknown, number | null]>([
    ['21s', 21_000],
    ['0.5s', 500],
    ['750ms', 750],
    ['2h30m', 9_000_000],
    ['1h2m3.5s', 3_723_500],
    ['', null],
    ['soon', null],
    ['5', null],
    [42, null],
  ])('%s → %s', (text, ms) => {
    expect(goDurationMs(text)).toBe(ms);
  });
});

const body = (error: object) => JSON.stringify({ error });

describe('classifyCodeAssistFailure', () => {
  it.each<[string, number, string, { kind: string; retryAfterMs: number | null }]>([
    [
      'a spent quota with quotaResetDelay',
      429,
      body({
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'You have exhausted your capacity on this model.',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'QUOTA_EXHAUSTED', metadata: { quotaResetDelay: '3h0m0s' } }],
      }),
      { kind: 'quota', retryAfterMs: 10_800_000 },
    ],
    [
      'a reset named only in the message',
      429,
      body({ code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Your quota will reset after 45s.' }),
      { kind: 'rate_limit', retryAfterMs: 45_000 },
    ],
    [
      'a short rate limit with RetryInfo',
      429,
      body({
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'Slow down',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
      }),
      { kind: 'rate_limit', retryAfterMs: 7000 },
    ],
    [
      '401',
      401,
      body({ code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' }),
      { kind: 'auth', retryAfterMs: null },
    ],
    ['403', 403, body({ code: 403, status: 'PERMISSION_DENIED', message: 'denied' }), { kind: 'forbidden', retryAfterMs: null }],
    ['503', 503, body({ code: 503, status: 'UNAVAILABLE', message: 'overloaded' }), { kind: 'overloaded', retryAfterMs: null }],
  ])('%s', (_t, status, text, expected) => {
    expect(classifyCodeAssistFailure(status, {}, text, 0, 'fake-access.secret')).toMatchObject(expected);
  });

  it('scrubs the access token from what it keeps', () => {
    const failure = classifyCodeAssistFailure(
      401,
      {},
      body({ code: 401, status: 'UNAUTHENTICATED', message: 'bad token fake-access.secret' }),
      0,
      'fake-access.secret',
    );
    expect(failure.message).not.toContain('fake-access.secret');
  });
});
