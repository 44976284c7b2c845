// The console's own origin, and which links may leave the app for the system browser.

import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, CONSOLE_URL, externalUrl, isAppUrl } from '../../../src-main/security/app-origin.js';

describe('isAppUrl', () => {
  it.each([
    [CONSOLE_URL, true],
    [`${APP_ORIGIN}/`, true],
    [`${APP_ORIGIN}/assets/index-abc.js`, true],
    [`${APP_ORIGIN}/index.html#/accounts?x=1`, true],
    // Chromium hands frames' URLs over canonical (lower case); any other spelling is not the console.
    ['APP://SWITCHYARD/index.html', false],
    ['app://switchyard.evil/index.html', false],
    ['app://evil.switchyard/index.html', false],
    ['app://switchyard:8080/index.html', false],
    ['app://other/index.html', false],
    ['file:///opt/Switchyard/resources/app.asar/dist/renderer/index.html', false],
    ['http://switchyard/index.html', false],
    ['https://switchyard/index.html', false],
    ['http://127.0.0.1:8046/ui/', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['', false],
    ['not a url', false],
  ])('%s: %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('externalUrl', () => {
  it.each([
    ['https://github.com/switchyard-dev/switchyard/releases/tag/v1.2.0', 'https://github.com/switchyard-dev/switchyard/releases/tag/v1.2.0'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://Accounts.Google.com/o/oauth2/v2/auth?a=1', 'https://accounts.google.com/o/oauth2/v2/auth?a=1'],
    ['https://user:pass@example.com/', null],
    ['https://user@example.com/', null],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['app://switchyard/index.html', null],
    ['data:text/html,<script>1</script>', null],
    ['mailto:someone@example.com', null],
    ['smb://server/share', null],
    ['//example.com/', null],
    ['', null],
  ])('%s -> %s', (url, expected) => {
    expect(externalUrl(url)).toBe(expected);
  });
});
