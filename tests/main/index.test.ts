// The composition entry: Electron's modules go into one DesktopPlatform unchanged, and what the entry
// works out itself (folders, version, repository, how stores open) is right. electron and
// electron-store are replaced for this file only; runDesktopApp is caught before it runs.

import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultDataDir } from '../../src-proxy/lib/data-dir.js';
import type { DesktopPlatform } from '../../src-main/desktop-app.js';
import type { FakeElectronModule } from './helpers/fake-electron.js';

const electron = vi.hoisted(() => ({ module: null as FakeElectronModule | null }));
vi.mock('electron', async () => {
  const { fakeElectronModule } = await import('./helpers/fake-electron.js');
  electron.module = fakeElectronModule({ userData: '/nonexistent/profile' });
  electron.module.app.appPath = resolve(import.meta.dirname, '..', '..');
  return electron.module;
});
const stores = vi.hoisted(() => ({ made: [] as unknown[] }));
const run = vi.hoisted(() => ({ platform: null as DesktopPlatform | null }));

vi.mock('electron-store', () => ({
  default: class {
    constructor(options: unknown) {
      stores.made.push(options);
    }
  },
}));
vi.mock('../../src-main/desktop-app.js', () => ({
  runDesktopApp: vi.fn(async (p: DesktopPlatform) => {
    run.platform = p;
    return null;
  }),
}));

async function loadEntry(): Promise<DesktopPlatform> {
  vi.resetModules();
  run.platform = null;
  await import('../../src-main/index.js');
  return run.platform!;
}

beforeEach(() => {
  stores.made.length = 0;
});

describe('src-main/index.ts', () => {
  it('hands Electron’s own objects in', async () => {
    const p = await loadEntry();
    const m = electron.module!;
    expect(p.app).toBe(m.app);
    expect(p.ipcMain).toBe(m.ipcMain);
    expect(p.protocol).toBe(m.protocol);
    expect(p.safeStorage).toBe(m.safeStorage);
    expect(p.defaultSession()).toBe(m.session.defaultSession);
    expect(p.buildMenu([{ label: 'x' }])).toEqual({ builtFrom: [{ label: 'x' }] });
    p.openExternal('https://example.com/');
    expect(m.platform.opened).toEqual(['https://example.com/']);
    await p.writeClipboard('export A=1');
    expect(m.platform.clipboard).toEqual(['export A=1']);
    expect(p.createTray('/tray.png')).toBe(m.platform.trays[0]);
    expect(p.createHiddenWindow()).toBe(m.platform.hiddenWindows[0]);
    expect(p.env).toBe(process.env);
  });

  it('sets the application menu it is given, or none', async () => {
    const p = await loadEntry();
    p.setApplicationMenu([{ role: 'appMenu' }, { role: 'editMenu' }]);
    expect(electron.module!.platform.applicationMenu).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }]);
    p.setApplicationMenu(null);
    expect(electron.module!.platform.applicationMenu).toBeNull();
  });

  it('hands on the clipboard’s failure to the caller, as a rejected Promise', async () => {
    const p = await loadEntry();
    electron.module!.platform.clipboardFailure = new Error('clipboard unavailable');
    await expect(p.writeClipboard('x')).rejects.toThrow('clipboard unavailable');
  });

  it('reports a link no application opens instead of leaving the rejection unhandled', async () => {
    const p = await loadEntry();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const reported = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      p.openExternal('mailto:someone@example.com');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      expect(reported).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('mailto:') }), expect.anything());
    } finally {
      process.off('unhandledRejection', onUnhandled);
      reported.mockRestore();
    }
  });

  it('works out the version, the repository, the headless folder and the built files', async () => {
    const p = await loadEntry();
    expect(p.appVersion).toBe('1.2.3');
    expect(p.isPackaged).toBe(false);
    expect(p.repository).toBe('github:switchyard-dev/switchyard');
    expect(p.headlessDataDir).toBe(defaultDataDir());
    expect(p.trayImageDir).toBe(join(p.distDir, '..', 'assets', 'tray'));
    expect(p.platform).toBe(process.platform);
  });

  it('opens electron-store files private to the user, and never clears one it cannot read', async () => {
    const p = await loadEntry();
    p.openStore('settings', '/profile/desktop');
    expect(stores.made).toEqual([{ name: 'settings', cwd: '/profile/desktop', configFileMode: 0o600, clearInvalidConfig: false }]);
  });
});
