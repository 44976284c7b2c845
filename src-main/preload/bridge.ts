// The bridge the preload exposes to the console: a named function per contract method and `onEvent`.
// Nothing else of IPC reaches the page: no `ipcRenderer`, no channel names, no raw IPC event objects.

import {
  channelFor,
  CONTROL_METHODS,
  EVENT_CHANNEL,
  isControlEventName,
  type ControlEventName,
  type ControlEvents,
  type DesktopBridge,
  type EventListener,
} from '../../src-proxy/contract/index.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

export function createDesktopBridge(ipc: IpcRendererLike): DesktopBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of CONTROL_METHODS) {
    bridge[method] = (...args: unknown[]) => ipc.invoke(channelFor(method), ...args);
  }
  bridge.onEvent = <K extends ControlEventName>(name: K, listener: EventListener<K>): (() => void) => {
    if (!isControlEventName(name)) throw new TypeError(`unknown event ${String(name)}`);
    const relay = (_event: unknown, ...args: unknown[]) => {
      if (args[0] === name) listener(args[1] as ControlEvents[K]);
    };
    ipc.on(EVENT_CHANNEL, relay);
    return () => ipc.removeListener(EVENT_CHANNEL, relay);
  };
  return Object.freeze(bridge) as DesktopBridge;
}
