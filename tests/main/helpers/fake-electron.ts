// The one test double of Electron: a DesktopPlatform whose app, windows, tray, IPC, protocol and session
// record what the main process does with them, and whose IPC pair carries calls and events the way
// Electron's does (arguments structured-cloned, the sender frame's URL on every invoke). Where Electron 45
// behaves in a way a naive double would hide, the double does the same: login items are read back only
// with the path and arguments they were set with (Windows), a permission request carries its name and
// the requesting page, and no handler means granted; the clipboard answers with a Promise; safeStorage
// is asynchronous, refuses before `ready`, can be unavailable on one run and available on the next, and
// asks for re-encryption after a key rotation. electron-store is stood in for by conf, the library it
// extends, on a real folder. The same fakes also make up the `electron` module for the two entry files
// that import it (fakeElectronModule).

import Conf from 'conf';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppLike, AppMenuItem, DesktopPlatform, WindowLike, WindowOptions } from '../../../src-main/desktop-app.js';
import type { KeyValueFile } from '../../../src-main/adapters/store-document.js';
import type { SafeStorageLike } from '../../../src-main/adapters/safe-storage-codec.js';
import type { InvokeEventLike, IpcMainLike } from '../../../src-main/ipc/register-control-api.js';
import type { SessionEndEvent } from '../../../src-main/lifecycle/session-end.js';
import type { IpcRendererLike } from '../../../src-main/preload/bridge.js';
import type { TrayMenuItem } from '../../../src-main/tray/tray-menu.js';
import type { PermissionCheckHandler, PermissionRequestHandler, SessionLike, WebContentsLike } from '../../../src-main/security/web-contents-policy.js';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** The Run key value name Electron uses on Windows when `name` is not given (the AppUserModelId). */
export const WINDOWS_RUN_VALUE = 'dev.switchyard.app';

/** A Run key command line as Electron writes it: the executable and each argument, quoted when needed. */
function windowsCommand(path: string, args: readonly string[]): string {
  const quote = (s: string) => (/[\s"]/.test(s) ? `"${s}"` : s);
  return [quote(path), ...args.map(quote)].join(' ');
}

/** How macOS takes a registration (SMAppService): an unsigned app's is silently ignored, a new one may wait for approval. */
export type MacLoginItemOutcome = 'enabled' | 'requires-approval' | 'ignored';

export class FakeApp extends Emitter implements AppLike {
  hasLock = true;
  quitCalls = 0;
  exitCodes: number[] = [];
  sandboxed = false;
  ready = false;
  isPackaged = false;
  /** What app.getAppPath() answers: the folder of the app's package.json. */
  appPath = process.cwd();
  /** Windows: HKCU\...\Run, value name -> command line. */
  readonly runKey = new Map<string, string>();
  /** macOS: the login item's SMAppService status. */
  macLoginItemStatus: 'not-registered' | 'enabled' | 'requires-approval' = 'not-registered';
  macLoginItemOutcome: MacLoginItemOutcome = 'enabled';
  /** macOS: this launch was a login item's. */
  wasOpenedAtLogin = false;
  constructor(
    private readonly userData: string,
    readonly platform = 'linux',
    readonly execPath = '/opt/Switchyard/switchyard',
  ) {
    super();
  }
  getAppPath() {
    return this.appPath;
  }
  getVersion() {
    return '1.2.3';
  }
  requestSingleInstanceLock() {
    return this.hasLock;
  }
  whenReady() {
    this.ready = true;
    return Promise.resolve();
  }
  enableSandbox() {
    this.sandboxed = true;
  }
  quit() {
    this.quitCalls++;
  }
  exit(code: number) {
    this.exitCodes.push(code);
  }
  getPath() {
    return this.userData;
  }
  getLoginItemSettings(options: { path?: string; args?: string[] } = {}) {
    if (this.platform === 'win32') {
      // Electron compares the Run value with the command line of the path and args asked about.
      const value = this.runKey.get(WINDOWS_RUN_VALUE);
      return { openAtLogin: value === windowsCommand(options.path ?? this.execPath, options.args ?? []) };
    }
    if (this.platform === 'darwin') {
      return { openAtLogin: this.macLoginItemStatus === 'enabled', wasOpenedAtLogin: this.wasOpenedAtLogin, status: this.macLoginItemStatus };
    }
    return { openAtLogin: false };
  }
  setLoginItemSettings(s: { openAtLogin: boolean; path?: string; args?: string[] }) {
    if (this.platform === 'win32') {
      if (s.openAtLogin) this.runKey.set(WINDOWS_RUN_VALUE, windowsCommand(s.path ?? this.execPath, s.args ?? []));
      else this.runKey.delete(WINDOWS_RUN_VALUE);
    } else if (this.platform === 'darwin') {
      if (!s.openAtLogin) this.macLoginItemStatus = 'not-registered';
      else if (this.macLoginItemOutcome !== 'ignored') this.macLoginItemStatus = this.macLoginItemOutcome;
    }
  }
  /** Runs `before-quit` as Electron does; true when nothing held the quit back. */
  beforeQuit(): boolean {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    return !prevented;
  }
}

/** The two ends of IPC: main's handlers and the renderer's invoke/on. */
export class FakeIpc implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  private readonly rendererListeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();

  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }

  /** The renderer side, as a page at `frameUrl` (null: a destroyed frame) sees it. */
  renderer(frameUrl: string | null = 'app://switchyard/index.html'): IpcRendererLike {
    return {
      invoke: async (channel, ...args) => {
        const handler = this.handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
        const result = await handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...structuredClone(args));
        return structuredClone(result);
      },
      on: (channel, listener) => {
        let set = this.rendererListeners.get(channel);
        if (!set) this.rendererListeners.set(channel, (set = new Set()));
        set.add(listener);
      },
      removeListener: (channel, listener) => {
        this.rendererListeners.get(channel)?.delete(listener);
      },
    };
  }

  /** What webContents.send delivers to the renderer. */
  deliver(channel: string, args: unknown[]): void {
    for (const l of this.rendererListeners.get(channel) ?? []) l({ sender: 'ipc-renderer-event' }, ...structuredClone(args));
  }

  rendererListenerCount(channel: string): number {
    return this.rendererListeners.get(channel)?.size ?? 0;
  }
}

