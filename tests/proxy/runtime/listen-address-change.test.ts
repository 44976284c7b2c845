// A change of the listen address is applied first and kept only when it worked: a port in use or a host
// that cannot be bound is refused, nothing is saved, and the gateway keeps serving where it was.

import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { ControlError, type Settings, type SettingsPatch } from '../../../src-proxy/contract/index.js';
import { createRuntime, type Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';

let runtime: Runtime | null = null;
let blocker: Server | null = null;
afterEach(async () => {
  await runtime?.close(0);
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  runtime = null;
  blocker = null;
});

/** A port some other program holds. */
async function takenPort(): Promise<number> {
  const server = createServer();
  blocker = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

/** A port nobody holds right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function open(port: number, settings: SettingsPatch = {}) {
  const store = new MemorySettingsStore({ port, ...settings });
  const saved: Settings[] = [];
  store.onChange((s) => saved.push(s));
  runtime = await createRuntime({ settings: store, accounts: new MemoryAccountStore(), secrets: new MemorySecretStore() });
  await runtime.startGateway();
  return { runtime, saved };
}

const answers = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;

async function refused(p: Promise<unknown>): Promise<ControlError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ControlError);
  return err as ControlError;
}

describe('moving the gateway to another address', () => {
  it('refuses a port in use: nothing is saved and the gateway keeps answering on its port', async () => {
    const { runtime, saved } = await open(await freePort());
    const before = await runtime.getStatus();
    const taken = await takenPort();

    const err = await refused(runtime.updateSettings({ port: taken }));
    expect(err.code).toBe('port_in_use');
    expect(err.message).toContain(String(taken));
    expect(saved).toEqual([]);
    expect((await runtime.getSettings()).port).toBe(before.port);
    expect(await runtime.getStatus()).toMatchObject({ running: true, port: before.port, last_error: null });
    expect(await answers(before.port)).toBe(true);

    // The next change to a free port moves it as asked.
    const next = await freePort();
    expect((await runtime.updateSettings({ port: next })).port).toBe(next);
    expect(await runtime.getStatus()).toMatchObject({ running: true, port: next });
    expect(await answers(next)).toBe(true);
  });

  it('refuses a host that cannot be bound, and keeps the gateway where it was', async () => {
    // With a key, so that leaving loopback is allowed and only the address itself can fail.
    const { runtime, saved } = await open(await freePort(), { auth_mode: 'all-except-health', api_key: 'sk-gateway-key' });
    const before = await runtime.getStatus();
    // TEST-NET-1: an address no interface of this machine has.
    const err = await refused(runtime.updateSettings({ host: '192.0.2.1' }));
    expect(err.code).toBe('listen_failed');
    expect(saved).toEqual([]);
    expect((await runtime.getSettings()).host).toBe('127.0.0.1');
    expect(await runtime.getStatus()).toMatchObject({ running: true, host: '127.0.0.1', port: before.port });
    expect(await answers(before.port)).toBe(true);
  });

  it('saves a new port while stopped without trying it', async () => {
    const { runtime, saved } = await open(await freePort());
    await runtime.stopGateway();
    const taken = await takenPort();
    expect((await runtime.updateSettings({ port: taken })).port).toBe(taken);
    expect(saved).toHaveLength(1);
  });
});
