import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactJson } from '../../../src-proxy/lib/redactor.js';

const held = ['sk-live-0123456789abcdef', '1//0-fake-held-refresh', 'client-secret-value', 'short'];
const redact = createRedactor(() => held);

describe('createRedactor', () => {
  it.each([
    ['a held key, as sent', 'invalid x-api-key: sk-live-0123456789abcdef', `invalid x-api-key: ${REDACTED}`],
    ['every occurrence', 'sk-live-0123456789abcdef and sk-live-0123456789abcdef', `${REDACTED} and ${REDACTED}`],
    ['a held refresh token, form-encoded', 'refresh_token=1%2F%2F0-fake-held-refresh&x=1', `refresh_token=${REDACTED}&x=1`],
    ['a held secret inside JSON text', '{"client_secret":"client-secret-value"}', `{"client_secret":"${REDACTED}"}`],
    ['a bearer value nobody holds', 'header was Authorization: Bearer abcdefgh12345678', `header was Authorization: Bearer ${REDACTED}`],
    ['a Google access token nobody holds', 'token ya29.fake-for-this-test was refused', `token ${REDACTED} was refused`],
    ['a Google refresh token nobody holds', 'grant 1//0-fake-refresh-for-this-test is revoked', `grant ${REDACTED} is revoked`],
    ['an Anthropic key nobody holds', 'key sk-ant-fake-for-this-test', `key ${REDACTED}`],
    ['a Gemini key nobody holds', 'key AIzaSyA1234567890abcdefghij', `key ${REDACTED}`],
    ['a Google client secret nobody holds', 'GOCSPX-abcdefgh12', REDACTED],
    ['a held "secret" too short to be one', 'a short answer', 'a short answer'],
    ['text without secrets', 'Overloaded, try again', 'Overloaded, try again'],
  ])('cuts out %s', (_name, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('reads the secrets when it runs, so a key added later is cut too', () => {
    const keys: string[] = [];
    const later = createRedactor(() => keys);
    keys.push('sk-added-after-start');
    expect(later('echo sk-added-after-start')).toBe(`echo ${REDACTED}`);
  });
});

describe('redactJson', () => {
  it('redacts every string of a body, and keeps a clean body as it is', () => {
    const body = { type: 'error', error: { type: 'invalid_request_error', message: 'bad key sk-live-0123456789abcdef' } };
    expect(redactJson(body, redact)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: `bad key ${REDACTED}` } });
    const clean = { type: 'error' };
    expect(redactJson(clean, redact)).toBe(clean);
    expect(redactJson(undefined, redact)).toBeUndefined();
  });
});
