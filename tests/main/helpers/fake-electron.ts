// The one test double of Electron: a DesktopPlatform whose app, windows, tray, IPC, protocol and session
// record what the main process does with them, and whose IPC pair carries calls and events the way
// Electron's does (arguments structured-cloned, the sender frame's URL on every invoke). electron-store
// is stood in for by conf, the library it extends, on a real folder. The same fakes also make up the
// `electron` module for the two entry files that import it (fakeElectronModule).

import Conf from 'conf';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppLike, DesktopPlatform, WindowLike, WindowOptions } from '../../../src-main/desktop-app.js';
import type { KeyValueFile } from '../../../src-main/adapters/store-document.js';
import type { SafeStorageLike } from '../../../src-main/adapters/safe-storage-codec.js';
import type { InvokeEventLike, IpcMainLike } from '../../../src-main/ipc/register-control-api.js';
import type { IpcRendererLike } from '../../../src-main/preload/bridge.js';
import type { TrayMenuItem } from '../../../src-main/tray/tray-menu.js';
import type { SessionLike, WebContentsLike } from '../../../src-main/security/web-contents-policy.js';

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

export class FakeApp extends Emitter implements AppLike {
  hasLock = true;
  quitCalls = 0;
  exitCodes: number[] = [];
  sandboxed = false;
  loginItem = { openAtLogin: false, args: [] as string[] };
  isPackaged = false;
  /** What app.getAppPath() answers: the folder of the app's package.json. */
  appPath = process.cwd();
  constructor(private readonly userData: string) {
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
  getLoginItemSettings() {
    return { openAtLogin: this.loginItem.openAtLogin };
  }
  setLoginItemSettings(s: { openAtLogin: boolean; args?: string[] }) {
    this.loginItem = { openAtLogin: s.openAtLogin, args: s.args ?? [] };
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

export class FakeWindow extends Emitter implements WindowLike {
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

export class FakeSession implements SessionLike {
  requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: (() => boolean) | null = null;
  setPermissionRequestHandler(h: NonNullable<FakeSession['requestHandler']>) {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: () => boolean) {
    this.checkHandler = h;
  }
}

/** Seals by reversing and marking: enough to prove a secret is not stored as it is. */
export class FakeSafeStorage implements SafeStorageLike {
  constructor(
    public available = true,
    public backend = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable() {
    return this.available;
  }
  encryptString(text: string) {
    return Buffer.from(`sealed:${[...text].reverse().join('')}`);
  }
  decryptString(data: Buffer) {
    const s = data.toString();
    if (!s.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return [...s.slice('sealed:'.length)].reverse().join('');
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
}

/** conf, which electron-store extends, on a real folder. */
export function openConfStore(name: string, dir: string): KeyValueFile {
  return new Conf({ configName: name, cwd: dir, configFileMode: 0o600, clearInvalidConfig: false }) as unknown as KeyValueFile;
}

export interface FakeElectron extends DesktopPlatform {
  app: FakeApp;
  ipcMain: FakeIpc;
  windows: FakeWindow[];
  trays: FakeTray[];
  session: FakeSession;
  clipboard: string[];
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
  safeStorage?: FakeSafeStorage;
  headlessDataDir?: string | null;
  isPackaged?: boolean;
  repository?: unknown;
}

export function fakeElectron(opts: FakeElectronOptions): FakeElectron {
  const ipcMain = new FakeIpc();
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const session = new FakeSession();
  const clipboard: string[] = [];
  const opened: string[] = [];
  const privilegedSchemes: string[] = [];
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const errors: unknown[] = [];
  const app = new FakeApp(opts.userData);
  return {
    app,
    ipcMain,
    windows,
    trays,
    session,
    clipboard,
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
    writeClipboard: (text) => void clipboard.push(text),
    safeStorage: opts.safeStorage ?? new FakeSafeStorage(),
    createWindow: (options) => {
      const w = new FakeWindow(options, ipcMain);
      windows.push(w);
      // As Electron does for every webContents it creates.
      app.emit('web-contents-created', {}, w.webContents);
      return w;
    },
    createTray: (image) => {
      const t = new FakeTray(image);
      trays.push(t);
      return t;
    },
    buildMenu: (template) => template,
    openStore: openConfStore,
    fileExists: existsSync,
    platform: opts.platform ?? 'linux',
    argv: opts.argv ?? [],
    execPath: '/opt/Switchyard/switchyard',
    distDir: opts.distDir ?? join(opts.userData, 'dist'),
    trayImageDir: '/resources/tray',
    configHome: join(opts.userData, 'xdg-config'),
    headlessDataDir: opts.headlessDataDir ?? null,
    appVersion: app.getVersion(),
    isPackaged: opts.isPackaged ?? false,
    repository: opts.repository,
    onInternalError: (err) => void errors.push(err),
  };
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
  shell: { openExternal(url: string): Promise<void> };
  clipboard: { writeText(text: string): void };
  safeStorage: SafeStorageLike;
  Menu: { buildFromTemplate(template: TrayMenuItem[]): unknown };
  BrowserWindow: new (options: WindowOptions) => object;
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
    shell: { openExternal: async (url) => platform.openExternal(url) },
    clipboard: { writeText: (text) => platform.writeClipboard(text) },
    safeStorage: platform.safeStorage,
    Menu: { buildFromTemplate: (template) => platform.buildMenu(template) },
    BrowserWindow: class {
      constructor(options: WindowOptions) {
        return platform.createWindow(options);
      }
    },
    Tray: class {
      constructor(image: string) {
        return platform.createTray(image);
      }
    },
  };
}
