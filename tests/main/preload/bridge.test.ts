// What the preload exposes to the console: the contract's methods by name and onEvent, nothing of IPC.

import { describe, expect, it, vi } from 'vitest';
import { channelFor, CONTROL_METHODS, EVENT_CHANNEL } from '../../../src-proxy/contract/index.js';
import { createDesktopBridge, type IpcRendererLike } from '../../../src-main/preload/bridge.js';

function recordingIpc() {
  const listeners: Array<[string, (event: unknown, ...args: unknown[]) => void]> = [];
  const ipc: IpcRendererLike = {
    invoke: vi.fn(async () => ({ ok: true, value: null })),
    on: (channel, l) => void listeners.push([channel, l]),
    removeListener: (channel, l) => {
      const i = listeners.findIndex(([c, x]) => c === channel && x === l);
      if (i >= 0) listeners.splice(i, 1);
    },
  };
  return { ipc, listeners };
}

describe('the desktop bridge', () => {
  it('exposes exactly the contract methods and onEvent, frozen', () => {
    const bridge = createDesktopBridge(recordingIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...CONTROL_METHODS, 'onEvent'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect('ipcRenderer' in bridge || 'invoke' in bridge || 'send' in bridge).toBe(false);
  });

  it('sends each method on its own channel with the arguments as given', async () => {
    const { ipc } = recordingIpc();
    const bridge = createDesktopBridge(ipc);
    await bridge.updateAccount('acct_1', { enabled: false });
    await bridge.getStatus();
    expect(ipc.invoke).toHaveBeenNthCalledWith(1, channelFor('updateAccount'), 'acct_1', { enabled: false });
    expect(ipc.invoke).toHaveBeenNthCalledWith(2, channelFor('getStatus'));
  });

  it('hands listeners the payload only, of their event only, until unsubscribed', () => {
    const { ipc, listeners } = recordingIpc();
    const bridge = createDesktopBridge(ipc);
    const seen: unknown[] = [];
    const off = bridge.onEvent('status', (s) => seen.push(s));
    const deliver = (...args: unknown[]) => listeners.filter(([c]) => c === EVENT_CHANNEL).forEach(([, l]) => l({ sender: {} }, ...args));
    deliver('status', { running: true });
    deliver('request', { id: 'r1' });
    off();
    deliver('status', { running: false });
    expect(seen).toEqual([{ running: true }]);
    expect(listeners).toHaveLength(0);
  });

  it('refuses an event name the contract does not declare', () => {
    const bridge = createDesktopBridge(recordingIpc().ipc);
    expect(() => bridge.onEvent('secrets' as never, () => undefined)).toThrow(TypeError);
  });
});
