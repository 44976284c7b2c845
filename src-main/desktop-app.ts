// The desktop app: the core runtime with desktop stores, the console window over IPC, the tray, and the
// app's lifecycle. Everything Electron provides arrives in `DesktopPlatform`, so this runs under a test
// double as it does under Electron; src-main/index.ts only hands Electron in.

import { join } from 'node:path';
import { FileClaudeLinkStore } from '../src-proxy/claude-code/link-store.js';
import { claudeCodeSetup, type GatewayStatus } from '../src-proxy/contract/index.js';
import { createRuntime, type Runtime } from '../src-proxy/runtime/create-runtime.js';
import { DESKTOP_DATA_FOLDER, openDesktopStores } from './adapters/desktop-stores.js';
import { openAppState } from './adapters/app-state.js';
import type { SafeStorageLike } from './adapters/safe-storage-codec.js';
import type { KeyValueFile } from './adapters/store-document.js';
import { forwardEvents } from './ipc/forward-events.js';
import { registerControlApi, type IpcMainLike } from './ipc/register-control-api.js';
import {
  launchCommand,
  launchedAtLogin,
  macLoginItem,
  windowsLoginItem,
  xdgAutostart,
  type Autostart,
  type AutostartState,
  type LoginItemsApp,
} from './lifecycle/autostart.js';
import { QuitPolicy } from './lifecycle/quit-policy.js';
import { quitWithSession, type SessionEndSource } from './lifecycle/session-end.js';
import { claimSingleInstance } from './lifecycle/single-instance.js';
import { APP_SCHEME, CONSOLE_URL, isAppUrl } from './security/app-origin.js';
import { createAppProtocolHandler } from './security/app-protocol.js';
import { applicationMenu, type AppMenuItem } from './security/application-menu.js';
import { applyPermissionPolicy, applyWebContentsPolicy, type SessionLike, type WebContentsLike } from './security/web-contents-policy.js';
import { secureWebPreferences, type SecureWebPreferences } from './security/web-preferences.js';
import { TrayController, type TrayLike } from './tray/tray-controller.js';
import { trayImageFile, trayPlatform } from './tray/tray-images.js';
import type { TrayMenuItem } from './tray/tray-menu.js';
import { trayShown, type DesktopSession } from './tray/tray-support.js';

export type { AppMenuItem } from './security/application-menu.js';
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
  getPath(name: 'userData' | 'home'): string;
  /** The folder of the app's package.json (the app a bare `electron` runs in development). */
  getAppPath(): string;
}

export interface DesktopPlatform {
  app: AppLike;
  ipcMain: IpcMainLike;
  protocol: {
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void;
    handle(scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>): void;
  };
  defaultSession(): SessionLike;
  /** Opens a link in the system browser; a failure is the platform's to report. */
  openExternal(url: string): void;
  writeClipboard(text: string): Promise<void>;
  safeStorage: SafeStorageLike;
  createWindow(options: WindowOptions): WindowLike;
  /** A window with no page that is never shown (Windows sends session-end messages to windows only). */
  createHiddenWindow(): SessionEndSource;
  createTray(imagePath: string): TrayLike & { on(event: 'click', listener: () => void): unknown };
  buildMenu(template: TrayMenuItem[]): unknown;
  /** Menu.setApplicationMenu: the template's menu, or none. */
  setApplicationMenu(template: AppMenuItem[] | null): void;
  /** Whether a StatusNotifier host is on the session bus (Linux); null when that cannot be told. */
  statusNotifierWatcher(): Promise<boolean | null>;
  /** electron-store's `new Store({ name, cwd, ... })` for the profile folder. */
  openStore(name: string, dir: string): KeyValueFile;
  fileExists(path: string): boolean;
  platform: string;
  argv: readonly string[];
  /** What the app reads of its environment: the desktop session, and APPIMAGE inside an AppImage. */
  env: Readonly<DesktopSession & { APPIMAGE?: string; CLAUDE_CONFIG_DIR?: string }>;
  /** The running executable (in development, a bare Electron). */
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
  // Where no tray icon is seen, a hidden window could not be found again: closing it quits instead.
  let inTray = true;
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
        if (inTray) w.hide();
        else p.app.quit();
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
  p.setApplicationMenu(applicationMenu(p.platform));

  // Asked of the session bus while the stores open.
  const watcher = p.platform === 'linux' ? p.statusNotifierWatcher().catch(() => null) : Promise.resolve(null);
  const dataDir = join(p.app.getPath('userData'), DESKTOP_DATA_FOLDER);
  const openStore = (name: string) => p.openStore(name, dataDir);
  const stores = await openDesktopStores({ dir: dataDir, openStore, safeStorage: p.safeStorage, platform: p.platform, headlessDir: p.headlessDataDir });
  inTray = trayShown(p.platform, p.env, await watcher);
  if (!inTray) stores.warnings.push({ code: 'tray_unavailable', file: '', backup: null, time: Date.now() });
  const runtime = await createRuntime({
    ...stores,
    // Claude Code's user settings are those of the user running the app.
    claudeLinks: new FileClaudeLinkStore(join(dataDir, 'claude-code.json')),
    claudeHome: { configDir: p.env.CLAUDE_CONFIG_DIR || undefined, home: p.app.getPath('home') },
    version: p.appVersion,
    releases: desktopReleaseFeed({ isPackaged: p.isPackaged, repository: p.repository, version: p.appVersion }) ?? undefined,
    onInternalError: p.onInternalError,
  });
  const quit = new QuitPolicy({ shutdown: (graceMs) => runtime.close(graceMs), exit: (code) => p.app.exit(code), onError: p.onInternalError });
  quitPolicy = quit;
  p.app.on('before-quit', (event) => quit.onBeforeQuit(event));
  // Windows tells windows, not the app, that the session ends; a window of its own hears it even when
  // the console was never opened.
  if (p.platform === 'win32') quitWithSession(p.createHiddenWindow(), quit);

