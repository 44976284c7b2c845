import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../src-proxy/contract/index.js';
import { FileSecretStore, type SecretCodec } from '../../../src-proxy/accounts/file-secret-store.js';
import { JsonFileDocument } from '../../../src-proxy/lib/json-document.js';
import { useTempDir } from '../settings/temp-dir.js';

/**
 * A keychain stand-in: seals as `sealed:<key version>:<reversed>`, can be locked (nothing opens or
 * seals), can be missing (secrets are stored marked plain), and reports values sealed under an older
 * key version as due for resealing.
 */
class TestKeychain implements SecretCodec {
  locked = false;
  protect = true;
  keyVersion = 1;
  async seal(secret: string): Promise<string> {
    if (!this.protect) return `plain:${secret}`;
    if (this.locked) throw new Error('keychain locked');
    return `sealed:${this.keyVersion}:${[...secret].reverse().join('')}`;
  }
  async open(stored: string) {
    if (stored.startsWith('plain:')) return { secret: stored.slice('plain:'.length), reseal: this.protect };
    const m = /^sealed:(\d+):(.*)$/.exec(stored);
    if (!m || this.locked || !this.protect) throw new Error('cannot open');
    return { secret: [...m[2]!].reverse().join(''), reseal: Number(m[1]) < this.keyVersion };
  }
}

describe('FileSecretStore', () => {
  const dir = useTempDir();
  const secretsPath = () => join(dir(), 'secrets.json');

  async function open(): Promise<{ store: FileSecretStore; warnings: Warning[] }> {
    const warnings: Warning[] = [];
    const store = await FileSecretStore.open(secretsPath(), (w) => warnings.push(w));
    return { store, warnings };
  }

  it('sets, gets and deletes secrets and keeps them across a restart', async () => {
    const { store } = await open();
    expect(store.get('a')).toBeUndefined();
    await store.set('a', 'key-a');
    await store.set('b', 'key-b');
    await store.delete('a');
    await store.delete('missing');
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBe('key-b');

    const { store: reopened } = await open();
    expect(reopened.get('a')).toBeUndefined();
    expect(reopened.get('b')).toBe('key-b');
  });

  it('keeps every one of several concurrent changes', async () => {
    const { store } = await open();
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`id${i}`, `secret${i}`)));
    const { store: reopened } = await open();
    for (let i = 0; i < 10; i++) expect(reopened.get(`id${i}`)).toBe(`secret${i}`);
  });

  it.skipIf(process.platform === 'win32')('writes the file with mode 0600, even over a wider one', async () => {
    await writeFile(secretsPath(), JSON.stringify({ version: 1, secrets: {} }));
    await chmod(secretsPath(), 0o644);
    const { store } = await open();
    await store.set('a', 'key-a');
    expect((await stat(secretsPath())).mode & 0o777).toBe(0o600);
    await store.set('b', 'key-b');
    expect((await stat(secretsPath())).mode & 0o777).toBe(0o600);
  });

  it('rejects an empty secret without writing, and never names a secret in an error', async () => {
    const { store } = await open();
    await expect(store.set('a', '')).rejects.toThrow(/account a/);
    expect(await readdir(dir())).toEqual([]);
  });

  it('keeps a corrupt file aside, warns without quoting it, and starts empty', async () => {
    const secret = 'sk-fake-THIS-MUST-NOT-LEAK';
    const content = `{"version":1,"secrets":{"a":"${secret}"`;
    await writeFile(secretsPath(), content);
    const { store, warnings } = await open();
    expect(store.get('a')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'secrets_corrupt', file: secretsPath() });
    expect(JSON.stringify(warnings)).not.toContain(secret);
    expect(await readFile(warnings[0]!.backup!, 'utf8')).toBe(content);
  });

  describe('with a keychain', () => {
    async function openWith(keychain: TestKeychain) {
      const warnings: Warning[] = [];
      const store = await FileSecretStore.openDocument(new JsonFileDocument(secretsPath(), 0o600), (w) => warnings.push(w), keychain);
      return { store, warnings };
    }
    const onDisk = async () => (JSON.parse(await readFile(secretsPath(), 'utf8')) as { secrets: Record<string, string> }).secrets;

    it('a key the keychain cannot open now is kept on disk as it was, reported, and survives writes of other keys', async () => {
      const keychain = new TestKeychain();
      const first = await openWith(keychain);
      await first.store.set('a', 'key-a');
      const sealedA = (await onDisk()).a!;

      keychain.locked = true;
      const locked = await openWith(keychain);
      expect(locked.store.get('a')).toBeUndefined();
      expect(locked.warnings).toEqual([expect.objectContaining({ code: 'secrets_locked', file: secretsPath(), backup: null })]);
      keychain.locked = false;
      await locked.store.set('b', 'key-b');
      await locked.store.delete('missing');
      expect((await onDisk()).a).toBe(sealedA);

      const unlocked = await openWith(keychain);
      expect([unlocked.store.get('a'), unlocked.store.get('b')]).toEqual(['key-a', 'key-b']);
      expect(unlocked.warnings).toEqual([]);
    });

    it('a run without protection stores only what it changes plainly, and never downgrades keys already sealed', async () => {
      const keychain = new TestKeychain();
      await (await openWith(keychain)).store.set('a', 'key-a');
      const sealedA = (await onDisk()).a!;

      keychain.protect = false;
      const unprotected = await openWith(keychain);
      await unprotected.store.set('b', 'key-b');
      expect(await onDisk()).toEqual({ a: sealedA, b: 'plain:key-b' });
    });

    it('seals a key stored plainly once protection is there, and reseals keys the keychain asks to', async () => {
      const keychain = new TestKeychain();
      keychain.protect = false;
      await (await openWith(keychain)).store.set('a', 'key-a');
      keychain.protect = true;
      await (await openWith(keychain)).store.set('b', 'key-b');
      expect(await onDisk()).toEqual({ a: 'sealed:1:a-yek', b: 'sealed:1:b-yek' });

      keychain.keyVersion = 2;
      const rotated = await openWith(keychain);
      expect([rotated.store.get('a'), rotated.store.get('b')]).toEqual(['key-a', 'key-b']);
      expect(await onDisk()).toEqual({ a: 'sealed:2:a-yek', b: 'sealed:2:b-yek' });
    });

    it('a key that cannot be sealed is not stored, and the caller is told', async () => {
      const keychain = new TestKeychain();
      const { store } = await openWith(keychain);
      keychain.locked = true;
      await expect(store.set('a', 'key-a')).rejects.toThrow('keychain locked');
      expect(store.get('a')).toBeUndefined();
    });
  });
});
