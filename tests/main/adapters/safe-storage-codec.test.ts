// When secrets count as protected, and how each stored value says how it was stored, through
// safeStorage's asynchronous API.

import { describe, expect, it } from 'vitest';
import { keychainAvailable, safeStorageCodec } from '../../../src-main/adapters/safe-storage-codec.js';
import { FakeSafeStorage } from '../helpers/fake-electron.js';

describe('keychainAvailable', () => {
  it.each([
    ['darwin', true, 'unknown', true],
    ['win32', true, 'unknown', true],
    ['darwin', false, 'unknown', false],
    ['linux', true, 'gnome_libsecret', true],
    ['linux', true, 'kwallet6', true],
    ['linux', true, 'basic_text', false],
    ['linux', true, 'unknown', false],
    ['linux', false, 'gnome_libsecret', false],
  ])('%s, encryption available %s, backend %s: %s', async (platform, available, backend, expected) => {
    expect(await keychainAvailable(new FakeSafeStorage(available, backend), platform)).toBe(expected);
  });

  it('on Linux, an Electron without the backend query counts as unprotected', async () => {
    const withoutBackend = {
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (t: string) => Buffer.from(t),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
    };
    expect(await keychainAvailable(withoutBackend, 'linux')).toBe(false);
  });

  it('counts as unavailable before the app is ready, as Electron answers then', async () => {
    const safeStorage = new FakeSafeStorage();
    safeStorage.ready = () => false;
    expect(await keychainAvailable(safeStorage, 'darwin')).toBe(false);
  });
});

describe('safeStorageCodec', () => {
  const safeStorage = new FakeSafeStorage();

  it.each(['sk-fake-fake-abc', 'fake-access.token/with+symbols=', 'ünïcødé 🔑', 'plain:looks-like-a-prefix'])('round-trips %s, sealed', async (secret) => {
    const codec = safeStorageCodec(safeStorage, true);
    const stored = await codec.seal(secret);
    expect(stored.startsWith('safe:')).toBe(true);
    expect(stored).not.toContain(secret);
    expect(await codec.open(stored)).toEqual({ secret, reseal: false });
  });

  it('without protection, marks the value as plain and reads it back', async () => {
    const codec = safeStorageCodec(safeStorage, false);
    expect(await codec.seal('sk-1')).toBe('plain:sk-1');
    expect(await codec.open('plain:sk-1')).toEqual({ secret: 'sk-1', reseal: false });
  });

  it('reads both kinds whichever way it now seals; a plain value asks to be sealed once protection is there', async () => {
    const sealed = await safeStorageCodec(safeStorage, true).seal('sk-1');
    expect(await safeStorageCodec(safeStorage, false).open(sealed)).toEqual({ secret: 'sk-1', reseal: false });
    expect(await safeStorageCodec(safeStorage, true).open('plain:sk-2')).toEqual({ secret: 'sk-2', reseal: true });
  });

  it('asks for resealing after the keychain rotated its key (shouldReEncrypt), and only when it can seal', async () => {
    const rotating = new FakeSafeStorage();
    const sealed = await safeStorageCodec(rotating, true).seal('sk-1');
    rotating.keyVersion = 2;
    expect(await safeStorageCodec(rotating, true).open(sealed)).toEqual({ secret: 'sk-1', reseal: true });
    expect(await safeStorageCodec(rotating, false).open(sealed)).toEqual({ secret: 'sk-1', reseal: false });
  });

  it.each([
    ['a value with no marker', 'sk-fake-bare'],
    ['a value sealed elsewhere', `safe:${Buffer.from('other machine').toString('base64')}`],
  ])('refuses %s', async (_name, stored) => {
    await expect(safeStorageCodec(safeStorage, true).open(stored)).rejects.toThrow();
  });

  it('refuses while the keychain is temporarily unavailable, without losing anything', async () => {
    const flaky = new FakeSafeStorage();
    const sealed = await safeStorageCodec(flaky, true).seal('sk-1');
    flaky.available = false;
    await expect(safeStorageCodec(flaky, true).open(sealed)).rejects.toThrow(/temporarily unavailable/);
    flaky.available = true;
    expect((await safeStorageCodec(flaky, true).open(sealed)).secret).toBe('sk-1');
  });
});
