// Start at login as each system keeps it, against the double's login items: what is set is read back
// the way Electron reads it, a login launch is recognised, and the Linux entry starts the app itself.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HIDDEN_FLAG,
  launchCommand,
  launchedAtLogin,
  linuxDesktopEntry,
  macLoginItem,
  windowsLoginItem,
  xdgAutostart,
} from '../../../src-main/lifecycle/autostart.js';
import { FakeApp, WINDOWS_RUN_VALUE } from '../helpers/fake-electron.js';

const EXE = 'C:\\Program Files\\Switchyard\\Switchyard.exe';

describe('Windows', () => {
  it('reads back on after turning it on, and off after turning it off (the same path and args both ways)', async () => {
    const app = new FakeApp('/profile', 'win32', EXE);
    const autostart = windowsLoginItem(app, launchCommand({ execPath: EXE, isPackaged: true, appPath: 'unused', appImage: undefined }));
    expect(await autostart.setEnabled(true)).toEqual({ enabled: true, problem: null });
    expect(app.runKey.get(WINDOWS_RUN_VALUE)).toBe(`"${EXE}" ${HIDDEN_FLAG}`);
    expect(await autostart.state()).toEqual({ enabled: true, problem: null });
    expect(await autostart.setEnabled(false)).toEqual({ enabled: false, problem: null });
    expect(app.runKey.size).toBe(0);
  });

  it('a read without the arguments it was set with says off, as Electron does (the reason to pass them)', async () => {
    const app = new FakeApp('/profile', 'win32', EXE);
    await windowsLoginItem(app, { path: EXE, args: [] }).setEnabled(true);
    expect(app.getLoginItemSettings().openAtLogin).toBe(false);
    expect(app.getLoginItemSettings({ args: [HIDDEN_FLAG] }).openAtLogin).toBe(true);
  });

  it('in development, starts Electron with the app folder', async () => {
    const app = new FakeApp('/profile', 'win32', 'C:\\dev\\node_modules\\electron\\dist\\electron.exe');
    const launch = launchCommand({ execPath: app.execPath, isPackaged: false, appPath: 'C:\\dev\\switchyard', appImage: undefined });
    await windowsLoginItem(app, launch).setEnabled(true);
    expect(app.runKey.get(WINDOWS_RUN_VALUE)).toBe(`C:\\dev\\node_modules\\electron\\dist\\electron.exe C:\\dev\\switchyard ${HIDDEN_FLAG}`);
  });

  it('recognises a login launch by the flag', () => {
    const app = new FakeApp('/profile', 'win32', EXE);
    expect(launchedAtLogin('win32', [EXE, HIDDEN_FLAG], app)).toBe(true);
    expect(launchedAtLogin('win32', [EXE], app)).toBe(false);
  });
});

describe('macOS', () => {
  it('registers the app itself, without arguments (macOS passes none to login items)', async () => {
    const app = new FakeApp('/profile', 'darwin', '/Applications/Switchyard.app/Contents/MacOS/Switchyard');
    expect(await macLoginItem(app).setEnabled(true)).toEqual({ enabled: true, problem: null });
    expect(await macLoginItem(app).setEnabled(false)).toEqual({ enabled: false, problem: null });
  });

  it('says when macOS did not take it (an unsigned app), and when it waits for approval', async () => {
    const app = new FakeApp('/profile', 'darwin');
    app.macLoginItemOutcome = 'ignored';
    expect(await macLoginItem(app).setEnabled(true)).toEqual({ enabled: false, problem: 'not_taken' });
    app.macLoginItemOutcome = 'requires-approval';
    expect(await macLoginItem(app).setEnabled(true)).toEqual({ enabled: false, problem: 'needs_approval' });
    expect(await macLoginItem(app).state()).toEqual({ enabled: false, problem: 'needs_approval' });
  });

  it('recognises a login launch by wasOpenedAtLogin, not by arguments', () => {
    const app = new FakeApp('/profile', 'darwin');
    expect(launchedAtLogin('darwin', ['Switchyard', HIDDEN_FLAG], app)).toBe(false);
    app.wasOpenedAtLogin = true;
    expect(launchedAtLogin('darwin', ['Switchyard'], app)).toBe(true);
  });
});

describe('Linux', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-autostart-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    [
      'an installed app',
      { execPath: '/opt/Switchyard/switchyard', isPackaged: true, appPath: '/opt/Switchyard/resources/app.asar', appImage: undefined },
      'Exec=/opt/Switchyard/switchyard --hidden',
    ],
    [
      'an AppImage, which starts from its file, not from the mount that goes away',
      {
        execPath: '/tmp/.mount_SwitchAbC123/switchyard',
        isPackaged: true,
        appPath: '/tmp/.mount_SwitchAbC123/resources/app.asar',
        appImage: '/home/u/Apps/Switchyard-1.0.0.AppImage',
      },
      'Exec=/home/u/Apps/Switchyard-1.0.0.AppImage --hidden',
    ],
    [
      'a development run (`electron .`), which needs the app folder',
      { execPath: '/src/switchyard/node_modules/electron/dist/electron', isPackaged: false, appPath: '/src/switchyard', appImage: undefined },
      'Exec=/src/switchyard/node_modules/electron/dist/electron /src/switchyard --hidden',
    ],
    [
      'paths with spaces and quotes',
      { execPath: '/opt/My Apps/switch"yard', isPackaged: true, appPath: 'unused', appImage: undefined },
      'Exec="/opt/My Apps/switch\\"yard" --hidden',
    ],
  ])('the entry of %s', async (_name, where, exec) => {
    const autostart = xdgAutostart(home, launchCommand(where), existsSync);
    expect(await autostart.setEnabled(true)).toEqual({ enabled: true, problem: null });
    const entry = await readFile(join(home, 'autostart', 'switchyard.desktop'), 'utf8');
    expect(entry.split('\n')).toContain(exec);
    expect(entry).toBe(linuxDesktopEntry(launchCommand(where)));
    expect(await autostart.setEnabled(false)).toEqual({ enabled: false, problem: null });
    expect(existsSync(join(home, 'autostart', 'switchyard.desktop'))).toBe(false);
  });
});
