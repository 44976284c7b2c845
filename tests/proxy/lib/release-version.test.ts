import { describe, expect, it } from 'vitest';
import { isNewerRelease, parseReleaseVersion } from '../../../src-proxy/lib/release-version.js';

describe('release versions', () => {
  it.each([
    ['1.0.1', '1.0.0', true],
    ['v1.0.1', '1.0.0', true],
    ['1.1.0', '1.0.9', true],
    ['2.0.0', '1.99.99', true],
    ['1.0.0', '1.0.0', false],
    ['1.0.0', '1.0.1', false],
    ['1.0.0', '1.0.0-beta.2', true],
    ['1.0.0-beta.2', '1.0.0', false],
    ['1.0.0-beta.10', '1.0.0-beta.2', true],
    ['1.0.0-rc.1', '1.0.0-beta.9', true],
    ['1.0.0-beta', '1.0.0-beta.1', false],
    ['1.0.0+build.5', '1.0.0', false],
    ['nightly', '1.0.0', false],
    ['1.0.1', 'dev', false],
  ])('%s is newer than %s: %s', (candidate, current, newer) => {
    expect(isNewerRelease(candidate, current)).toBe(newer);
  });

  it('reads the tag forms the project publishes', () => {
    expect(parseReleaseVersion(' v0.3.2 ')).toEqual({ core: [0, 3, 2], pre: [] });
    expect(parseReleaseVersion('1.2')).toBeNull();
  });
});
