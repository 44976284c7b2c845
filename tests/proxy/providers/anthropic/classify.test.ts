import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../../../../src-proxy/contract/index.js';
import { classifyHttpFailure, type Headers, kindForStatus, readErrorBody, retryAfterMs } from '../../../../src-proxy/providers/anthropic/classify.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const inSeconds = (s: number) => new Date(NOW + s * 1000).toISOString();
const httpDate = (s: number) => new Date(NOW + s * 1000).toUTCString();

const anthropicError = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011' });

describe('kindForStatus', () => {
  const table: Array<[number, string | null, string, FailureKind]> = [
    // 4xx the client must fix
    [400, 'invalid_request_error', 'messages: at least one message is required', 'invalid'],
    [400, 'invalid_request_error', 'prompt is too long: 209601 tokens > 200000 maximum', 'invalid'],
    [400, null, 'Bad Request', 'invalid'],
    [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'invalid'],
    [422, null, 'Unprocessable Entity', 'invalid'],
    // Anthropic answers an exhausted prepaid balance with a 400: the account is out, not the request.
    [
      400,
      'invalid_request_error',
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      'quota',
    ],
    // credentials and permissions
    [401, 'authentication_error', 'invalid x-api-key', 'auth'],
    [401, null, '', 'auth'],
    [402, 'billing_error', 'Your account has run out of credits.', 'quota'],
    [402, null, 'Insufficient Balance', 'quota'],
    [403, 'permission_error', 'Your API key does not have permission to use the specified resource.', 'forbidden'],
    [403, null, 'Forbidden', 'forbidden'],
    // unknown model or endpoint
    [404, 'not_found_error', 'model: claude-nope', 'not_found'],
    [405, null, 'Method Not Allowed', 'not_found'],
    // rate limits: short windows vs quotas that will not clear soon
    [429, 'rate_limit_error', 'This request would exceed the rate limit for your organization of 50,000 input tokens per minute.', 'rate_limit'],
    [429, 'rate_limit_error', 'Number of concurrent connections has exceeded your rate limit.', 'rate_limit'],
    [429, null, 'Too Many Requests', 'rate_limit'],
    [429, 'rate_limit_error', 'You exceeded your current quota, please check your plan and billing details.', 'quota'],
    [429, null, 'Usage limit reached for 5 hour. Your limit will reset at 2026-03-01 17:00:00', 'quota'],
    [429, null, 'insufficient_balance', 'quota'],
    [429, null, 'Your credit balance is too low', 'quota'],
    [429, null, 'Daily QUOTA exhausted', 'quota'],
    // overload and server errors
    [429, 'overloaded_error', 'Overloaded', 'overloaded'],
    [500, 'overloaded_error', 'Overloaded', 'overloaded'],
    [503, null, 'Service Unavailable', 'overloaded'],
    [529, 'overloaded_error', 'Overloaded', 'overloaded'],
    [529, null, '', 'overloaded'],
    [500, 'api_error', 'Internal server error', 'server'],
    [502, null, 'Bad Gateway', 'server'],
    [520, null, 'Cloudflare unknown error', 'server'],
    // timeouts
    [408, null, 'Request Timeout', 'timeout'],
    [504, 'timeout_error', 'Gateway Timeout', 'timeout'],
  ];

  it.each(table)('%i %s "%s" -> %s', (status, type, message, kind) => {
    expect(kindForStatus(status, type, message)).toBe(kind);
  });
});

