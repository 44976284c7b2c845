// The desktop app as a whole, under the one Electron test double: what a user sees in the tray and the
// window, what a second launch, a close and a quit do, what is remembered between runs, and that every
// web page the app creates gets the security settings.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_VERSION, type SettingsPatch } from '../../src-proxy/contract/index.js';
import { openFileRuntime } from '../../src-proxy/cli/file-runtime.js';
import { DESKTOP_DATA_FOLDER } from '../../src-main/adapters/desktop-stores.js';
import { runDesktopApp, type DesktopApp } from '../../src-main/desktop-app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { messagesBody, postJson } from '../helpers/sse-client.js';
import { FakeWebContents, fakeElectron, openConfStore, WINDOWS_RUN_VALUE, type FakeElectron, type FakeElectronOptions } from './helpers/fake-electron.js';

let home: string;
let port: number;
const running: DesktopApp[] = [];
let upstream: FakeAnthropic | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-desktop-'));
  port = await freePort();
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.runtime.close(0);
  await upstream?.close();
  upstream = undefined;
  await rm(home, { recursive: true, force: true });
});

/** A port nothing listens on now; the desktop's settings name it so the gateway never takes 8045. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const userData = () => join(home, 'profile');
const desktopDir = () => join(userData(), DESKTOP_DATA_FOLDER);

function seedDesktopSettings(patch: SettingsPatch = {}): void {
  openConfStore('settings', desktopDir()).store = { version: SETTINGS_VERSION, port, ...patch };
}

async function launch(opts: Partial<FakeElectronOptions> = {}): Promise<{ electron: FakeElectron; app: DesktopApp }> {
  const electron = fakeElectron({ userData: userData(), ...opts });
  const app = await runDesktopApp(electron);
  if (!app) throw new Error('the app did not start');
  running.push(app);
  return { electron, app };
}

/** Quits as Electron does and waits for the app to exit. */
async function quit(electron: FakeElectron, app: DesktopApp): Promise<number> {
  expect(electron.app.beforeQuit()).toBe(false);
  await waitFor(() => electron.app.exitCodes.length > 0);
  running.splice(running.indexOf(app), 1);
  return electron.app.exitCodes[0]!;
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const trayLabels = (electron: FakeElectron) => electron.trays[0]!.menu.filter((i) => i.type !== 'separator').map((i) => i.label);

describe('launch', () => {
  it('starts the gateway, shows the console at the app origin, and the tray says it runs', async () => {
    seedDesktopSettings();
    const { electron, app } = await launch();
    expect((await app.runtime.getStatus()).running).toBe(true);
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.loaded).toEqual(['app://switchyard/index.html']);
    expect(electron.windows[0]!.visible).toBe(true);
    expect(electron.trays).toHaveLength(1);
    expect(trayLabels(electron)).toEqual([
      `Switchyard: running on 127.0.0.1:${port}`,
      'Stop gateway',
      'Copy Claude Code setup',
      'Claude Code uses Switchyard',
      'Open console',
      'Start at login',
      'Quit Switchyard',
    ]);
    expect(electron.trays[0]!.images.at(-1)).toBe('/resources/tray/tray.png');
    expect(electron.trays[0]!.tooltip).toBe(`Switchyard: running on 127.0.0.1:${port}`);
  });

  it('opens no window when launched at login (--hidden), only the tray', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ argv: ['switchyard', '--hidden'] });
    expect(electron.windows).toHaveLength(0);
    electron.trays[0]!.clickItem('Open console');
    expect(electron.windows).toHaveLength(1);
  });

  it('keeps its data in a folder of its own inside the profile', async () => {
    seedDesktopSettings();
    const { app } = await launch();
    await app.runtime.updateSettings({ log_history_limit: 77 });
    const stored = JSON.parse(await readFile(join(desktopDir(), 'settings.json'), 'utf8')) as { log_history_limit: number };
    expect(stored.log_history_limit).toBe(77);
  });
});

