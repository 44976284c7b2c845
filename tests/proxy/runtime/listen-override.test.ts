// `serve --host/--port` decide where the gateway listens, and so what its Host guard accepts, and its
// status says so.

import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import type { SettingsPatch } from '../../../src-proxy/contract/index.js';
import { createRuntime, type Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';

let runtime: Runtime | null = null;
afterEach(async () => {
  await runtime?.close();
  runtime = null;
});

async function listen(settings: SettingsPatch, host: string): Promise<number> {
  runtime = await createRuntime({
    settings: new MemorySettingsStore({ auth_mode: 'strict', api_key: 'sk-gateway', ...settings }),
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    listenOverride: { host, port: 0 },
  });
  return (await runtime.startGateway()).port;
}

// Traffic goes to 127.0.0.1 only; the Host header says which name the client used.
async function health(port: number, host: string): Promise<number> {
  const res = await request(`http://127.0.0.1:${port}/healthz`, { headers: { host, 'x-api-key': 'sk-gateway' } });
  await res.body.dump();
  return res.statusCode;
}

describe('the Host guard follows serve --host', () => {
  it('answers LAN names under --host 0.0.0.0 though the host setting is 127.0.0.1', async () => {
    const port = await listen({ host: '127.0.0.1' }, '0.0.0.0');
    expect(await health(port, `192.0.2.2:${port}`)).toBe(200);
  });

  it('answers loopback names only under --host 127.0.0.1 though the host setting is 0.0.0.0', async () => {
    const port = await listen({ host: '0.0.0.0' }, '127.0.0.1');
    expect(await health(port, `127.0.0.1:${port}`)).toBe(200);
    expect(await health(port, `evil.example:${port}`)).toBe(403);
  });
});

describe('the status names what serve --host/--port set for this run', () => {
  it('reports the address given for the run beside the one listened on, the saved settings unchanged', async () => {
    const port = await listen({ host: '127.0.0.1', port: 8045 }, '0.0.0.0');
    expect(port).not.toBe(8045);
    expect(await runtime!.getStatus()).toMatchObject({ running: true, host: '0.0.0.0', port, override: { host: '0.0.0.0', port: 0 } });
    expect(await runtime!.getSettings()).toMatchObject({ host: '127.0.0.1', port: 8045 });
  });

  it('reports no override when the settings decide', async () => {
    runtime = await createRuntime({ settings: new MemorySettingsStore({ port: 8045 }), accounts: new MemoryAccountStore(), secrets: new MemorySecretStore() });
    const status = await runtime.getStatus();
    expect(status).toMatchObject({ running: false, port: 8045 });
    expect(status).not.toHaveProperty('override');
  });
});