describe('retryAfterMs', () => {
  const table: Array<[string, Headers, number | null]> = [
    ['no hint at all', {}, null],
    // retry-after-ms
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
    ['retry-after-ms 0', { 'retry-after-ms': '0' }, 0],
    ['retry-after-ms fractional, rounded up', { 'retry-after-ms': '12.3' }, 13],
    // retry-after seconds
    ['retry-after seconds', { 'retry-after': '30' }, 30_000],
    ['retry-after 0', { 'retry-after': '0' }, 0],
    ['retry-after fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['retry-after with spaces', { 'retry-after': ' 7 ' }, 7000],
    // retry-after HTTP date
    ['retry-after HTTP date', { 'retry-after': httpDate(45) }, 45_000],
    ['retry-after HTTP date in the past', { 'retry-after': httpDate(-45) }, 0],
    ['retry-after unreadable', { 'retry-after': 'soon' }, null],
    ['retry-after blank', { 'retry-after': '  ' }, null],
    // anthropic-ratelimit-*: only windows with nothing remaining count
    ['an exhausted requests window', { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': inSeconds(20) }, 20_000],
    [
      'an exhausted input-tokens window',
      { 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': inSeconds(12) },
      12_000,
    ],
    [
      'an exhausted output-tokens window',
      { 'anthropic-ratelimit-output-tokens-remaining': '0', 'anthropic-ratelimit-output-tokens-reset': inSeconds(3) },
      3000,
    ],
    ['a window with tokens remaining', { 'anthropic-ratelimit-tokens-remaining': '1200', 'anthropic-ratelimit-tokens-reset': inSeconds(60) }, null],
    ['a reset without a remaining count', { 'anthropic-ratelimit-requests-reset': inSeconds(60) }, null],
    [
      'several exhausted windows: the latest reset',
      {
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': inSeconds(5),
        'anthropic-ratelimit-tokens-remaining': '0',
        'anthropic-ratelimit-tokens-reset': inSeconds(40),
        'anthropic-ratelimit-output-tokens-remaining': '10',
        'anthropic-ratelimit-output-tokens-reset': inSeconds(90),
      },
      40_000,
    ],
    ['an exhausted window whose reset has passed', { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': inSeconds(-10) }, 0],
    ['an exhausted window with an unreadable reset', { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': 'later' }, null],
    // precedence
    ['retry-after-ms before retry-after', { 'retry-after-ms': '250', 'retry-after': '30' }, 250],
    [
      'retry-after before the reset headers',
      { 'retry-after': '2', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': inSeconds(50) },
      2000,
    ],
    [
      'retry-after-ms before everything',
      {
        'retry-after-ms': '100',
        'retry-after': '2',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': inSeconds(50),
      },
      100,
    ],
    ['a negative retry-after-ms is ignored', { 'retry-after-ms': '-5', 'retry-after': '3' }, 3000],
    ['an unreadable retry-after-ms is ignored', { 'retry-after-ms': 'abc', 'retry-after': '3' }, 3000],
    ['a blank retry-after-ms is ignored', { 'retry-after-ms': '', 'retry-after': '3' }, 3000],
    [
      'an unreadable retry-after falls back to the reset headers',
      { 'retry-after': 'soon', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': inSeconds(8) },
      8000,
    ],
    // repeated headers
    ['a repeated header: the first value', { 'retry-after': ['4', '9'] }, 4000],
  ];

  it.each(table)('%s', (_name, headers, expected) => {
    expect(retryAfterMs(headers, NOW)).toBe(expected);
  });
});

describe('readErrorBody', () => {
  it.each<[string, string, { type: string | null; message: string }]>([
    ['an Anthropic error body', anthropicError('rate_limit_error', 'slow down'), { type: 'rate_limit_error', message: 'slow down' }],
    ['a top-level message', '{"message":"bad key"}', { type: null, message: 'bad key' }],
    ['JSON without a message', '{"detail":"x"}', { type: null, message: '{"detail":"x"}' }],
    ['JSON null', 'null', { type: null, message: 'null' }],
    ['plain text, trimmed', '  upstream connect error  \n', { type: null, message: 'upstream connect error' }],
    ['an empty body', '', { type: null, message: '' }],
  ])('%s', (_name, text, expected) => {
    expect(readErrorBody(text)).toMatchObject(expected);
  });

  it('keeps only the first 500 characters of a non-JSON body', () => {
    expect(readErrorBody(`<html>${'x'.repeat(2000)}</html>`).message).toHaveLength(500);
  });
});

describe('classifyHttpFailure', () => {
  const SECRET = 'sk-fake-fake-SECRET+key/with.special*chars';

  it('an Anthropic-shaped 400 is invalid and keeps the body to relay to the client', () => {
    const body = anthropicError('invalid_request_error', 'max_tokens: Field required');
    expect(classifyHttpFailure(400, {}, body, NOW, SECRET)).toEqual({
      kind: 'invalid',
      status: 400,
      message: 'max_tokens: Field required',
      retryAfterMs: null,
      clientBody: JSON.parse(body),
    });
  });

  it.each<[string, number, string]>([
    ['a 400 that is not JSON', 400, 'Bad Request'],
    ['a 400 JSON body without error.type', 400, '{"message":"bad"}'],
    ['a 429', 429, anthropicError('rate_limit_error', 'slow down')],
    ['a 401', 401, anthropicError('authentication_error', 'invalid x-api-key')],
    ['a 500', 500, anthropicError('api_error', 'Internal server error')],
    ['a 529', 529, anthropicError('overloaded_error', 'Overloaded')],
    ['a credit-balance 400', 400, anthropicError('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.')],
  ])('no clientBody for %s: only invalid Anthropic errors are relayed', (_name, status, body) => {
    expect(classifyHttpFailure(status, {}, body, NOW, SECRET)).not.toHaveProperty('clientBody');
  });

  it('carries the wait from the headers', () => {
    const failure = classifyHttpFailure(429, { 'retry-after': '17' }, anthropicError('rate_limit_error', 'slow down'), NOW, SECRET);
    expect(failure).toEqual({ kind: 'rate_limit', status: 429, message: 'slow down', retryAfterMs: 17_000 });
  });

  it.each([
    ['an empty body', ''],
    ['a JSON body with an empty message', anthropicError('api_error', '')],
  ])('names the status when the upstream gave no message: %s', (_name, body) => {
    expect(classifyHttpFailure(502, {}, body, NOW, SECRET).message).toBe('upstream answered 502');
  });

  describe('the account secret never survives', () => {
    it.each<[string, number, string]>([
      ['in an Anthropic error message', 401, anthropicError('authentication_error', `invalid x-api-key: ${SECRET}`)],
      ['several times', 401, anthropicError('authentication_error', `${SECRET} / ${SECRET}`)],
      ['in a plain-text body', 403, `key ${SECRET} is not allowed`],
      ['in a top-level message', 400, JSON.stringify({ message: `bad key ${SECRET}` })],
    ])('%s', (_name, status, body) => {
      const failure = classifyHttpFailure(status, {}, body, NOW, SECRET);
      expect(failure.message).not.toContain(SECRET);
      expect(failure.message).toContain('***');
    });

    it('nor in the clientBody relayed to the client', () => {
      const failure = classifyHttpFailure(400, {}, anthropicError('invalid_request_error', `bad request for key ${SECRET}`), NOW, SECRET);
      expect(failure.kind).toBe('invalid');
      expect(JSON.stringify(failure.clientBody)).not.toContain(SECRET);
      expect(failure.clientBody).toMatchObject({ error: { message: 'bad request for key ***' } });
    });

    it('an empty secret scrubs nothing', () => {
      expect(classifyHttpFailure(500, {}, 'boom', NOW, '').message).toBe('boom');
    });
  });
});
