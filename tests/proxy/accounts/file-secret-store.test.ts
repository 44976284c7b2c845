import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../src-proxy/contract/index.js';
import { FileSecretStore } from '../../../src-proxy/accounts/file-secret-store.js';
import { useTempDir } from '../settings/temp-dir.js';

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
    const secret = 'sk-ant-THIS-MUST-NOT-LEAK';
    const content = `{"version":1,"secrets":{"a":"${secret}"`;
    await writeFile(secretsPath(), content);
    const { store, warnings } = await open();
    expect(store.get('a')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'secrets_corrupt', file: secretsPath() });
    expect(JSON.stringify(warnings)).not.toContain(secret);
    expect(await readFile(warnings[0]!.backup!, 'utf8')).toBe(content);
  });
});
