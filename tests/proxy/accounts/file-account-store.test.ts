import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import type { Account, Warning } from '../../../src-proxy/contract/index.js';
import { FileAccountStore } from '../../../src-proxy/accounts/file-account-store.js';
import { FileSecretStore } from '../../../src-proxy/accounts/file-secret-store.js';
import { useTempDir } from '../settings/temp-dir.js';
import { makeAccount } from './account-fixture.js';

describe('FileAccountStore', () => {
  const dir = useTempDir();
  const accountsPath = () => join(dir(), 'accounts.json');

  afterEach(() => {
    vi.useRealTimers();
  });

  async function open(): Promise<{ store: FileAccountStore; warnings: Warning[] }> {
    const warnings: Warning[] = [];
    const store = await FileAccountStore.open(accountsPath(), (w) => warnings.push(w));
    return { store, warnings };
  }

  async function readAccountsFile(): Promise<{ version: number; accounts: Account[] }> {
    return JSON.parse(await readFile(accountsPath(), 'utf8'));
  }

  it('starts empty without a file', async () => {
    const { store, warnings } = await open();
    expect(store.list()).toEqual([]);
    expect(warnings).toEqual([]);
    expect(await readdir(dir())).toEqual([]);
  });

  it('adds, updates and removes accounts, in insertion order, and keeps them across a restart', async () => {
    const { store } = await open();
    await store.add(makeAccount('b'));
    await store.add(makeAccount('a'));
    await store.add(makeAccount('c'));
    const updated = await store.update('a', (a) => ({ ...a, label: 'renamed', enabled: false }));
    expect(updated).toMatchObject({ id: 'a', label: 'renamed', enabled: false });
    expect(await store.remove('c')).toBe(true);
    expect(await store.remove('c')).toBe(false);

    expect(store.list().map((a) => a.id)).toEqual(['b', 'a']);
    expect(store.get('a')).toEqual(updated);
    expect(store.get('c')).toBeUndefined();

    const file = await readAccountsFile();
    expect(file.version).toBe(1);
    expect(file.accounts.map((a) => a.id)).toEqual(['b', 'a']);

    const { store: reopened } = await open();
    expect(reopened.list()).toEqual(store.list());
  });

  it('replaces the list on every change, so a snapshot stays as it was', async () => {
    const { store } = await open();
    await store.add(makeAccount('a'));
    const snapshot = store.list();
    const account = store.get('a')!;
    await store.update('a', (a) => ({ ...a, label: 'renamed' }));
    store.patchRuntime('a', (a) => ({ ...a, stats: { ...a.stats, requests: 1 } }));
    await store.add(makeAccount('b'));

    expect(snapshot).toHaveLength(1);
    expect(snapshot[0]).toBe(account);
    expect(account.label).toBe('a@example.com');
    expect(store.list()).not.toBe(snapshot);
    // In-place edits fail loudly instead of changing other callers' snapshots.
    expect(() => {
      (account as { label: string }).label = 'mutated';
    }).toThrow(TypeError);
  });

  it('rejects a duplicate id, a missing account, an id change and invalid data', async () => {
    const { store } = await open();
    await store.add(makeAccount('a'));
    await expect(store.add(makeAccount('a'))).rejects.toThrow(/already exists/);
    await expect(store.update('nope', (a) => a)).rejects.toThrow(/not found/);
    await expect(store.update('a', (a) => ({ ...a, id: 'b' }))).rejects.toThrow(/id/);
    await expect(store.update('a', (a) => ({ ...a, label: '' }))).rejects.toBeInstanceOf(ZodError);
    await expect(store.add({ ...makeAccount('x'), created_at: 'yesterday' as never })).rejects.toBeInstanceOf(ZodError);
    expect(store.list().map((a) => a.id)).toEqual(['a']);
    expect(store.get('a')!.label).toBe('a@example.com');
  });

  it('notifies listeners with the new list', async () => {
    const { store } = await open();
    const seen: (readonly Account[])[] = [];
    const off = store.onChange((accounts) => seen.push(accounts));
    await store.add(makeAccount('a'));
    store.patchRuntime('a', (a) => ({ ...a, health: 'invalid' }));
    off();
    await store.remove('a');
    expect(seen.map((list) => list.map((a) => a.health))).toEqual([['ok'], ['invalid']]);
  });

  it('keeps secrets out of accounts.json, even when one is passed along by mistake', async () => {
    const secret = 'sk-fake-THIS-MUST-NOT-LEAK';
    const secrets = await FileSecretStore.open(join(dir(), 'secrets.json'), () => undefined);
    const { store } = await open();
    await secrets.set('a', secret);
    await store.add({ ...makeAccount('a'), api_key: secret } as unknown as Account);
    await store.update('a', (a) => ({ ...a, secret }) as unknown as Account);
    store.patchRuntime('a', (a) => ({ ...a, token: secret }) as unknown as Account);
    await store.flush();

    const text = await readFile(accountsPath(), 'utf8');
    expect(text).not.toContain(secret);
    expect(store.get('a')).not.toHaveProperty('api_key');
    expect(await readFile(join(dir(), 'secrets.json'), 'utf8')).toContain(secret);
  });

  it.skipIf(process.platform === 'win32')('writes accounts.json with mode 0600', async () => {
    const { store } = await open();
    await store.add(makeAccount('a'));
    expect((await stat(accountsPath())).mode & 0o777).toBe(0o600);
  });

  it('applies runtime patches at once and writes them together after the flush delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store } = await open();
    await store.add(makeAccount('a'));
    await store.add(makeAccount('b'));

    for (let i = 0; i < 100; i++) {
      store.patchRuntime('a', (a) => ({ ...a, stats: { ...a.stats, requests: a.stats.requests + 1 } }));
      store.patchRuntime('b', (a) => ({ ...a, stats: { ...a.stats, failures: a.stats.failures + 1 } }));
    }
    expect(store.get('a')!.stats.requests).toBe(100);
    expect(store.get('b')!.stats.failures).toBe(100);
    // One pending write for all 200 patches, and nothing on disk yet.
    expect(vi.getTimerCount()).toBe(1);
    expect((await readAccountsFile()).accounts[0]!.stats.requests).toBe(0);

    vi.advanceTimersByTime(999);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(vi.getTimerCount()).toBe(0);
    await vi.waitFor(async () => {
      const file = await readAccountsFile();
      expect(file.accounts.map((a) => [a.stats.requests, a.stats.failures])).toEqual([
        [100, 0],
        [0, 100],
      ]);
    });
  });

  it('flush() writes pending runtime patches at once and cancels the timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store } = await open();
    await store.add(makeAccount('a'));
    store.patchRuntime('a', (a) => ({ ...a, health: 'forbidden', health_message: 'banned' }));
    await store.flush();
    expect(vi.getTimerCount()).toBe(0);
    expect((await readAccountsFile()).accounts[0]).toMatchObject({ health: 'forbidden', health_message: 'banned' });

    const { store: reopened } = await open();
    expect(reopened.get('a')!.health).toBe('forbidden');
  });

  it('a CRUD write carries pending runtime patches, so the timer has nothing left to write', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store } = await open();
    await store.add(makeAccount('a'));
    store.patchRuntime('a', (a) => ({ ...a, stats: { ...a.stats, requests: 5 } }));
    await store.add(makeAccount('b'));
    expect(vi.getTimerCount()).toBe(0);
    expect((await readAccountsFile()).accounts[0]!.stats.requests).toBe(5);
  });

  it('ignores runtime patches for an account that was removed meanwhile', async () => {
    const { store } = await open();
    const listener = vi.fn();
    store.onChange(listener);
    store.patchRuntime('gone', (a) => ({ ...a, enabled: false }));
    expect(listener).not.toHaveBeenCalled();
    await store.flush();
    expect(await readdir(dir())).toEqual([]);
  });

  it('prunes expired cooldowns from the file but keeps live ones', async () => {
    const { store } = await open();
    const now = Date.now();
    await store.add(
      makeAccount('a', {
        cooldowns: [
          { model: 'claude-x', until: now - 1000, reason: 'rate_limit' },
          { model: '*', until: now + 3_600_000, reason: 'forbidden' },
        ],
      }),
    );
    const file = await readAccountsFile();
    expect(file.accounts[0]!.cooldowns).toEqual([{ model: '*', until: now + 3_600_000, reason: 'forbidden' }]);
  });

  it.each([
    ['does not parse', '{"version":1,"accounts":['],
    ['has an invalid account', JSON.stringify({ version: 1, accounts: [{ id: 'a' }] })],
    ['repeats an id', JSON.stringify({ version: 1, accounts: [makeAccount('a'), makeAccount('a')] })],
    ['has no version', JSON.stringify({ accounts: [] })],
  ])('keeps a file that %s aside, warns, and starts empty', async (_why, content) => {
    await writeFile(accountsPath(), content);
    const { store, warnings } = await open();
    expect(store.list()).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'accounts_corrupt', file: accountsPath() });
    expect(await readFile(warnings[0]!.backup!, 'utf8')).toBe(content);
    expect(await readdir(dir())).toHaveLength(1);
  });
});
