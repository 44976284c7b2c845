// The upstream pool trusts the built-in authorities, plus those of the extra_ca_certs file: checked
// before it is kept, used for new connections once it is, and reported rather than fatal at start.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../../src-proxy/accounts/memory-secret-store.js';
import { ControlError, type SettingsPatch } from '../../../../src-proxy/contract/index.js';
import { readCaFile } from '../../../../src-proxy/providers/shared/upstream-trust.js';
import { createRuntime, type Runtime } from '../../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../../src-proxy/settings/memory-settings-store.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../../fakes/anthropic-upstream.js';
import { issueTestAuthority, startTlsFront, type TestAuthority, type TlsFront } from '../../../fakes/tls-front.js';
import { messagesBody, postJson } from '../../../helpers/sse-client.js';
import { useTempDir } from '../../settings/temp-dir.js';

const dir = useTempDir('switchyard-ca-');
let runtime: Runtime | null = null;
let upstream: FakeAnthropic | null = null;
let front: TlsFront | null = null;
let authority: TestAuthority;
let caFile: string;

beforeAll(async () => {
  authority = await issueTestAuthority();
  caFile = authority.caFile;
});
afterAll(() => authority.dispose());

afterEach(async () => {
  await runtime?.close(0);
  await front?.close();
  await upstream?.close();
  runtime = front = upstream = null;
});

/** A gateway whose one account sits behind an HTTPS front signed by the test CA. */
async function gatewayBehindInspectingProxy(settings: SettingsPatch = {}) {
  upstream = await startFakeAnthropic();
  front = await startTlsFront(upstream.url, authority);
  runtime = await createRuntime({
    settings: new MemorySettingsStore(settings),
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    listenOverride: { port: 0 },
  });
  await runtime.addAccount({
    provider: 'anthropic',
    label: 'behind the proxy',
    api_key: 'sk-fake-1',
    options: { base_url: front.url, auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
  });
  const { url } = await runtime.startGateway();
  return { runtime, url: url! };
}

async function controlError(p: Promise<unknown>): Promise<ControlError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ControlError);
  return err as ControlError;
}

describe('extra_ca_certs', () => {
  it('without it, an upstream whose certificate a private CA issued is refused before anything is sent', async () => {
    const { url } = await gatewayBehindInspectingProxy();
    expect((await postJson(`${url}/v1/messages`, messagesBody())).status).toBeGreaterThanOrEqual(500);
    expect(upstream!.messageRequests()).toHaveLength(0);
  });

  it('once set, new connections trust the CA it names and requests go through', async () => {
    const { runtime, url } = await gatewayBehindInspectingProxy();
    expect(await runtime.updateSettings({ extra_ca_certs: caFile })).toMatchObject({ extra_ca_certs: caFile });
    expect((await postJson(`${url}/v1/messages`, messagesBody())).status).toBe(200);
    expect(upstream!.messageRequests()).toHaveLength(1);
  });

  it('is used from the start when the settings already name it', async () => {
    const { url } = await gatewayBehindInspectingProxy({ extra_ca_certs: caFile });
    expect((await postJson(`${url}/v1/messages`, messagesBody())).status).toBe(200);
    expect(await runtime!.listWarnings()).toEqual([]);
  });

  it.each([
    ['a relative path', () => 'ca.pem', /is not an absolute path/],
    ['a file that does not exist', () => join(dir(), 'missing.pem'), /cannot be read \(ENOENT\)/],
    ['a file without a certificate', () => join(dir(), 'notes.txt'), /holds no PEM certificate/],
    ['a damaged certificate', () => join(dir(), 'broken.pem'), /cannot be parsed/],
  ])('refuses %s with invalid_argument and keeps the setting as it was', async (_what, file, message) => {
    await writeFile(join(dir(), 'notes.txt'), 'not a certificate\n');
    await writeFile(join(dir(), 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const { runtime } = await gatewayBehindInspectingProxy();
    const err = await controlError(runtime.updateSettings({ extra_ca_certs: file() }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(message);
    expect((await runtime.getSettings()).extra_ca_certs).toBe('');
  });

  it('a file gone since it was set is reported at start, and only the built-in authorities are trusted', async () => {
    const gone = join(dir(), 'gone.pem');
    const { runtime, url } = await gatewayBehindInspectingProxy({ extra_ca_certs: gone });
    expect(await runtime.listWarnings()).toEqual([expect.objectContaining({ code: 'extra_ca_certs_unreadable', file: gone })]);
    expect((await postJson(`${url}/v1/messages`, messagesBody())).status).toBeGreaterThanOrEqual(500);
  });

  it('cleared, new connections trust the built-in authorities only again', async () => {
    const { runtime, url } = await gatewayBehindInspectingProxy({ extra_ca_certs: caFile });
    await runtime.updateSettings({ extra_ca_certs: '' });
    expect((await postJson(`${url}/v1/messages`, messagesBody())).status).toBeGreaterThanOrEqual(500);
    expect(upstream!.messageRequests()).toHaveLength(0);
  });
});

describe('readCaFile', () => {
  it('reads every certificate of a bundle, whatever surrounds them', async () => {
    const ca = await readCaFile(caFile);
    const bundle = join(dir(), 'bundle.pem');
    await writeFile(bundle, `# corporate proxy\n${ca[0]}\nsome text\n${ca[0]}\n`);
    expect(await readCaFile(bundle)).toEqual([ca[0], ca[0]]);
  });
});
