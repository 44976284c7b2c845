// The desktop's stores in electron-store (conf, which it extends, on a real folder): what is written comes
// back, old settings are migrated as headless ones are, a file that cannot be read is kept aside with a
// warning, and secrets are sealed by the keychain whenever there is one, and never lost or unsealed
// because the keychain failed on one run.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../../src-proxy/contract/index.js';
import { openDesktopStores } from '../../../src-main/adapters/desktop-stores.js';
import { makeAccount } from '../../proxy/accounts/account-fixture.js';
import { useTempDir } from '../../proxy/settings/temp-dir.js';
import { FakeSafeStorage, openConfStore } from '../helpers/fake-electron.js';

const dir = useTempDir('switchyard-desktop-stores-');

function open(opts: { safeStorage?: FakeSafeStorage; platform?: string; headlessDir?: string | null } = {}) {
  return openDesktopStores({
    dir: dir(),
    openStore: (name) => openConfStore(name, dir()),
    safeStorage: opts.safeStorage ?? new FakeSafeStorage(),
    platform: opts.platform ?? 'linux',
    headlessDir: opts.headlessDir ?? null,
  });
}

const file = (name: string) => readFile(join(dir(), `${name}.json`), 'utf8');
const storedSecrets = async () => (JSON.parse(await file('secrets')) as { secrets: Record<string, string> }).secrets;

