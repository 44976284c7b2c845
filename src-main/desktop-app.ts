// The desktop app: the core runtime with desktop stores, the console window over IPC, the tray, and the
// app's lifecycle. Everything Electron provides arrives in `DesktopPlatform`, so this runs under a test
// double as it does under Electron; src-main/index.ts only hands Electron in.

import { join } from 'node:path';
import { claudeCodeSetup, type GatewayStatus } from '../src-proxy/contract/index.js';
import { createRuntime, type Runtime } from '../src-proxy/runtime/create-runtime.js';
import { DESKTOP_DATA_FOLDER, openDesktopStores } from './adapters/desktop-stores.js';
import { openAppState } from './adapters/app-state.js';
import type { SafeStorageLike } from './adapters/safe-storage-codec.js';
import type { KeyValueFile } from './adapters/store-document.js';
import { forwardEvents } from './ipc/forward-events.js';
import { registerControlApi, type IpcMainLike } from './ipc/register-control-api.js';
import { HIDDEN_FLAG, loginItemAutostart, xdgAutostart, type Autostart, type LoginItemsApp } from './lifecycle/autostart.js';
import { QuitPolicy } from './lifecycle/quit-policy.js';
import { claimSingleInstance } from './lifecycle/single-instance.js';
import { APP_SCHEME, CONSOLE_URL, isAppUrl } from './security/app-origin.js';
import { createAppProtocolHandler } from './security/app-protocol.js';
import { applyWebContentsPolicy, denyAllPermissions, type SessionLike, type WebContentsLike } from './security/web-contents-policy.js';
import { secureWebPreferences, type SecureWebPreferences } from './security/web-preferences.js';
import { TrayController, type TrayLike } from './tray/tray-controller.js';
import { trayImageFile, trayPlatform } from './tray/tray-images.js';
import type { TrayMenuItem } from './tray/tray-menu.js';
import { desktopReleaseFeed } from './updates/github-release-feed.js';

export interface WindowLike {
  readonly webContents: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void };
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'closed' | 'ready-to-show', listener: () => void): unknown;
  show(): void;
  hide(): void;
  focus(): void;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
}

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  autoHideMenuBar: true;
  webPreferences: SecureWebPreferences;
}

export interface AppLike extends LoginItemsApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
  whenReady(): Promise<unknown>;
  enableSandbox(): void;
  quit(): void;
  exit(code: number): void;
  getPath(name: 'userData'): string;
}

export interface DesktopPlatform {
  app: AppLike;
  ipcMain: IpcMainLike;
  protocol: {
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void;
    handle(scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>): void;
  };
  defaultSession(): SessionLike;
  openExternal(url: string): void;
  writeClipboard(text: string): void;
  safeStorage: SafeStorageLike;
  createWindow(options: WindowOptions): WindowLike;
  createTray(imagePath: string): TrayLike & { on(event: 'click', listener: () => void): unknown };
  buildMenu(template: TrayMenuItem[]): unknown;
  /** electron-store's `new Store({ name, cwd, ... })` for the profile folder. */
  openStore(name: string, dir: string): KeyValueFile;
  fileExists(path: string): boolean;
  platform: string;
  argv: readonly string[];
  /** The app's own executable, for the Linux autostart entry. */
  execPath: string;
  /** dist/ of the app (main, preload and renderer builds). */
  distDir: string;
  /** Where the tray images are (resources in a package, assets/ in development). */
  trayImageDir: string;
  /** XDG config home on Linux (~/.config). */
  configHome: string;
  /** Where `switchyard serve` keeps its data on this machine (src-proxy/lib/data-dir.ts). */
  headlessDataDir: string | null;
  /** app.getVersion(). */
  appVersion: string;
  /** app.isPackaged: releases are looked up only from an installed app, not in development. */
  isPackaged: boolean;
  /** package.json's `repository`, where releases are published. */
  repository: unknown;
  onInternalError(err: unknown): void;
}

export interface DesktopApp {
  runtime: Runtime;
  tray: TrayController;
  openConsole(): WindowLike;
  quitPolicy: QuitPolicy;
}

/**
 * Starts the desktop app. Resolves with null when another instance is running (this one then quits),
 * otherwise once the runtime, tray and IPC are up.
 */
