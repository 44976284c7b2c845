// The composition entry: Electron's modules go into one DesktopPlatform unchanged, and what the entry
// works out itself (folders, version, repository, how stores open) is right. electron and
// electron-store are replaced for this file only; runDesktopApp is caught before it runs.

import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultDataDir } from '../../src-proxy/cli/data-dir.js';
import type { DesktopPlatform } from '../../src-main/desktop-app.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');

const electron = vi.hoisted(() => {
  const app = {
    isPackaged: false,
    getAppPath: vi.fn(),
    getVersion: () => '4.5.6',
    exit: vi.fn(),
  };
  return {
    app,
    BrowserWindow: vi.fn(),
    Tray: vi.fn(),
    clipboard: { writeText: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ built: t })) },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    safeStorage: { isEncryptionAvailable: () => true },
    session: { defaultSession: { marker: 'default session' } },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
});
const stores = vi.hoisted(() => ({ made: [] as unknown[] }));
const run = vi.hoisted(() => ({ platform: null as DesktopPlatform | null }));

vi.mock('electron', () => electron);
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
  electron.app.getAppPath.mockReturnValue(repoRoot);
  stores.made.length = 0;
});

describe('src-main/index.ts', () => {
  it('hands Electron’s own objects in', async () => {
    const p = await loadEntry();
    expect(p.app).toBe(electron.app);
    expect(p.ipcMain).toBe(electron.ipcMain);
    expect(p.protocol).toBe(electron.protocol);
    expect(p.safeStorage).toBe(electron.safeStorage);
    expect(p.defaultSession()).toBe(electron.session.defaultSession);
    expect(p.buildMenu([{ label: 'x' }])).toEqual({ built: [{ label: 'x' }] });
    p.openExternal('https://example.com/');
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    p.writeClipboard('export A=1');
    expect(electron.clipboard.writeText).toHaveBeenCalledWith('export A=1');
  });

  it('works out the version, the repository, the headless folder and the built files', async () => {
    const p = await loadEntry();
    expect(p.appVersion).toBe('4.5.6');
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