describe('the tray follows the gateway', () => {
  it('rebuilds the menu and the image on every status event, and its entries act', async () => {
    seedDesktopSettings();
    const { electron, app } = await launch();
    const tray = electron.trays[0]!;
    const sets = tray.menuSets;

    await app.runtime.stopGateway();
    expect(tray.menuSets).toBe(sets + 1);
    expect(trayLabels(electron)).toContain('Start gateway');
    expect(tray.menu.find((i) => i.label === 'Copy Claude Code setup')?.enabled).toBe(false);
    expect(tray.images.at(-1)).toBe('/resources/tray/tray-stopped.png');
    expect(tray.tooltip).toBe('Switchyard: stopped');

    tray.clickItem('Start gateway');
    await waitFor(() => trayLabels(electron).includes('Stop gateway'));
    expect((await app.runtime.getStatus()).running).toBe(true);
    expect(tray.images.at(-1)).toBe('/resources/tray/tray.png');
  });

  it('shows why a start failed', async () => {
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      seedDesktopSettings();
      const { electron, app } = await launch();
      expect((await app.runtime.getStatus()).running).toBe(false);
      expect(trayLabels(electron)).toContain('Could not start: the port is in use');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('turns start at login on and off from the tray (XDG entry on Linux)', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ isPackaged: true });
    const entry = join(userData(), 'xdg-config', 'autostart', 'switchyard.desktop');
    electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => electron.trays[0]!.menu.some((i) => i.label === 'Start at login' && i.checked === true));
    expect(await readFile(entry, 'utf8')).toContain('Exec=/opt/Switchyard/switchyard --hidden');
    electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => electron.trays[0]!.menu.some((i) => i.label === 'Start at login' && i.checked === false));
    await expect(readFile(entry)).rejects.toThrow();
  });
});

describe('start at login', () => {
  const ticked = (electron: FakeElectron) => electron.trays[0]!.menu.find((i) => i.label === 'Start at login')?.checked;

  it('on Windows, the tray shows it ticked once on, and unticking removes it', async () => {
    seedDesktopSettings();
    const exe = 'C:\\Program Files\\Switchyard\\Switchyard.exe';
    const { electron } = await launch({ platform: 'win32', isPackaged: true, execPath: exe });
    electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => ticked(electron) === true);
    expect(electron.app.runKey.get(WINDOWS_RUN_VALUE)).toBe(`"${exe}" --hidden`);
    electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => ticked(electron) === false);
    expect(electron.app.runKey.size).toBe(0);
  });

  it('on Windows, a login item from an earlier run shows ticked at launch', async () => {
    seedDesktopSettings();
    const exe = 'C:\\Program Files\\Switchyard\\Switchyard.exe';
    const electron = fakeElectron({ userData: userData(), platform: 'win32', isPackaged: true, execPath: exe });
    electron.app.runKey.set(WINDOWS_RUN_VALUE, `"${exe}" --hidden`);
    const app = await runDesktopApp(electron);
    running.push(app!);
    expect(ticked(electron)).toBe(true);
  });

  it('on macOS, a launch by the login item opens no window, whatever its arguments', async () => {
    seedDesktopSettings();
    const electron = fakeElectron({ userData: userData(), platform: 'darwin', isPackaged: true, argv: ['Switchyard'] });
    electron.app.wasOpenedAtLogin = true;
    const app = await runDesktopApp(electron);
    running.push(app!);
    expect(electron.windows).toHaveLength(0);
    expect(electron.trays).toHaveLength(1);
  });

  it('on macOS, says in the tray when the system did not take it (an unsigned app)', async () => {
    seedDesktopSettings();
    const electron = fakeElectron({ userData: userData(), platform: 'darwin', isPackaged: true });
    electron.app.macLoginItemOutcome = 'ignored';
    const app = await runDesktopApp(electron);
    running.push(app!);
    electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => trayLabels(electron).includes('Not taken: start at login needs a signed, notarized app'));
    expect(ticked(electron)).toBe(false);
  });

  it('on macOS, is not offered in a development run (it would register Electron itself)', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ platform: 'darwin', isPackaged: false });
    expect(trayLabels(electron)).not.toContain('Start at login');
  });

  it('inside an AppImage, the Linux entry starts the AppImage file, and is renewed at each launch', async () => {
    seedDesktopSettings();
    const env = { APPIMAGE: '/home/u/Apps/Switchyard-1.0.0.AppImage' };
    const first = await launch({ isPackaged: true, env, execPath: '/tmp/.mount_SwitchAbC/switchyard' });
    first.electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => ticked(first.electron) === true);
    const entry = join(userData(), 'xdg-config', 'autostart', 'switchyard.desktop');
    expect(await readFile(entry, 'utf8')).toContain('Exec=/home/u/Apps/Switchyard-1.0.0.AppImage --hidden\n');
    expect(await quit(first.electron, first.app)).toBe(0);

    // The user moved the AppImage; the next launch points the entry at where it is now.
    await launch({ isPackaged: true, env: { APPIMAGE: '/opt/Switchyard.AppImage' }, execPath: '/tmp/.mount_SwitchXyZ/switchyard' });
    expect(await readFile(entry, 'utf8')).toContain('Exec=/opt/Switchyard.AppImage --hidden\n');
  });

  it('in a development run on Linux, the entry starts Electron with the app folder', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ isPackaged: false, execPath: '/src/node_modules/electron/dist/electron' });
    electron.trays[0]!.clickItem('Start at login');
    await waitFor(() => ticked(electron) === true);
    const entry = await readFile(join(userData(), 'xdg-config', 'autostart', 'switchyard.desktop'), 'utf8');
    expect(entry).toContain(`Exec=/src/node_modules/electron/dist/electron ${electron.app.getAppPath()} --hidden`);
  });
});

