// What a page of the app may do: stay on the console, nothing else. Links the user follows to the web
// open in the system browser; everything else is simply refused.

import { describe, expect, it } from 'vitest';
import { applyWebContentsPolicy, denyAllPermissions } from '../../../src-main/security/web-contents-policy.js';
import { secureWebPreferences } from '../../../src-main/security/web-preferences.js';
import { FakeSession, FakeWebContents } from '../helpers/fake-electron.js';

function page() {
  const opened: string[] = [];
  const contents = new FakeWebContents(null);
  applyWebContentsPolicy(contents, (url) => opened.push(url));
  return { contents, opened };
}

describe('navigation', () => {
  it.each([
    ['the console', 'app://switchyard/index.html#/logs', true, []],
    ['a web page', 'https://docs.example.com/guide', false, ['https://docs.example.com/guide']],
    ['a plain http page', 'http://example.com/', false, ['http://example.com/']],
    ['the headless console', 'http://127.0.0.1:8046/ui/', false, ['http://127.0.0.1:8046/ui/']],
    ['a local file', 'file:///etc/passwd', false, []],
    ['a script URL', 'javascript:alert(1)', false, []],
    ['a data URL', 'data:text/html,hi', false, []],
    ['another app host', 'app://other/', false, []],
    ['a URL with credentials', 'https://u:p@example.com/', false, []],
  ])('to %s: allowed %s, sent to the browser %j', (_name, url, allowed, opened) => {
    for (const event of ['will-navigate', 'will-redirect'] as const) {
      const p = page();
      expect(p.contents.navigate(url, event)).toBe(allowed);
      expect(p.opened).toEqual(opened);
    }
  });
});

describe('new windows', () => {
  it.each([
    ['https://accounts.google.com/o/oauth2/v2/auth?client_id=x', ['https://accounts.google.com/o/oauth2/v2/auth?client_id=x']],
    ['https://github.com/switchyard-dev/switchyard/releases', ['https://github.com/switchyard-dev/switchyard/releases']],
    ['app://switchyard/index.html', []],
    ['about:blank', []],
    ['file:///tmp/x.html', []],
    ['javascript:void(0)', []],
  ])('window.open(%s) is denied; opened in the browser: %j', (url, opened) => {
    const p = page();
    expect(p.contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    expect(p.opened).toEqual(opened);
  });
});

it('refuses to attach a <webview>', () => {
  const p = page();
  let prevented = false;
  p.contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
  expect(prevented).toBe(true);
});

it('refuses every permission', () => {
  const session = new FakeSession();
  denyAllPermissions(session);
  const answers: boolean[] = [];
  for (const p of ['media', 'geolocation', 'notifications', 'midi', 'clipboard-sanitized-write', 'openExternal']) {
    session.requestHandler!({}, p, (granted) => answers.push(granted));
  }
  expect(answers.every((a) => a === false)).toBe(true);
  expect(answers).toHaveLength(6);
  expect(session.checkHandler!()).toBe(false);
});

it('every window is isolated, sandboxed and without Node, and cannot relax it', () => {
  expect(secureWebPreferences('/app/preload.cjs')).toEqual({
    preload: '/app/preload.cjs',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  });
});
