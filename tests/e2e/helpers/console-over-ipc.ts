// The console in Chromium as the desktop app shows it, without Electron: the page talks to the REAL main
// process handlers through the REAL preload bridge, with Playwright carrying what Electron's IPC would.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { ControlApi } from '../../../src-proxy/contract/index.js';
import type { Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { forwardEvents } from '../../../src-main/ipc/forward-events.js';
import { registerControlApi } from '../../../src-main/ipc/register-control-api.js';
import { APP_ORIGIN, isAppUrl } from '../../../src-main/security/app-origin.js';
import { createAppProtocolHandler } from '../../../src-main/security/app-protocol.js';
import { FakeIpc } from '../../main/helpers/fake-electron.js';

/** The binding the page's ipcRenderer stand-in invokes through, and the function events arrive by. */
const INVOKE_BINDING = '__switchyardIpcInvoke';
const DELIVER_FUNCTION = '__switchyardIpcDeliver';

export interface ConsoleOverIpc {
  /** The loopback origin that stands for app://switchyard (pages under it count as the app's own). */
  origin: string;
  /** Every IPC call the page made, in order, as channel names. */
  calls: string[];
  /** Stops serving, unregisters the handlers and stops forwarding events (the page stays open). */
  close(): Promise<void>;
}

export interface ConsoleOverIpcOptions {
  /** The page to open under the origin; default `/index.html`, as the desktop window loads it. */
  path?: string;
}

/**
 * Opens the console built in `rendererDir` in `page` over IPC, the way the desktop window does:
 *
 * - Files: served from `rendererDir` by the real app:// protocol handler (security/app-protocol.ts, with
 *   its content security policy) on a loopback origin that stands for app://switchyard. The handlers see
 *   the calling frame's URL translated to app://switchyard/..., so the real sender guard (isAppUrl)
 *   decides; a frame from any other origin is refused as it would be in Electron.
 * - `window.switchyard`: built before any page script runs by createDesktopBridge (preload/bridge.ts,
 *   bundled for the page) over an ipcRenderer-like object, exactly as preload/index.ts builds it.
 * - Calls: the bridge's invoke crosses into Node through `page.exposeBinding` and reaches the real
 *   handlers (ipc/register-control-api.ts) registered on the fake ipcMain with `runtime`.
 * - Events: the real forwardEvents sends the runtime's events to the page in order.
 *
 * What Electron adds on top (context isolation hiding the IPC object, the sandbox) is not reproduced:
 * the two helper globals exist in the page's world. It navigates the page and resolves once loaded.
 */
export async function openConsoleOverIpc(
  page: Page,
  runtime: ControlApi & Pick<Runtime, 'events'>,
  rendererDir: string,
  opts: ConsoleOverIpcOptions = {},
): Promise<ConsoleOverIpc> {
  const server = await serveAppProtocol(rendererDir);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const asAppUrl = (url: string) => (url === origin || url.startsWith(`${origin}/`) ? APP_ORIGIN + url.slice(origin.length) : url);

  const ipc = new FakeIpc();
  const unregister = registerControlApi(ipc, runtime, { isTrustedUrl: isAppUrl });
  const calls: string[] = [];
  await page.exposeBinding(INVOKE_BINDING, async (source, channel: string, args: unknown[]) => {
    calls.push(channel);
    return ipc.renderer(asAppUrl(source.frame.url())).invoke(channel, ...args);
  });
  await page.addInitScript({ content: await bridgeScript() });

  // One evaluate after another, so the page sees events in the order the runtime emitted them.
  let delivery = Promise.resolve();
  const stopEvents = forwardEvents(runtime.events, () => ({
    isDestroyed: () => page.isClosed(),
    send: (channel, ...args) => {
      delivery = delivery
        .then(() =>
          page.evaluate(([fn, c, a]) => (globalThis as unknown as Record<string, (c: string, a: unknown[]) => void>)[fn]?.(c, a), [
            DELIVER_FUNCTION,
            channel,
            args,
          ] as const),
        )
        .catch(() => undefined);
    },
  }));

  await page.goto(`${origin}${opts.path ?? '/index.html'}`);
  return {
    origin,
    calls,
    async close() {
      stopEvents();
      unregister();
      await delivery;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** app:// requests answered over loopback HTTP by the real protocol handler. */
async function serveAppProtocol(rendererDir: string): Promise<Server> {
  const handle = createAppProtocolHandler(rendererDir);
  const server = createServer((req, res) => {
    void handle({ url: `${APP_ORIGIN}${req.url ?? '/'}`, method: req.method ?? 'GET' })
      .then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let bridgeBundle: Promise<string> | null = null;

/** preload/bridge.ts for the page, with the ipcRenderer stand-in it is handed. Built once per run. */
function bridgeScript(): Promise<string> {
  const from = (path: string) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));
  bridgeBundle ??= build({
    stdin: {
      contents: `
        import { createDesktopBridge } from ${from('../../../src-main/preload/bridge.ts')};
        import { DESKTOP_BRIDGE_KEY } from ${from('../../../src-proxy/contract/index.ts')};
        const invoke = globalThis[${JSON.stringify(INVOKE_BINDING)}];
        const listeners = new Map();
        const ipcRenderer = {
          invoke: (channel, ...args) => invoke(channel, args),
          on: (channel, listener) => {
            if (!listeners.has(channel)) listeners.set(channel, new Set());
            listeners.get(channel).add(listener);
          },
          removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
        };
        globalThis[${JSON.stringify(DELIVER_FUNCTION)}] = (channel, args) => {
          for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: null }, ...args);
        };
        Object.defineProperty(globalThis, DESKTOP_BRIDGE_KEY, { value: createDesktopBridge(ipcRenderer), enumerable: true });
      `,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0]!.text);
  return bridgeBundle;
}