describe('a desktop without a tray (stock GNOME)', () => {
  const gnome = { env: { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME', XDG_SESSION_TYPE: 'wayland' }, statusNotifierWatcher: false };

  it('says why in the console, and closing the window quits instead of hiding it', async () => {
    seedDesktopSettings();
    const { electron, app } = await launch(gnome);
    expect(await app.runtime.listWarnings()).toEqual([expect.objectContaining({ code: 'tray_unavailable' })]);
    expect(electron.windows[0]!.close()).toBe(false);
    expect(electron.app.quitCalls).toBe(1);
    // Electron answers app.quit() with before-quit; the window then really closes.
    expect(electron.app.beforeQuit()).toBe(false);
    expect(electron.windows[0]!.close()).toBe(true);
    await waitFor(() => electron.app.exitCodes.length > 0);
    running.splice(running.indexOf(app), 1);
  });

  it('a login launch shows the window anyway, the only way to the app there', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ ...gnome, argv: ['switchyard', '--hidden'] });
    expect(electron.windows).toHaveLength(1);
  });

  it('GNOME with the AppIndicator extension keeps the tray behaviour', async () => {
    seedDesktopSettings();
    const { electron, app } = await launch({ ...gnome, statusNotifierWatcher: true });
    expect(electron.windows[0]!.close()).toBe(false);
    expect(electron.app.quitCalls).toBe(0);
    expect(await app.runtime.listWarnings()).toEqual([]);
  });
});

describe('the application menu', () => {
  it.each([
    ['darwin', [{ role: 'appMenu' }, { role: 'editMenu' }]],
    ['win32', null],
    ['linux', null],
  ])('on %s is %j: no Reload, no developer tools', async (platform, menu) => {
    seedDesktopSettings();
    const { electron } = await launch({ platform });
    expect(electron.applicationMenu).toEqual(menu);
  });
});

