// What a page of the app may do: stay on the console, and write to the clipboard from it. Links the
// user follows to the web open in the system browser; everything else is simply refused.

import { describe, expect, it } from 'vitest';
import { applyPermissionPolicy, applyWebContentsPolicy } from '../../../src-main/security/web-contents-policy.js';
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

describe('permissions', () => {
  const CONSOLE = 'app://switchyard/index.html#/accounts';

  function session() {
    const s = new FakeSession();
    applyPermissionPolicy(s);
    return s;
  }

  it('the console may write to the clipboard, as its Copy buttons do with navigator.clipboard.writeText', async () => {
    const s = session();
    expect(await s.clipboardWrite({ url: CONSOLE })).toBe(true);
    expect(s.check('clipboard-sanitized-write', { url: CONSOLE })).toBe(true);
    expect(await s.request('clipboard-sanitized-write', { url: CONSOLE })).toBe(true);
  });

  it.each([
    ['another page', 'https://example.com/', true],
    ['the headless console', 'http://127.0.0.1:8046/ui/', true],
    ['another app host', 'app://other/index.html', true],
    ['a frame inside the console', CONSOLE, false],
  ])('%s may not write to the clipboard', async (_name, url, isMainFrame) => {
    const s = session();
    expect(await s.clipboardWrite({ url, isMainFrame })).toBe(false);
  });

  it.each(['clipboard-read', 'media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'unknown'])(
    '%s is refused even to the console, asked or checked',
    async (permission) => {
      const s = session();
      expect(await s.request(permission, { url: CONSOLE })).toBe(false);
      expect(s.check(permission, { url: CONSOLE })).toBe(false);
    },
  );

  it('without the policy Electron would grant anything (the double knows)', async () => {
    expect(await new FakeSession().request('media', { url: 'https://example.com/' })).toBe(true);
  });
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