export async function runDesktopApp(p: DesktopPlatform): Promise<DesktopApp | null> {
  let window: WindowLike | null = null;
  let quitPolicy: QuitPolicy | null = null;
  const showConsole = (): WindowLike => {
    if (!window || window.isDestroyed()) {
      const w = p.createWindow({
        width: 1180,
        height: 780,
        minWidth: 860,
        minHeight: 560,
        show: false,
        title: 'Switchyard',
        autoHideMenuBar: true,
        webPreferences: secureWebPreferences(join(p.distDir, 'preload', 'index.cjs')),
      });
      window = w;
      w.on('ready-to-show', () => w.show());
      w.on('closed', () => {
        if (window === w) window = null;
      });
      // The app lives in the tray: closing the window hides it, unless the app is quitting.
      w.on('close', (event) => {
        if (quitPolicy?.isQuitting) return;
        event.preventDefault();
        w.hide();
      });
      void w.loadURL(CONSOLE_URL).catch(p.onInternalError);
      return w;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  };

  // A second launch during start-up waits until there is a console to show.
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (started = resolve));
  if (!claimSingleInstance(p.app, () => void ready.then(showConsole))) return null;
  // macOS opens a running app again (Finder, Spotlight, the Dock) with `activate`, not a second launch.
  p.app.on('activate', () => void ready.then(showConsole));
  // Before ready: the console's scheme gets an origin of its own, and every renderer is sandboxed.
  p.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  p.app.enableSandbox();
  p.app.on('web-contents-created', (_event, contents) => applyWebContentsPolicy(contents, p.openExternal));
  // Without this handler Electron quits when the window closes; the app lives on in the tray.
  p.app.on('window-all-closed', () => undefined);
  await p.app.whenReady();

  const dataDir = join(p.app.getPath('userData'), DESKTOP_DATA_FOLDER);
  const openStore = (name: string) => p.openStore(name, dataDir);
  const stores = await openDesktopStores({ dir: dataDir, openStore, safeStorage: p.safeStorage, platform: p.platform, headlessDir: p.headlessDataDir });
  const runtime = await createRuntime({
    ...stores,
    version: p.appVersion,
    releases: desktopReleaseFeed({ isPackaged: p.isPackaged, repository: p.repository, version: p.appVersion }) ?? undefined,
    onInternalError: p.onInternalError,
  });
  const quit = new QuitPolicy({ shutdown: (graceMs) => runtime.close(graceMs), exit: (code) => p.app.exit(code), onError: p.onInternalError });
  quitPolicy = quit;
  p.app.on('before-quit', (event) => quit.onBeforeQuit(event));

  denyAllPermissions(p.defaultSession());
  p.protocol.handle(APP_SCHEME, createAppProtocolHandler(join(p.distDir, 'renderer')));
  registerControlApi(p.ipcMain, runtime, { isTrustedUrl: isAppUrl, onInternalError: p.onInternalError });
  forwardEvents(runtime.events, () => (window && !window.isDestroyed() ? window.webContents : null));

  const autostart: Autostart | null =
    p.platform === 'linux'
      ? xdgAutostart(p.configHome, p.execPath, p.fileExists)
      : p.platform === 'darwin' || p.platform === 'win32'
        ? loginItemAutostart(p.app)
        : null;
  const platform = trayPlatform(p.platform);
  const trayIcon = p.createTray(join(p.trayImageDir, trayImageFile(platform, false)));
  trayIcon.on('click', () => void showConsole());
  let openAtLogin = autostart ? await autostart.isEnabled() : false;
  const tray = new TrayController({
    tray: trayIcon,
    buildMenu: p.buildMenu,
    imageFor: (running) => join(p.trayImageDir, trayImageFile(platform, running)),
    actions: {
      // A start that fails shows in the status (and so in the tray and the console) as last_error.
      toggleGateway: () => void toggleGateway(runtime).catch(() => undefined),
      copyClaudeSetup: () => void copyClaudeSetup(runtime, p),
      openConsole: () => void showConsole(),
      setOpenAtLogin: (enabled) =>
        void autostart
          ?.setEnabled(enabled)
          .then(async () => {
            openAtLogin = await autostart.isEnabled();
            tray.update({ ...tray.current!, openAtLogin });
          })
          .catch(p.onInternalError),
      quit: () => p.app.quit(),
    },
  });
  const state = await openAppState(openStore, join(dataDir, 'state.json'));
  const trayState = (status: GatewayStatus) => ({ status, openAtLogin, canOpenAtLogin: autostart !== null });
  runtime.events.on('status', (status) => {
    tray.update(trayState(status));
    // What the user left it as: neither a stop while quitting nor a start that failed is their choice.
    const failedStart = !status.running && status.last_error !== null;
    if (!quit.isQuitting && !failedStart) state.update({ gateway_running: status.running }).catch(p.onInternalError);
  });
  tray.update(trayState(await runtime.getStatus()));

  // The gateway comes back as the user left it (running, the first time).
  if (state.get().gateway_running !== false) await runtime.startGateway().catch(() => undefined);
  if (!p.argv.includes(HIDDEN_FLAG)) showConsole();
  started();
  return { runtime, tray, openConsole: showConsole, quitPolicy: quit };
}

async function toggleGateway(runtime: Runtime): Promise<void> {
  const { running } = await runtime.getStatus();
  await (running ? runtime.stopGateway() : runtime.startGateway());
}

async function copyClaudeSetup(runtime: Runtime, p: DesktopPlatform): Promise<void> {
  const [status, settings] = await Promise.all([runtime.getStatus(), runtime.getSettings()]);
  if (!status.url) return;
  const auth = settings.auth_mode !== 'off' && settings.api_key !== '';
  p.writeClipboard(claudeCodeSetup({ url: status.url, apiKey: auth ? settings.api_key : null, shell: p.platform === 'win32' ? 'powershell' : 'posix' }));
}
