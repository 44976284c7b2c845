// When secrets count as protected, and how each stored value says how it was stored.

import { describe, expect, it } from 'vitest';
import { keychainAvailable, safeStorageCodec } from '../../../src-main/adapters/safe-storage-codec.js';
import { FakeSafeStorage } from '../helpers/fake-electron.js';

describe('keychainAvailable', () => {
  it.each([
    ['darwin', true, 'unknown', true],
    ['win32', true, 'unknown', true],
    ['darwin', false, 'unknown', false],
    ['linux', true, 'gnome_libsecret', true],
    ['linux', true, 'kwallet5', true],
    ['linux', true, 'basic_text', false],
    ['linux', true, 'unknown', false],
    ['linux', false, 'gnome_libsecret', false],
  ])('%s, encryption available %s, backend %s: %s', (platform, available, backend, expected) => {
    expect(keychainAvailable(new FakeSafeStorage(available, backend), platform)).toBe(expected);
  });

  it('on Linux, an Electron without the backend query counts as unprotected', () => {
    const withoutBackend = { isEncryptionAvailable: () => true, encryptString: (t: string) => Buffer.from(t), decryptString: (b: Buffer) => b.toString() };
    expect(keychainAvailable(withoutBackend, 'linux')).toBe(false);
  });
});

describe('safeStorageCodec', () => {
  const safeStorage = new FakeSafeStorage();

  it.each(['sk-ant-api03-abc', 'ya29.token/with+symbols=', 'ünïcødé 🔑', 'plain:looks-like-a-prefix'])('round-trips %s, sealed', (secret) => {
    const codec = safeStorageCodec(safeStorage, true);
    const stored = codec.seal(secret);
    expect(stored.startsWith('safe:')).toBe(true);
    expect(stored).not.toContain(secret);
    expect(codec.open(stored)).toBe(secret);
  });

  it('without protection, marks the value as plain and reads it back', () => {
    const codec = safeStorageCodec(safeStorage, false);
    expect(codec.seal('sk-1')).toBe('plain:sk-1');
    expect(codec.open('plain:sk-1')).toBe('sk-1');
  });

  it('reads both kinds whichever way it now seals', () => {
    const sealed = safeStorageCodec(safeStorage, true).seal('sk-1');
    expect(safeStorageCodec(safeStorage, false).open(sealed)).toBe('sk-1');
    expect(safeStorageCodec(safeStorage, true).open('plain:sk-2')).toBe('sk-2');
  });

  it.each([
    ['a value with no marker', 'sk-ant-bare'],
    ['a value sealed elsewhere', `safe:${Buffer.from('other machine').toString('base64')}`],
  ])('refuses %s', (_name, stored) => {
    expect(() => safeStorageCodec(safeStorage, true).open(stored)).toThrow();
  });
});
