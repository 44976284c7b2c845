import { describe, expect, it } from 'vitest';
import { headerValue } from '../../../src-proxy/gateway/header-value.js';

describe('headerValue', () => {
  it.each<[string, string, string]>([
    ['printable ASCII stays as it is', 'claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['an email with spaces and symbols', 'a.b+c@example.com (team)', 'a.b+c@example.com (team)'],
    ['Latin-1 is percent-encoded as UTF-8', 'Zoë', 'Zo%C3%AB'],
    ['CJK', '中', '%E4%B8%AD'],
    ['CR/LF cannot split the header', 'a\r\nx-evil: 1', 'a%0D%0Ax-evil: 1'],
    ['a percent sign in an encoded value is encoded too', 'é 100%', '%C3%A9 100%25'],
    ['a lone surrogate becomes the replacement character', 'a\ud800', 'a%EF%BF%BD'],
  ])('%s', (_title, input, expected) => {
    expect(headerValue(input)).toBe(expected);
  });

  it('cuts a long value to 256 characters', () => {
    expect(headerValue('m'.repeat(20_000))).toHaveLength(256);
    expect(headerValue('é'.repeat(1000)).length).toBeLessThanOrEqual(256);
  });
});