  applyPermissionPolicy(p.defaultSession());
  p.protocol.handle(APP_SCHEME, createAppProtocolHandler(join(p.distDir, 'renderer')));
  registerControlApi(p.ipcMain, runtime, { isTrustedUrl: isAppUrl, onInternalError: p.onInternalError });
  forwardEvents(runtime.events, () => (window && !window.isDestroyed() ? window.webContents : null));

  const autostart = autostartFor(p);
  let loginItem: AutostartState = autostart ? await autostart.state() : { enabled: false, problem: null };
  // An entry written by an earlier run is pointed at where the app is now (an AppImage may have moved).
  if (autostart && p.platform === 'linux' && loginItem.enabled) loginItem = await autostart.setEnabled(true).catch(() => loginItem);
  const platform = trayPlatform(p.platform);
  const trayIcon = p.createTray(join(p.trayImageDir, trayImageFile(platform, false)));
  trayIcon.on('click', () => void showConsole());
  const tray = new TrayController({
    tray: trayIcon,
    buildMenu: p.buildMenu,
    imageFor: (running) => join(p.trayImageDir, trayImageFile(platform, running)),
    actions: {
      // A start that fails shows in the status (and so in the tray and the console) as last_error.
      toggleGateway: () => void toggleGateway(runtime).catch(() => undefined),
      copyClaudeSetup: () => void copyClaudeSetup(runtime, p).catch(p.onInternalError),
      // The user's Claude Code settings, as the console's button does it; a refusal shows in the console.
      toggleClaudeCode: () =>
        void (claudeCodeConnected ? runtime.disconnectClaudeCode({}) : runtime.connectClaudeCode({})).catch(() => undefined).then(refreshClaudeCode),
      openConsole: () => void showConsole(),
      setOpenAtLogin: (enabled) =>
        void autostart
          ?.setEnabled(enabled)
          .then((state) => {
            loginItem = state;
            tray.update(trayState(tray.current!.status));
          })
          .catch(p.onInternalError),
      quit: () => p.app.quit(),
    },
  });
  const state = await openAppState(openStore, join(dataDir, 'state.json'));
  let claudeCodeConnected: boolean | null = null;
  const refreshClaudeCode = async () => {
    claudeCodeConnected = await runtime.getClaudeCodeStatus({}).then(
      (s) => s.connected,
      () => null,
    );
    if (tray.current) tray.update(trayState(tray.current.status));
  };
  for (const event of ['claude_code', 'settings', 'status'] as const) runtime.events.on(event, () => void refreshClaudeCode());
  const trayState = (status: GatewayStatus) => ({
    status,
    claudeCodeConnected,
    openAtLogin: loginItem.enabled,
    openAtLoginProblem: loginItem.problem,
    canOpenAtLogin: autostart !== null,
  });
  runtime.events.on('status', (status) => {
    tray.update(trayState(status));
    // What the user left it as: neither a stop while quitting nor a start that failed is their choice.
    const failedStart = !status.running && status.last_error !== null;
    if (!quit.isQuitting && !failedStart) state.update({ gateway_running: status.running }).catch(p.onInternalError);
  });
  tray.update(trayState(await runtime.getStatus()));
  await refreshClaudeCode();

  // The gateway comes back as the user left it (running, the first time).
  if (state.get().gateway_running !== false) await runtime.startGateway().catch(() => undefined);
  // A login launch stays in the tray; without a tray the window is the only way to the app.
  if (!launchedAtLogin(p.platform, p.argv, p.app) || !inTray) showConsole();
  started();
  return { runtime, tray, openConsole: showConsole, quitPolicy: quit };
}

/** The platform's login item: Windows and macOS keep one for the app, Linux desktops read an autostart entry. */
function autostartFor(p: DesktopPlatform): Autostart | null {
  const launch = launchCommand({ execPath: p.execPath, isPackaged: p.isPackaged, appPath: p.app.getAppPath(), appImage: p.env.APPIMAGE });
  if (p.platform === 'linux') return xdgAutostart(p.configHome, launch, p.fileExists);
  if (p.platform === 'win32') return windowsLoginItem(p.app, launch);
  // macOS registers the running bundle, which in development is Electron itself, not the app.
  if (p.platform === 'darwin' && p.isPackaged) return macLoginItem(p.app);
  return null;
}

async function toggleGateway(runtime: Runtime): Promise<void> {
  const { running } = await runtime.getStatus();
  await (running ? runtime.stopGateway() : runtime.startGateway());
}

async function copyClaudeSetup(runtime: Runtime, p: DesktopPlatform): Promise<void> {
  const [status, settings] = await Promise.all([runtime.getStatus(), runtime.getSettings()]);
  if (!status.url) return;
  const auth = settings.auth_mode !== 'off' && settings.api_key !== '';
  await p.writeClipboard(claudeCodeSetup({ url: status.url, apiKey: auth ? settings.api_key : null, shell: p.platform === 'win32' ? 'powershell' : 'posix' }));
}
