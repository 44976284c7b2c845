// The IPC guard: only the app's own console may call, with arguments its method's schema accepts, and
// every answer is a ControlResult.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelFor, CONTROL_METHODS, EVENT_CHANNEL } from '../../../src-proxy/contract/index.js';
import { forwardEvents } from '../../../src-main/ipc/forward-events.js';
import { registerControlApi } from '../../../src-main/ipc/register-control-api.js';
import { isAppUrl } from '../../../src-main/security/app-origin.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { FakeIpc, FakeWebContents } from '../helpers/fake-electron.js';

let gateway: TestGateway;
let ipc: FakeIpc;
beforeEach(async () => {
  gateway = await startGateway();
  ipc = new FakeIpc();
  registerControlApi(ipc, gateway.runtime, { isTrustedUrl: isAppUrl });
});
afterEach(() => gateway.close());

describe('registerControlApi', () => {
  it('registers exactly one handler per contract method', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(CONTROL_METHODS.map(channelFor).sort());
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['a local file', 'file:///tmp/index.html'],
    ['another app host', 'app://other/index.html'],
    ['the headless console', 'http://127.0.0.1:8046/ui/'],
    ['a look-alike', 'app://switchyard.evil/index.html'],
  ])('refuses a call from %s, before looking at the arguments', async (_name, url) => {
    const result = await ipc.renderer(url).invoke(channelFor('generateApiKey'));
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'only the Switchyard console may call this' } });
    expect((await gateway.runtime.getSettings()).api_key).toBe('');
  });

  it('refuses a call from a destroyed frame', async () => {
    expect(await ipc.renderer(null).invoke(channelFor('getStatus'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('answers the console with a ControlResult, and refuses arguments the schema does not allow', async () => {
    const console = ipc.renderer();
    expect(await console.invoke(channelFor('getStatus'))).toMatchObject({ ok: true, value: { running: true } });
    expect(await console.invoke(channelFor('updateSettings'), { port: 'eighty' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await console.invoke(channelFor('removeAccount'), 'a', 'b')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await console.invoke(channelFor('removeAccount'), 'acct_nope')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('has no handler for a method the contract does not declare', async () => {
    await expect(ipc.renderer().invoke('switchyard:dropDatabase')).rejects.toThrow(/No handler registered/);
    await expect(ipc.renderer().invoke('switchyard:constructor')).rejects.toThrow(/No handler registered/);
  });

  it('pushes events to the window while it exists, and skips a destroyed one', async () => {
    const contents = new FakeWebContents(ipc);
    forwardEvents(gateway.runtime.events, () => contents);
    await gateway.runtime.stopGateway();
    expect(contents.sent).toEqual([[EVENT_CHANNEL, ['status', expect.objectContaining({ running: false })]]]);
    contents.destroyed = true;
    await gateway.runtime.startGateway();
    expect(contents.sent).toHaveLength(1);
  });
});
