import { describe, expect, it } from 'vitest';
import { CONTROL_ERROR_CODES, ControlError, FAILURE_KINDS, UnreachableError, WARNING_CODES } from '../../../src-proxy/contract/index.js';
import { describeError, describeErrorCode, describeFailure, describeWarning } from '../../../src-renderer/wording/errors.js';

describe('the words for what the core reports', () => {
  it.each(CONTROL_ERROR_CODES)('error code %s has a sentence of its own', (code) => {
    const words = describeErrorCode(code);
    expect(words).toMatch(/^[A-Z].*\.$/);
    expect(words).not.toContain(code);
  });

  it('adds the core detail only where it names a field or an address, never for internal errors', () => {
    expect(describeError(new ControlError('invalid_argument', 'port: must be at most 65535'))).toContain('(port: must be at most 65535)');
    expect(describeError(new ControlError('internal', 'TypeError at runtime.ts:12 with sk-secret'))).not.toContain('sk-secret');
    expect(describeError(new ControlError('unauthorized', 'missing or wrong console token'))).toContain('console token was refused');
    expect(describeError(new UnreachableError())).toContain('not answering');
    expect(describeError(new Error('boom'))).toBe(describeErrorCode('internal'));
  });

  it.each(FAILURE_KINDS)('failure kind %s reads as words', (kind) => {
    expect(describeFailure(kind)).toMatch(/^[a-z][a-z ]+$/);
  });

  it.each(WARNING_CODES)('warning %s reads as a sentence and names the backup when there is one', (code) => {
    expect(describeWarning({ code, file: '/d/f.json', backup: null, time: 1 })).toMatch(/^[A-Z].*\.$/);
    expect(describeWarning({ code, file: '/d/f.json', backup: '/d/f.json.bak', time: 1 })).toContain('/d/f.json.bak');
  });
});