export class FakeWebContents extends Emitter implements WebContentsLike {
  destroyed = false;
  sent: Array<[string, unknown[]]> = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  constructor(private readonly ipc: FakeIpc | null) {
    super();
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, args]);
    this.ipc?.deliver(channel, args);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  /** Asks whether navigating to `url` goes ahead, as Electron's will-navigate does. */
  navigate(url: string, event: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return !prevented;
  }
}

/** What Windows tells a window at logoff or shutdown: `query-session-end`, then `session-end`. */
class SessionEnds extends Emitter {
  /** Emits `query-session-end`; true when a listener held the session end back. */
  querySessionEnd(reasons: string[] = ['logoff']): boolean {
    let prevented = false;
    const event: SessionEndEvent = { reasons, preventDefault: () => (prevented = true) };
    this.emit('query-session-end', event);
    return prevented;
  }
  sessionEnd(reasons: string[] = ['logoff']): void {
    this.emit('session-end', { reasons, preventDefault: () => undefined });
  }
}

export class FakeWindow extends SessionEnds implements WindowLike {
  readonly webContents: FakeWebContents;
  loaded: string[] = [];
  visible = false;
  destroyed = false;
  minimized = false;
  focused = 0;
  constructor(
    readonly options: WindowOptions,
    ipc: FakeIpc,
  ) {
    super();
    this.webContents = new FakeWebContents(ipc);
  }
  async loadURL(url: string) {
    this.loaded.push(url);
    this.emit('ready-to-show');
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused++;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  /** The user closes the window; true when it really closed. */
  close(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    return true;
  }
}

/** A window with no page (Electron's BaseWindow), never shown. */
export class FakeHiddenWindow extends SessionEnds {}

export class FakeTray extends Emitter {
  images: string[] = [];
  tooltip = '';
  menu: TrayMenuItem[] = [];
  menuSets = 0;
  constructor(image: string) {
    super();
    this.images.push(image);
  }
  setImage(path: string) {
    this.images.push(path);
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown) {
    this.menu = menu as TrayMenuItem[];
    this.menuSets++;
  }
  /** Clicks the menu item with this label. */
  clickItem(label: string): void {
    const item = this.menu.find((i) => i.label === label);
    if (!item?.click) throw new Error(`no clickable tray item "${label}" in ${JSON.stringify(this.menu.map((i) => i.label))}`);
    item.click();
  }
}

/** What a page asking for a permission is, as Electron describes it to the handlers. */
export interface PermissionAsker {
  /** The page's URL (the check handler is given its origin). */
  url: string;
  isMainFrame?: boolean;
}

export class FakeSession implements SessionLike {
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(h: PermissionRequestHandler) {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: PermissionCheckHandler) {
    this.checkHandler = h;
  }
  /** A page asks for a permission; without a handler Electron grants it. */
  request(permission: string, asker: PermissionAsker): Promise<boolean> {
    if (!this.requestHandler) return Promise.resolve(true);
    return new Promise((resolve) => this.requestHandler!({}, permission, resolve, { requestingUrl: asker.url, isMainFrame: asker.isMainFrame ?? true }));
  }
  /** A page checks a permission; without a handler Electron answers yes. */
  check(permission: string, asker: PermissionAsker): boolean {
    if (!this.checkHandler) return true;
    return this.checkHandler({}, permission, new URL(asker.url).origin, { requestingUrl: asker.url, isMainFrame: asker.isMainFrame ?? true });
  }
  /**
   * What `navigator.clipboard.writeText` does in the page: a permission check, then a request when the
   * check says no; the write happens only if one of them grants it.
   */
  async clipboardWrite(asker: PermissionAsker): Promise<boolean> {
    return this.check('clipboard-sanitized-write', asker) || (await this.request('clipboard-sanitized-write', asker));
  }
}

/**
 * safeStorage's asynchronous API. Seals by reversing and marking with the key version, enough to prove a
 * secret is not stored as it is. `available` false: the keychain answers no (and refuses to seal or
 * open); a new key version marks older values for re-encryption, as a key rotation does.
 */
export class FakeSafeStorage implements SafeStorageLike {
  /** Electron refuses every call before the app is ready. */
  ready = () => true;
  keyVersion = 1;
  constructor(
    public available = true,
    public backend = 'gnome_libsecret',
  ) {}
  async isAsyncEncryptionAvailable() {
    return this.ready() && this.available;
  }
  async encryptStringAsync(text: string) {
    this.refuseBeforeReady();
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptStringAsync.');
    return Buffer.from(`sealed:v${this.keyVersion}:${[...text].reverse().join('')}`);
  }
  async decryptStringAsync(data: Buffer) {
    this.refuseBeforeReady();
    if (!this.available) throw new Error('safeStorage.decryptStringAsync is temporarily unavailable. Please try again.');
    const m = /^sealed:v(\d+):([\s\S]*)$/.exec(data.toString());
    if (!m) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.');
    return { result: [...m[2]!].reverse().join(''), shouldReEncrypt: Number(m[1]) < this.keyVersion };
  }
  getSelectedStorageBackend() {
    return this.ready() ? this.backend : 'unknown';
  }
  private refuseBeforeReady() {
    if (!this.ready()) throw new Error('safeStorage cannot be used before app is ready');
  }
}

/** conf, which electron-store extends, on a real folder. */
export function openConfStore(name: string, dir: string): KeyValueFile {
  return new Conf({ configName: name, cwd: dir, configFileMode: 0o600, clearInvalidConfig: false }) as unknown as KeyValueFile;
}

export interface FakeElectron extends DesktopPlatform {
  app: FakeApp;
  ipcMain: FakeIpc;
  safeStorage: FakeSafeStorage;
  windows: FakeWindow[];
  hiddenWindows: FakeHiddenWindow[];
  trays: FakeTray[];
  session: FakeSession;
  clipboard: string[];
  /** Set to make the next clipboard write fail, as the system clipboard sometimes does. */
  clipboardFailure: Error | null;
  /** The application menu as last set (null: none). */
  applicationMenu: AppMenuItem[] | null | undefined;
  opened: string[];
  privilegedSchemes: string[];
  protocolHandlers: Map<string, (request: { url: string; method: string }) => Promise<Response>>;
  errors: unknown[];
}

export interface FakeElectronOptions {
  userData: string;
  distDir?: string;
  platform?: string;
  argv?: string[];
  env?: Record<string, string | undefined>;
  execPath?: string;
  safeStorage?: FakeSafeStorage;
  headlessDataDir?: string | null;
  isPackaged?: boolean;
  repository?: unknown;
  /** Whether a StatusNotifier host is on the session bus (null: it could not be asked). */
  statusNotifierWatcher?: boolean | null;
}

export function fakeElectron(opts: FakeElectronOptions): FakeElectron {
  const ipcMain = new FakeIpc();
  const windows: FakeWindow[] = [];
  const hiddenWindows: FakeHiddenWindow[] = [];
  const trays: FakeTray[] = [];
  const session = new FakeSession();
  const clipboard: string[] = [];
  const opened: string[] = [];
  const privilegedSchemes: string[] = [];
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const errors: unknown[] = [];
  const platform = opts.platform ?? 'linux';
  const app = new FakeApp(opts.userData, platform, opts.execPath);
  app.isPackaged = opts.isPackaged ?? false;
  const safeStorage = opts.safeStorage ?? new FakeSafeStorage();
  safeStorage.ready = () => app.ready;
  const fake: FakeElectron = {
    app,
    ipcMain,
    safeStorage,
    windows,
    hiddenWindows,
    trays,
    session,
    clipboard,
    clipboardFailure: null,
    applicationMenu: undefined,
    opened,
    privilegedSchemes,
    protocolHandlers,
    errors,
    protocol: {
      registerSchemesAsPrivileged: (schemes) => privilegedSchemes.push(...schemes.map((s) => s.scheme)),
      handle: (scheme, handler) => void protocolHandlers.set(scheme, handler),
    },
    defaultSession: () => session,
    openExternal: (url) => void opened.push(url),
    writeClipboard: async (text) => {
      const failure = fake.clipboardFailure;
      fake.clipboardFailure = null;
      if (failure) throw failure;
      clipboard.push(text);
    },
    createWindow: (options) => {
      const w = new FakeWindow(options, ipcMain);
      windows.push(w);
      // As Electron does for every webContents it creates.
      app.emit('web-contents-created', {}, w.webContents);
      return w;
    },
    createHiddenWindow: () => {
      const w = new FakeHiddenWindow();
      hiddenWindows.push(w);
      return w;
    },
    createTray: (image) => {
      const t = new FakeTray(image);
      trays.push(t);
      return t;
    },
    buildMenu: (template) => template,
    setApplicationMenu: (template) => void (fake.applicationMenu = template),
    statusNotifierWatcher: async () => (opts.statusNotifierWatcher === undefined ? true : opts.statusNotifierWatcher),
    openStore: openConfStore,
    fileExists: existsSync,
    platform,
    argv: opts.argv ?? [],
    env: opts.env ?? {},
    execPath: app.execPath,
    distDir: opts.distDir ?? join(opts.userData, 'dist'),
    trayImageDir: '/resources/tray',
    configHome: join(opts.userData, 'xdg-config'),
    headlessDataDir: opts.headlessDataDir ?? null,
    appVersion: app.getVersion(),
    isPackaged: app.isPackaged,
    repository: opts.repository,
    onInternalError: (err) => void errors.push(err),
  };
  return fake;
}

/**
 * The `electron` module itself, for the two entry files that import it (src-main/index.ts and
 * src-main/preload/index.ts), made of the same fakes as the platform:
 * `vi.mock('electron', async () => (await import('./helpers/fake-electron.js')).fakeElectronModule(...))`.
 */
export interface FakeElectronModule {
  platform: FakeElectron;
  /** Every contextBridge.exposeInMainWorld(key, api) call. */
  exposed: Array<[string, unknown]>;
  app: FakeApp;
  ipcMain: FakeIpc;
  ipcRenderer: IpcRendererLike;
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  protocol: DesktopPlatform['protocol'];
  session: { defaultSession: FakeSession };
  /** Rejects for a URL no application handles, as Electron's does. */
  shell: { openExternal(url: string): Promise<void> };
  clipboard: { writeText(text: string): Promise<void> };
  safeStorage: SafeStorageLike;
  Menu: { buildFromTemplate(template: unknown[]): unknown; setApplicationMenu(menu: unknown): void };
  BrowserWindow: new (options: WindowOptions) => object;
  BaseWindow: new (options: { show: boolean }) => object;
  Tray: new (image: string) => object;
}

export function fakeElectronModule(opts: FakeElectronOptions): FakeElectronModule {
  const platform = fakeElectron(opts);
  const exposed: Array<[string, unknown]> = [];
  return {
    platform,
    exposed,
    app: platform.app,
    ipcMain: platform.ipcMain,
    ipcRenderer: platform.ipcMain.renderer(),
    contextBridge: { exposeInMainWorld: (key, api) => void exposed.push([key, api]) },
    protocol: platform.protocol,
    session: { defaultSession: platform.session },
    shell: {
      openExternal: async (url) => {
        if (!/^https?:/.test(url)) throw new Error(`Failed to open: there is no application associated with ${url}`);
        platform.openExternal(url);
      },
    },
    clipboard: { writeText: (text) => platform.writeClipboard(text) },
    safeStorage: platform.safeStorage,
    Menu: {
      buildFromTemplate: (template) => ({ builtFrom: template }),
      setApplicationMenu: (menu) => void (platform.applicationMenu = menu === null ? null : (menu as { builtFrom: AppMenuItem[] }).builtFrom),
    },
    BrowserWindow: class {
      constructor(options: WindowOptions) {
        return platform.createWindow(options);
      }
    },
    BaseWindow: class {
      constructor(options: { show: boolean }) {
        if (options.show !== false) throw new Error('the session-end window must stay hidden');
        return platform.createHiddenWindow();
      }
    },
    Tray: class {
      constructor(image: string) {
        return platform.createTray(image);
      }
    },
  };
}
