// The Electron main process: hands Electron's modules to the desktop app, and nothing else.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app, BaseWindow, BrowserWindow, clipboard, ipcMain, Menu, protocol, safeStorage, session, shell, Tray } from 'electron';
import ElectronStore from 'electron-store';
import { defaultDataDir } from '../src-proxy/lib/data-dir.js';
import { reportUnhandled } from '../src-proxy/lib/report.js';
import { runDesktopApp, type DesktopPlatform } from './desktop-app.js';
import { hasStatusNotifierWatcher } from './tray/tray-support.js';

// dist/main/index.cjs: the other builds sit beside it in dist/.
const distDir = join(__dirname, '..');
const packageJson = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as { repository?: unknown };
const onInternalError = (err: unknown) => reportUnhandled('switchyard', err);

const platform: DesktopPlatform = {
  app,
  ipcMain,
  protocol,
  defaultSession: () => session.defaultSession,
  // A link no application takes is reported, not left as an unhandled rejection.
  openExternal: (url) => void shell.openExternal(url).catch(onInternalError),
  writeClipboard: (text) => clipboard.writeText(text),
  safeStorage,
  createWindow: (options) => new BrowserWindow(options),
  createHiddenWindow: () => new BaseWindow({ show: false, skipTaskbar: true }),
  createTray: (image) => new Tray(image),
  buildMenu: (template) => Menu.buildFromTemplate(template),
  setApplicationMenu: (template) => Menu.setApplicationMenu(template === null ? null : Menu.buildFromTemplate(template)),
  statusNotifierWatcher: () => hasStatusNotifierWatcher(),
  // Secrets are sealed by safeStorage before they reach the store; the files are the user's alone.
  openStore: (name, dir) =>
    new ElectronStore({ name, cwd: dir, configFileMode: 0o600, clearInvalidConfig: false }) as unknown as ReturnType<DesktopPlatform['openStore']>,
  fileExists: existsSync,
  platform: process.platform,
  argv: process.argv,
  env: process.env,
  execPath: process.execPath,
  distDir,
  trayImageDir: app.isPackaged ? join(process.resourcesPath, 'tray') : join(distDir, '..', 'assets', 'tray'),
  configHome: process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'),
  headlessDataDir: defaultDataDir(),
  appVersion: app.getVersion(),
  isPackaged: app.isPackaged,
  repository: packageJson.repository,
  onInternalError,
};

runDesktopApp(platform).catch((err: unknown) => {
  reportUnhandled('switchyard failed to start', err);
  app.exit(1);
});
