// Reading the headless data folder for the desktop's first launch: what it holds comes out validated and
// migrated, what cannot be read is left out, and the folder is never changed.

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../../src-proxy/contract/index.js';
import { readHeadlessData } from '../../../src-main/adapters/headless-import.js';
import { makeAccount } from '../../proxy/accounts/account-fixture.js';
import { useTempDir } from '../../proxy/settings/temp-dir.js';

const dir = useTempDir('switchyard-headless-');

async function put(name: string, value: unknown): Promise<void> {
  await mkdir(dir(), { recursive: true });
  await writeFile(join(dir(), name), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('readHeadlessData', () => {
  it('is null for a folder that does not exist, or holds neither settings nor accounts', async () => {
    expect(await readHeadlessData(join(dir(), 'absent'))).toBeNull();
    await put('request-history.jsonl', '');
    expect(await readHeadlessData(dir())).toBeNull();
  });

  it('reads settings (migrated), accounts and the keys of those accounts', async () => {
    await put('settings.json', { version: 1, port: 9100, upstream_timeout_ms: 30_000 });
    await put('accounts.json', { version: 1, accounts: [makeAccount('acct_a'), makeAccount('acct_b')] });
    await put('secrets.json', { version: 1, secrets: { acct_a: 'sk-a', stray: 'sk-stray' } });
    const data = await readHeadlessData(dir());
    expect(data?.settings).toMatchObject({ version: SETTINGS_VERSION, port: 9100, upstream_headers_timeout_ms: 30_000 });
    expect(data?.accounts.map((a) => a.id)).toEqual(['acct_a', 'acct_b']);
    expect([...data!.secrets]).toEqual([['acct_a', 'sk-a']]);
  });

  it('leaves out what it cannot read, and moves nothing aside', async () => {
    await put('settings.json', '{"port": ');
    await put('accounts.json', { version: 1, accounts: [makeAccount('acct_a')] });
    await put('secrets.json', 'not json');
    const data = await readHeadlessData(dir());
    expect(data?.settings).toBeNull();
    expect(data?.accounts.map((a) => a.id)).toEqual(['acct_a']);
    expect(data?.secrets.size).toBe(0);
    expect((await readdir(dir())).sort()).toEqual(['accounts.json', 'secrets.json', 'settings.json']);
    expect(await readFile(join(dir(), 'settings.json'), 'utf8')).toBe('{"port": ');
  });

  it('a file it may not read is left out, not an error', async () => {
    await mkdir(join(dir(), 'settings.json'), { recursive: true });
    await put('accounts.json', { version: 1, accounts: [makeAccount('acct_a')] });
    const data = await readHeadlessData(dir());
    expect(data?.settings).toBeNull();
    expect(data?.accounts).toHaveLength(1);
  });

  it('settings alone are worth importing', async () => {
    await put('settings.json', { version: SETTINGS_VERSION, port: 9200 });
    const data = await readHeadlessData(dir());
    expect(data?.settings?.port).toBe(9200);
    expect(data?.accounts).toEqual([]);
  });
});
