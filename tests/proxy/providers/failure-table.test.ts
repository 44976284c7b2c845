import { describe, expect, it } from 'vitest';
import { FAILURE_KINDS, type FailureKind } from '../../../src-proxy/contract/index.js';
import { clientError, FAILURE_TABLE, kindOfErrorType } from '../../../src-proxy/providers/failure-table.js';

describe('the failure table', () => {
  it('has a row for every failure kind', () => {
    expect(Object.keys(FAILURE_TABLE).sort()).toEqual([...FAILURE_KINDS].sort());
  });

  it.each<[FailureKind, number | null, number, string]>([
    ['invalid', null, 400, 'invalid_request_error'],
    ['invalid', 422, 422, 'invalid_request_error'],
    ['invalid', 413, 413, 'request_too_large'],
    ['rate_limit', 429, 429, 'rate_limit_error'],
    ['quota', 402, 429, 'rate_limit_error'],
    ['auth', 401, 502, 'api_error'],
    ['forbidden', 403, 502, 'api_error'],
    ['not_found', 404, 404, 'not_found_error'],
    ['overloaded', 503, 529, 'overloaded_error'],
    ['timeout', null, 504, 'timeout_error'],
    ['network', null, 502, 'api_error'],
    ['stream', 200, 502, 'api_error'],
    ['server', 503, 503, 'api_error'],
    ['server', 502, 502, 'api_error'],
    ['server', null, 500, 'api_error'],
    ['server', 418, 500, 'api_error'],
  ])('%s with upstream status %s -> %i %s', (kind, upstream, status, type) => {
    expect(clientError(kind, upstream)).toEqual({ status, type });
  });

  it('never gives a client 401 or 403 for an upstream key problem (Claude Code would ask the user to log in)', () => {
    for (const kind of FAILURE_KINDS) {
      for (const upstream of [null, 401, 403]) expect([401, 403]).not.toContain(clientError(kind, upstream).status);
    }
  });

  it.each([
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
    ['something_new', 'server'],
    ['constructor', 'server'],
  ])('an upstream %s is a %s failure', (type, kind) => {
    expect(kindOfErrorType(type)).toBe(kind);
  });
});