describe('openDesktopStores', () => {
  it('round-trips settings, accounts and secrets through a restart', async () => {
    const first = await open();
    await first.settings.update({ port: 9123, api_key: 'sk-local', auth_mode: 'strict' });
    await first.accounts.add(makeAccount('acct_1', { label: 'work' }));
    await first.secrets.set('acct_1', 'sk-fake-one');
    await first.accounts.flush();

    const second = await open();
    expect(second.settings.get()).toMatchObject({ port: 9123, api_key: 'sk-local', auth_mode: 'strict', version: SETTINGS_VERSION });
    expect(second.accounts.list().map((a) => [a.id, a.label])).toEqual([['acct_1', 'work']]);
    expect(second.secrets.get('acct_1')).toBe('sk-fake-one');
    expect(second.warnings).toEqual([]);
  });

  it('migrates settings written by an older release, as headless does', async () => {
    openConfStore('settings', dir()).store = { version: 1, port: 9000, upstream_timeout_ms: 45_000 };
    const stores = await open();
    expect(stores.settings.get()).toMatchObject({
      version: SETTINGS_VERSION,
      port: 9000,
      upstream_headers_timeout_ms: 45_000,
      upstream_idle_timeout_ms: 45_000,
    });
    expect(stores.warnings).toEqual([]);
  });

  it.each([
    ['settings', 'not JSON', '{"port": 80', 'settings_corrupt'],
    ['settings', 'a bad value', JSON.stringify({ version: SETTINGS_VERSION, port: -1 }), 'settings_corrupt'],
    ['settings', 'from a newer release', JSON.stringify({ version: SETTINGS_VERSION + 1, port: 9000 }), 'settings_corrupt'],
    ['accounts', 'not JSON', '[[[', 'accounts_corrupt'],
    ['accounts', 'the wrong shape', JSON.stringify({ version: 1, accounts: [{ id: 3 }] }), 'accounts_corrupt'],
    ['secrets', 'not JSON', 'safe:', 'secrets_corrupt'],
  ] as const)('a %s file with %s is kept aside, defaults are used, and the console is warned', async (name, _what, text, code) => {
    await writeFile(join(dir(), `${name}.json`), text);
    const stores = await open();
    expect(stores.warnings).toEqual([expect.objectContaining({ code, file: join(dir(), `${name}.json`) })]);
    const backup = stores.warnings[0]!.backup!;
    expect(backup).toMatch(new RegExp(`${name}\\.json\\.corrupt-`));
    expect(await readFile(backup, 'utf8')).toBe(text);
    expect(stores.accounts.list()).toEqual([]);
    expect(stores.settings.get().port).toBe(8045);

    // The store works again: what is written now is read back.
    await stores.settings.update({ port: 9001 });
    expect((await open()).settings.get().port).toBe(9001);
  });

  it('never stores a secret in clear while the keychain works', async () => {
    const stores = await open();
    await stores.secrets.set('acct_1', 'sk-fake-very-secret');
    const text = await file('secrets');
    expect(text).not.toContain('sk-fake-very-secret');
    expect(text).not.toContain('terces-yrev');
    const stored = JSON.parse(text) as { secrets: Record<string, string> };
    expect(stored.secrets.acct_1).toMatch(/^safe:/);
  });

  it.each([
    ['encryption unavailable', new FakeSafeStorage(false), 'linux'],
    ['Linux with only the fixed-key backend', new FakeSafeStorage(true, 'basic_text'), 'linux'],
  ])('with %s, secrets are kept as they are and the console says so', async (_name, safeStorage, platform) => {
    const stores = await open({ safeStorage, platform });
    expect(stores.warnings).toEqual([expect.objectContaining({ code: 'secrets_unprotected', file: join(dir(), 'secrets.json'), backup: null })]);
    await stores.secrets.set('acct_1', 'sk-fake-plain');
    expect((JSON.parse(await file('secrets')) as { secrets: Record<string, string> }).secrets.acct_1).toBe('plain:sk-fake-plain');
    expect((await open({ safeStorage, platform })).secrets.get('acct_1')).toBe('sk-fake-plain');
  });

  it('reads secrets sealed before the keychain went away, and stored plainly before it came', async () => {
    const sealedFirst = await open();
    await sealedFirst.secrets.set('acct_1', 'sk-one');
    const later = await open({ safeStorage: new FakeSafeStorage(true, 'basic_text') });
    expect(later.secrets.get('acct_1')).toBe('sk-one');
    await later.secrets.set('acct_2', 'sk-two');
    const back = await open();
    expect([back.secrets.get('acct_1'), back.secrets.get('acct_2')]).toEqual(['sk-one', 'sk-two']);
  });

  it('keychain unavailable on one run and available on the next: the key stored plainly is sealed, and the warning goes', async () => {
    const first = await open({ safeStorage: new FakeSafeStorage(false) });
    await first.secrets.set('acct_1', 'sk-one');
    expect(await storedSecrets()).toEqual({ acct_1: 'plain:sk-one' });

    const second = await open({ safeStorage: new FakeSafeStorage(true) });
    expect(second.secrets.get('acct_1')).toBe('sk-one');
    expect(second.warnings).toEqual([]);
    expect((await storedSecrets()).acct_1).toMatch(/^safe:/);
    expect(await file('secrets')).not.toContain('sk-one');
  });

  it('keychain failing on one run: sealed keys stay sealed on disk, are reported, and open again on the next run', async () => {
    const first = await open();
    await first.secrets.set('acct_1', 'sk-one');
    const sealed = (await storedSecrets()).acct_1!;

    const failing = await open({ safeStorage: new FakeSafeStorage(false) });
    expect(failing.secrets.get('acct_1')).toBeUndefined();
    expect(failing.warnings.map((w) => w.code)).toEqual(['secrets_unprotected', 'secrets_locked']);
    // A key added meanwhile is stored as well as it can be; the sealed one is neither dropped nor unsealed.
    await failing.secrets.set('acct_2', 'sk-two');
    expect(await storedSecrets()).toEqual({ acct_1: sealed, acct_2: 'plain:sk-two' });

    const recovered = await open();
    expect([recovered.secrets.get('acct_1'), recovered.secrets.get('acct_2')]).toEqual(['sk-one', 'sk-two']);
    expect(recovered.warnings).toEqual([]);
    expect(Object.values(await storedSecrets()).every((v) => v.startsWith('safe:'))).toBe(true);
  });

  it('a secret another keychain sealed is kept as it is with a warning; the others are used', async () => {
    const foreign = `safe:${Buffer.from('not ours').toString('base64')}`;
    await writeFile(join(dir(), 'secrets.json'), JSON.stringify({ version: 1, secrets: { good: 'plain:sk-good', bad: foreign } }));
    const stores = await open();
    expect(stores.secrets.get('good')).toBe('sk-good');
    expect(stores.secrets.get('bad')).toBeUndefined();
    expect(stores.warnings).toEqual([expect.objectContaining({ code: 'secrets_locked', backup: null })]);
    // Nothing was moved aside, and writing another key keeps the one that cannot be opened.
    expect((await readdir(dir())).filter((f) => f.includes('corrupt'))).toEqual([]);
    await stores.secrets.set('new', 'sk-new');
    expect((await storedSecrets()).bad).toBe(foreign);
  });

  it('after a key rotation, keys are sealed again with the new key at the next start', async () => {
    const safeStorage = new FakeSafeStorage();
    await (await open({ safeStorage })).secrets.set('acct_1', 'sk-one');
    safeStorage.keyVersion = 2;
    const rotated = await open({ safeStorage });
    expect(rotated.secrets.get('acct_1')).toBe('sk-one');
    const resealed = Buffer.from((await storedSecrets()).acct_1!.slice('safe:'.length), 'base64').toString();
    expect(resealed).toMatch(/^sealed:v2:/);
  });
});