describe('Copy Claude Code setup', () => {
  it('puts the base URL on the clipboard, and no key while auth is off', async () => {
    seedDesktopSettings({ api_key: 'sk-local-1', auth_mode: 'off' });
    const { electron } = await launch();
    electron.trays[0]!.clickItem('Copy Claude Code setup');
    await waitFor(() => electron.clipboard.length === 1);
    expect(electron.clipboard[0]).toBe(`export ANTHROPIC_BASE_URL=http://127.0.0.1:${port}`);
  });

  it('adds the gateway key while auth is on', async () => {
    seedDesktopSettings({ api_key: 'sk-local-1', auth_mode: 'strict' });
    const { electron } = await launch();
    electron.trays[0]!.clickItem('Copy Claude Code setup');
    await waitFor(() => electron.clipboard.length === 1);
    expect(electron.clipboard[0]).toBe(`export ANTHROPIC_BASE_URL=http://127.0.0.1:${port}\nexport ANTHROPIC_API_KEY=sk-local-1`);
  });

  it('writes PowerShell lines on Windows', async () => {
    seedDesktopSettings({ api_key: 'sk-local-1', auth_mode: 'strict' });
    const { electron } = await launch({ platform: 'win32' });
    electron.trays[0]!.clickItem('Copy Claude Code setup');
    await waitFor(() => electron.clipboard.length === 1);
    expect(electron.clipboard[0]).toBe(`$env:ANTHROPIC_BASE_URL="http://127.0.0.1:${port}"\n$env:ANTHROPIC_API_KEY="sk-local-1"`);
  });
});

