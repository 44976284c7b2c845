// The runtime applies the bind rule at every settings change, not only at start.

import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { ControlError, type SettingsPatch } from '../../../src-proxy/contract/index.js';
import { createRuntime, type Runtime, type RuntimeDeps } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';

let runtime: Runtime | null = null;
afterEach(async () => {
  await runtime?.close();
  runtime = null;
});

async function open(settings: SettingsPatch, listenOverride: RuntimeDeps['listenOverride'] = { port: 0 }) {
  const store = new MemorySettingsStore(settings);
  const changes: unknown[] = [];
  store.onChange((s) => changes.push(s));
  runtime = await createRuntime({ settings: store, accounts: new MemoryAccountStore(), secrets: new MemorySecretStore(), listenOverride });
  return { runtime, store, changes };
}

async function refusal(p: Promise<unknown>): Promise<ControlError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ControlError);
  expect((err as ControlError).code).toBe('insecure_bind');
  return err as ControlError;
}

describe('updateSettings and the bind rule', () => {
  it('refuses to turn auth off or clear the key while listening on 0.0.0.0, and keeps answering with auth', async () => {
    const { runtime, store, changes } = await open({ host: '0.0.0.0', auth_mode: 'strict', api_key: 'sk-gateway' });
    const status = await runtime.startGateway();
    expect(status).toMatchObject({ running: true, host: '0.0.0.0' });

    expect((await refusal(runtime.updateSettings({ auth_mode: 'off' }))).message).toMatch(/^Refusing to turn authentication off/);
    expect((await refusal(runtime.updateSettings({ api_key: '' }))).message).toMatch(/^Refusing to clear api_key/);
    expect(changes).toEqual([]);
    expect(store.get()).toMatchObject({ host: '0.0.0.0', auth_mode: 'strict', api_key: 'sk-gateway' });

    const local = `http://127.0.0.1:${status.port}`;
    expect((await postJson(`${local}/v1/messages`, messagesBody(), { headers: { 'x-api-key': '' } })).status).toBe(401);
    expect(await runtime.getStatus()).toMatchObject({ running: true, host: '0.0.0.0', port: status.port });
  });

  it('refuses host 0.0.0.0 with auth off, running or not, and writes nothing', async () => {
    const { runtime, changes } = await open({ host: '127.0.0.1', auth_mode: 'off' });
    expect((await refusal(runtime.updateSettings({ host: '0.0.0.0' }))).message).toMatch(
      /^Refusing to listen on 0\.0\.0\.0 \(all interfaces\) without authentication/,
    );
    await runtime.startGateway();
    await refusal(runtime.updateSettings({ host: '0.0.0.0', port: 9 }));
    expect(changes).toEqual([]);
    expect(await runtime.getSettings()).toMatchObject({ host: '127.0.0.1', auth_mode: 'off' });
  });

  it('judges the address serve --host gives, not the host setting', async () => {
    // On loopback by override: auth may go off even though the host setting says 0.0.0.0.
    const onLoopback = await open({ host: '0.0.0.0', auth_mode: 'strict', api_key: 'k' }, { host: '127.0.0.1', port: 0 });
    await expect(onLoopback.runtime.updateSettings({ auth_mode: 'off' })).resolves.toMatchObject({ auth_mode: 'off' });
    await onLoopback.runtime.close();

    // On 0.0.0.0 by override: the host setting saying 127.0.0.1 does not make auth optional.
    const { runtime } = await open({ host: '127.0.0.1', auth_mode: 'strict', api_key: 'k' }, { host: '0.0.0.0', port: 0 });
    expect((await refusal(runtime.updateSettings({ auth_mode: 'off' }))).message).toMatch(/from serve --host\).*restart serve with --host 127\.0\.0\.1\.$/);
  });

  it('checks concurrent changes one after another, so two safe halves cannot make an unsafe whole', async () => {
    const { runtime } = await open({ host: '127.0.0.1', auth_mode: 'strict', api_key: 'k' });
    const [host, auth] = await Promise.allSettled([runtime.updateSettings({ host: '0.0.0.0' }), runtime.updateSettings({ auth_mode: 'off' })]);
    expect(host.status).toBe('fulfilled');
    expect(auth).toMatchObject({ status: 'rejected', reason: { code: 'insecure_bind' } });
    expect(await runtime.getSettings()).toMatchObject({ host: '0.0.0.0', auth_mode: 'strict' });
  });

  it('lets settings an older version left exposed be fixed one at a time while stopped', async () => {
    const { runtime } = await open({ host: '0.0.0.0', auth_mode: 'off', api_key: '' });
    await refusal(runtime.startGateway());
    await runtime.updateSettings({ api_key: 'k' });
    await runtime.updateSettings({ auth_mode: 'strict' });
    expect(await runtime.startGateway()).toMatchObject({ running: true, host: '0.0.0.0' });
  });

  it('still reports a bad value as invalid_argument', async () => {
    const { runtime } = await open({});
    await expect(runtime.updateSettings({ port: 0 })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/^port:/) });
  });
});
