// The preload entry as Electron runs it: one bridge, under the contract's global name, built over
// ipcRenderer and nothing else (electron is the fake module of helpers/fake-electron.ts).

import { describe, expect, it, vi } from 'vitest';
import { channelFor, CONTROL_METHODS, DESKTOP_BRIDGE_KEY } from '../../../src-proxy/contract/index.js';
import type { FakeElectronModule } from '../helpers/fake-electron.js';

const electron = vi.hoisted(() => ({ module: null as FakeElectronModule | null }));
vi.mock('electron', async () => {
  const { fakeElectronModule } = await import('../helpers/fake-electron.js');
  electron.module = fakeElectronModule({ userData: '/nonexistent/profile' });
  return electron.module;
});

describe('src-main/preload/index.ts', () => {
  it('exposes exactly one object, the bridge of the contract’s methods, under the contract’s name', async () => {
    await import('../../../src-main/preload/index.js');
    const { exposed } = electron.module!;
    expect(exposed.map(([key]) => key)).toEqual([DESKTOP_BRIDGE_KEY]);
    const bridge = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...CONTROL_METHODS, 'onEvent'].sort());
    expect(Object.values(bridge)).not.toContain(electron.module!.ipcRenderer);
  });

  it('its methods reach main on their own channel', async () => {
    await import('../../../src-main/preload/index.js');
    const { exposed, ipcMain } = electron.module!;
    const received: unknown[][] = [];
    ipcMain.handle(channelFor('removeAccount'), async (_event, ...args) => (received.push(args), { ok: true, value: undefined }));
    const bridge = exposed[0]![1] as Record<string, (...a: unknown[]) => Promise<unknown>>;
    expect(await bridge.removeAccount!('acct_1')).toEqual({ ok: true, value: undefined });
    expect(received).toEqual([['acct_1']]);
  });
});
