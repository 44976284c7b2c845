import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../../../../src-proxy/contract/index.js';
import { classifyNetworkError, streamFailure } from '../../../../src-proxy/providers/shared/network-errors.js';

describe('classifyNetworkError', () => {
  const withCode = (code: string, message = 'socket trouble') => Object.assign(new Error(message), { code });

  it.each<[string, FailureKind]>([
    ['ECONNREFUSED', 'network'],
    ['ECONNRESET', 'network'],
    ['ENOTFOUND', 'network'],
    ['EAI_AGAIN', 'network'],
    ['EPIPE', 'network'],
    ['UND_ERR_SOCKET', 'network'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
  ])('%s -> %s', (code, kind) => {
    const failure = classifyNetworkError(withCode(code));
    expect(failure).toEqual({ kind, status: null, message: expect.stringContaining(code), retryAfterMs: null });
  });

  it('says what happened in words', () => {
    expect(classifyNetworkError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')).message).toBe(
      'upstream unreachable (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)',
    );
    expect(classifyNetworkError(withCode('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error')).message).toBe(
      'upstream timed out (UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error)',
    );
  });

  it.each<[string, unknown]>([
    ['an Error without a code', new Error('other failure')],
    ['a thrown string', 'oops'],
    ['null', null],
    ['an object with a numeric code', { code: 42 }],
  ])('%s is a network failure', (_name, err) => {
    const failure = classifyNetworkError(err);
    expect(failure.kind).toBe('network');
    expect(failure.status).toBeNull();
    expect(failure.message).toMatch(/^upstream unreachable \(network error/);
  });
});

describe('naming the limit that ran out', () => {
  const withCode = (code: string) => Object.assign(new Error('timeout'), { code });
  const timeouts = { headersTimeoutMs: 120_000, idleTimeoutMs: 1500 };

  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'upstream sent no response headers within 120 s (setting upstream_headers_timeout_ms; UND_ERR_HEADERS_TIMEOUT)'],
    ['UND_ERR_BODY_TIMEOUT', 'upstream went silent for 1.5 s mid-answer (setting upstream_idle_timeout_ms; UND_ERR_BODY_TIMEOUT)'],
  ])('%s', (code, message) => {
    expect(classifyNetworkError(withCode(code), timeouts)).toEqual({ kind: 'timeout', status: null, message, retryAfterMs: null });
  });

  it('a body that breaks after it started is a stream failure; a timeout stays a timeout', () => {
    expect(streamFailure(withCode('ECONNRESET'), timeouts).kind).toBe('stream');
    expect(streamFailure(withCode('UND_ERR_BODY_TIMEOUT'), timeouts).kind).toBe('timeout');
  });
});
