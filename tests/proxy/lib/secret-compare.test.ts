import { describe, expect, it } from 'vitest';
import { SecretMatcher, secretsMatch } from '../../../src-proxy/lib/secret-compare.js';

const KEY = 'sy-local-0123456789abcdef';

describe('secretsMatch and SecretMatcher', () => {
  it.each<[string, string, string, boolean]>([
    ['equal keys', KEY, KEY, true],
    ['different keys of the same length', KEY, KEY.replace(/f$/, 'e'), false],
    ['a prefix of the key', KEY.slice(0, -1), KEY, false],
    ['the key with a suffix', `${KEY}x`, KEY, false],
    ['different case', KEY.toUpperCase(), KEY, false],
    ['an empty key against a key', '', KEY, false],
    ['two empty keys', '', '', true],
    ['non-ASCII keys', 'clé-ü-🔑', 'clé-ü-🔑', true],
    ['similar non-ASCII keys', 'clé-ü-🔑', 'cle-u-🔑', false],
  ])('%s -> %s', (_name, presented, configured, expected) => {
    expect(secretsMatch(presented, configured)).toBe(expected);
    expect(new SecretMatcher().matches(presented, configured)).toBe(expected);
  });
});

describe('SecretMatcher', () => {
  it('follows a configured secret that changes', () => {
    const matcher = new SecretMatcher();
    expect(matcher.matches('old', 'old')).toBe(true);
    expect(matcher.matches('old', 'new')).toBe(false);
    expect(matcher.matches('new', 'new')).toBe(true);
  });
});