describe('Claude Code uses Switchyard, in the tray', () => {
  it("connects the user's Claude Code settings with one click, shows it checked, and puts them back with another", async () => {
    seedDesktopSettings({ api_key: 'sk-local-1', auth_mode: 'strict' });
    const { electron } = await launch();
    const tray = electron.trays[0]!;
    // The fake's home folder is the profile folder: the user's settings land there, never in the real home.
    const settingsFile = join(userData(), '.claude', 'settings.json');
    const item = () => tray.menu.find((i) => i.label === 'Claude Code uses Switchyard')!;
    await waitFor(() => item()?.checked === false);
    tray.clickItem('Claude Code uses Switchyard');
    await waitFor(() => item().checked === true);
    expect(JSON.parse(await readFile(settingsFile, 'utf8')).env).toMatchObject({
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
      ANTHROPIC_AUTH_TOKEN: 'sk-local-1',
    });
    tray.clickItem('Claude Code uses Switchyard');
    await waitFor(() => item().checked === false);
    await expect(readFile(settingsFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('Copy Claude Code setup when the clipboard fails', () => {
  it('is reported, never left as an unhandled rejection', async () => {
    seedDesktopSettings();
    const { electron } = await launch();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      electron.clipboardFailure = new Error('clipboard unavailable');
      electron.trays[0]!.clickItem('Copy Claude Code setup');
      await waitFor(() => electron.errors.length === 1);
      await new Promise((r) => setTimeout(r, 20));
      expect(electron.errors[0]).toMatchObject({ message: 'clipboard unavailable' });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('one instance', () => {
  it('a second launch shows and focuses the first one’s window, even after it was closed or minimized', async () => {
    seedDesktopSettings();
    const { electron } = await launch();
    const window = electron.windows[0]!;
    expect(window.close()).toBe(false);
    expect(window.visible).toBe(false);

    electron.app.emit('second-instance');
    await waitFor(() => window.visible);
    expect(window.focused).toBe(1);
    expect(electron.windows).toHaveLength(1);

    window.minimized = true;
    electron.app.emit('second-instance');
    await waitFor(() => window.focused === 2);
    expect(window.minimized).toBe(false);
  });

  it('a second launch opens the window of an app that started hidden at login', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ argv: ['switchyard', '--hidden'] });
    electron.app.emit('second-instance');
    await waitFor(() => electron.windows.length === 1);
    expect(electron.windows[0]!.visible).toBe(true);
  });

  it('opening the running app again on macOS (activate) shows the window', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ platform: 'darwin', argv: ['switchyard', '--hidden'] });
    electron.app.emit('activate');
    await waitFor(() => electron.windows.length === 1 && electron.windows[0]!.visible);
  });

  it('without the lock it quits at once and starts nothing', async () => {
    seedDesktopSettings();
    const electron = fakeElectron({ userData: userData() });
    electron.app.hasLock = false;
    expect(await runDesktopApp(electron)).toBeNull();
    expect(electron.app.quitCalls).toBe(1);
    expect(electron.windows).toHaveLength(0);
    expect(electron.trays).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});

describe('the window and the tray', () => {
  it('closing the window hides it; the app stays in the tray and closing all windows does not quit', async () => {
    seedDesktopSettings();
    const { electron, app } = await launch();
    expect(electron.windows[0]!.close()).toBe(false);
    expect(electron.windows[0]!.visible).toBe(false);
    expect(electron.app.count('window-all-closed')).toBe(1);
    electron.app.emit('window-all-closed');
    expect(electron.app.quitCalls).toBe(0);
    expect((await app.runtime.getStatus()).running).toBe(true);

    electron.trays[0]!.emit('click');
    expect(electron.windows[0]!.visible).toBe(true);
  });

  it('a window that was really closed (while quitting) is made again when asked for', async () => {
    seedDesktopSettings();
    const { electron, app } = await launch();
    electron.app.beforeQuit();
    expect(electron.windows[0]!.close()).toBe(true);
    app.openConsole();
    expect(electron.windows).toHaveLength(2);
    await waitFor(() => electron.app.exitCodes.length > 0);
    running.splice(running.indexOf(app), 1);
  });
});

describe('security on every web page', () => {
  it('sandboxes every renderer and serves the console from its own privileged scheme', async () => {
    seedDesktopSettings();
    const { electron } = await launch();
    expect(electron.app.sandboxed).toBe(true);
    expect(electron.privilegedSchemes).toEqual(['app']);
    expect(electron.protocolHandlers.has('app')).toBe(true);
    expect(electron.windows[0]!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      preload: join(userData(), 'dist', 'preload', 'index.cjs'),
    });
  });

  it('serves the console with its content security policy', async () => {
    seedDesktopSettings();
    const { electron } = await launch();
    const res = await electron.protocolHandlers.get('app')!({ url: 'app://switchyard/index.html', method: 'GET' });
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it.each(['the console window', 'any other web contents'])('%s: navigation and new windows denied, http(s) links to the browser', async (which) => {
    seedDesktopSettings();
    const { electron } = await launch();
    let contents = electron.windows[0]!.webContents;
    if (which !== 'the console window') {
      contents = new FakeWebContents(null);
      electron.app.emit('web-contents-created', {}, contents);
    }
    expect(contents.navigate('app://switchyard/index.html#/accounts')).toBe(true);
    expect(contents.navigate('https://example.com/docs')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('https://evil.example/', 'will-redirect')).toBe(false);
    expect(contents.windowOpenHandler!({ url: 'https://accounts.google.com/o/oauth2/v2/auth?x=1' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
    expect(electron.opened).toEqual(['https://example.com/docs', 'https://evil.example/', 'https://accounts.google.com/o/oauth2/v2/auth?x=1']);
  });

  it('lets the console write to the clipboard (its Copy buttons) and refuses every other permission', async () => {
    seedDesktopSettings();
    const { electron } = await launch();
    const console = { url: 'app://switchyard/index.html#/overview' };
    expect(await electron.session.clipboardWrite(console)).toBe(true);
    expect(await electron.session.clipboardWrite({ url: 'https://example.com/' })).toBe(false);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      expect(await electron.session.request(permission, console)).toBe(false);
      expect(electron.session.check(permission, console)).toBe(false);
    }
  });

  it('answers IPC from the console and refuses it from any other page', async () => {
    seedDesktopSettings();
    const { electron } = await launch();
    const fromConsole = await electron.ipcMain.renderer().invoke('switchyard:getStatus');
    expect(fromConsole).toMatchObject({ ok: true, value: { running: true } });
    const fromElsewhere = await electron.ipcMain.renderer('https://example.com/').invoke('switchyard:getStatus');
    expect(fromElsewhere).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('between runs', () => {
  it('starts the gateway on launch when it was running at the last quit', async () => {
    seedDesktopSettings();
    const first = await launch();
    expect(await quit(first.electron, first.app)).toBe(0);
    const second = await launch();
    expect((await second.app.runtime.getStatus()).running).toBe(true);
  });

  it('leaves it stopped when the user had stopped it', async () => {
    seedDesktopSettings();
    const first = await launch();
    first.electron.trays[0]!.clickItem('Stop gateway');
    await waitFor(() => trayLabels(first.electron).includes('Start gateway'));
    expect(await quit(first.electron, first.app)).toBe(0);

    const second = await launch();
    expect((await second.app.runtime.getStatus()).running).toBe(false);
    expect(trayLabels(second.electron)).toContain('Start gateway');
  });

  it('tries again on the next launch when the start failed (the port was taken)', async () => {
    seedDesktopSettings();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const first = await launch();
    expect((await first.app.runtime.getStatus()).last_error).toBe('port_in_use');
    expect(await quit(first.electron, first.app)).toBe(0);
    await new Promise((r) => blocker.close(r));

    const second = await launch();
    expect((await second.app.runtime.getStatus()).running).toBe(true);
  });

  it('starts as on a first launch when its state file is damaged, keeping the file aside', async () => {
    seedDesktopSettings();
    const first = await launch();
    await first.app.runtime.stopGateway();
    expect(await quit(first.electron, first.app)).toBe(0);
    const { writeFile, readdir } = await import('node:fs/promises');
    await writeFile(join(desktopDir(), 'state.json'), '{"gateway_running": nope');
    const second = await launch();
    expect((await second.app.runtime.getStatus()).running).toBe(true);
    expect((await readdir(desktopDir())).some((f) => f.startsWith('state.json.corrupt-'))).toBe(true);
  });
});

describe('quit', () => {
  it('stops taking requests, lets the stream in flight finish, then exits', async () => {
    upstream = await startFakeAnthropic();
    seedDesktopSettings();
    const { electron, app } = await launch();
    await app.runtime.addAccount({
      provider: 'anthropic',
      label: 'a',
      api_key: 'k',
      options: { base_url: upstream.url, auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
    });
    const url = `http://127.0.0.1:${port}`;
    upstream.script({ kind: 'reply', text: 'slow answer arriving in pieces', chunks: 8, chunkDelayMs: 40 });
    const streaming = postJson(`${url}/v1/messages`, messagesBody({ stream: true }));
    await upstream.waitFor(() => upstream!.messageRequests().length === 1);

    electron.trays[0]!.clickItem('Quit Switchyard');
    expect(electron.app.quitCalls).toBe(1);
    // Electron answers app.quit() with before-quit; the app holds it back while it drains.
    expect(electron.app.beforeQuit()).toBe(false);
    expect(electron.windows[0]!.close()).toBe(true);
    await expect(postJson(`${url}/v1/messages`, messagesBody())).rejects.toThrow();

    const res = await streaming;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('event: message_stop');
    // Well before the five seconds of grace: the finished stream's connection does not hold the quit.
    await waitFor(() => electron.app.exitCodes.length > 0, 2000);
    expect(electron.app.exitCodes).toEqual([0]);
    running.splice(running.indexOf(app), 1);
  });
});

describe('Windows logoff and shutdown', () => {
  it('a window of its own hears the session end even when the console was never opened', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ platform: 'win32', argv: ['Switchyard.exe', '--hidden'] });
    expect(electron.windows).toHaveLength(0);
    expect(electron.hiddenWindows).toHaveLength(1);
    expect(electron.hiddenWindows[0]!.count('query-session-end')).toBe(1);
  });

  it('lets the stream in flight finish before the session ends, then exits', async () => {
    upstream = await startFakeAnthropic();
    seedDesktopSettings();
    const { electron, app } = await launch({ platform: 'win32' });
    await app.runtime.addAccount({
      provider: 'anthropic',
      label: 'a',
      api_key: 'k',
      options: { base_url: upstream.url, auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
    });
    const url = `http://127.0.0.1:${port}`;
    upstream.script({ kind: 'reply', text: 'slow answer arriving in pieces', chunks: 8, chunkDelayMs: 40 });
    const streaming = postJson(`${url}/v1/messages`, messagesBody({ stream: true }));
    await upstream.waitFor(() => upstream!.messageRequests().length === 1);

    // No before-quit at logoff: Windows asks the windows instead, and Electron leaves right after session-end.
    expect(electron.hiddenWindows[0]!.querySessionEnd(['logoff'])).toBe(true);
    await expect(postJson(`${url}/v1/messages`, messagesBody())).rejects.toThrow();
    const res = await streaming;
    expect(await res.text()).toContain('event: message_stop');
    await waitFor(() => electron.app.exitCodes.length > 0, 2000);
    expect(electron.app.exitCodes).toEqual([0]);
    running.splice(running.indexOf(app), 1);
  });

  it('is not watched on other systems', async () => {
    seedDesktopSettings();
    const { electron } = await launch({ platform: 'darwin' });
    expect(electron.hiddenWindows).toHaveLength(0);
  });
});

describe('headless data', () => {
  async function seedHeadless(dir: string): Promise<string> {
    const headless = await openFileRuntime(dir);
    await headless.updateSettings({ port, log_history_limit: 123 });
    const account = await headless.addAccount({
      provider: 'anthropic',
      label: 'from serve',
      api_key: 'sk-fake-headless-secret',
      options: { base_url: 'http://127.0.0.1:9', auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
    });
    await headless.close(0);
    return account.id;
  }

  it('is copied in on the first launch, keys sealed, and the console is told', async () => {
    const headlessDir = join(home, 'headless');
    const id = await seedHeadless(headlessDir);
    const before = await readFile(join(headlessDir, 'secrets.json'), 'utf8');

    const { app } = await launch({ headlessDataDir: headlessDir });
    expect((await app.runtime.getSettings()).log_history_limit).toBe(123);
    expect((await app.runtime.listAccounts()).map((a) => [a.id, a.label])).toEqual([[id, 'from serve']]);
    const warnings = await app.runtime.listWarnings();
    expect(warnings).toEqual([expect.objectContaining({ code: 'headless_data_imported', file: headlessDir })]);

    const sealed = await readFile(join(desktopDir(), 'secrets.json'), 'utf8');
    expect(sealed).not.toContain('sk-fake-headless-secret');
    expect(sealed).toContain('safe:');
    // The headless folder is read, not changed.
    expect(await readFile(join(headlessDir, 'secrets.json'), 'utf8')).toBe(before);
  });

  it('the copied key works: requests go out with it', async () => {
    upstream = await startFakeAnthropic();
    const headlessDir = join(home, 'headless');
    const headless = await openFileRuntime(headlessDir);
    await headless.updateSettings({ port });
    await headless.addAccount({
      provider: 'anthropic',
      label: 'from serve',
      api_key: 'sk-fake-headless-secret',
      options: { base_url: upstream.url, auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
    });
    await headless.close(0);

    await launch({ headlessDataDir: headlessDir });
    const res = await postJson(`http://127.0.0.1:${port}/v1/messages`, messagesBody());
    expect(res.status).toBe(200);
    expect(upstream.messageRequests()[0]!.headers['x-api-key']).toBe('sk-fake-headless-secret');
  });

  it('never overwrites desktop data: a later launch copies nothing', async () => {
    const headlessDir = join(home, 'headless');
    seedDesktopSettings({ log_history_limit: 5 });
    await seedHeadless(headlessDir);
    const { app } = await launch({ headlessDataDir: headlessDir });
    expect((await app.runtime.getSettings()).log_history_limit).toBe(5);
    expect(await app.runtime.listAccounts()).toEqual([]);
    expect(await app.runtime.listWarnings()).toEqual([]);
  });

  it('without a headless folder, the first launch starts empty and says nothing', async () => {
    // Stopped at the last quit, so this first launch does not take the default port.
    openConfStore('state', desktopDir()).store = { gateway_running: false };
    const { app } = await launch({ headlessDataDir: join(home, 'nothing-here') });
    expect(await app.runtime.listAccounts()).toEqual([]);
    expect(await app.runtime.listWarnings()).toEqual([]);
  });
});

describe('release updates', () => {
  it('are not looked up in development', async () => {
    seedDesktopSettings();
    const { app } = await launch({ isPackaged: false, repository: 'github:switchyard-dev/switchyard' });
    expect(await app.runtime.getUpdateStatus()).toMatchObject({ supported: false, current_version: '1.2.3' });
  });

  it('are supported in a packaged app whose package names its repository', async () => {
    seedDesktopSettings();
    const { app } = await launch({ isPackaged: true, repository: 'github:switchyard-dev/switchyard' });
    expect(await app.runtime.getUpdateStatus()).toMatchObject({ supported: true, current_version: '1.2.3', checked_at: null });
  });
});
