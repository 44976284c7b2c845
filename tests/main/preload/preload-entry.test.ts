// The preload entry as Electron runs it: one bridge, under the contract's global name, built over the
// real ipcRenderer and nothing else (electron is replaced for this file only; it is not installed).

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelFor, CONTROL_METHODS, DESKTOP_BRIDGE_KEY } from '../../../src-proxy/contract/index.js';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() },
}));
vi.mock('electron', () => electron);

beforeEach(() => {
  vi.resetModules();
  electron.contextBridge.exposeInMainWorld.mockClear();
});

describe('src-main/preload/index.ts', () => {
  it('exposes exactly one object, the bridge, under the contract’s name', async () => {
    await import('../../../src-main/preload/index.js');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, bridge] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(key).toBe(DESKTOP_BRIDGE_KEY);
    expect(Object.keys(bridge).sort()).toEqual([...CONTROL_METHODS, 'onEvent'].sort());
    expect(Object.values(bridge)).not.toContain(electron.ipcRenderer);
  });

  it('its methods invoke their own channel and never send', async () => {
    await import('../../../src-main/preload/index.js');
    const bridge = electron.contextBridge.exposeInMainWorld.mock.calls[0]![1] as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await bridge.removeAccount!('acct_1');
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(channelFor('removeAccount'), 'acct_1');
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });
});
