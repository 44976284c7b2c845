// The data folder holds keys: whichever command creates it, it is the user's alone (0700), and so is
// every file written in it (0600), the usage statistics included.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { FileStatsStore } from '../../../src-proxy/logs/file-stats-store.js';
import { recordingIo } from './cli-io.js';

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'switchyard-folder-'));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe.skipIf(process.platform === 'win32')('the data folder', () => {
  it('is created private to the user by a command, with every file in it 0600', async () => {
    const dir = join(parent, 'nested', 'Switchyard');
    const io = recordingIo({ UPSTREAM_KEY: 'sk-folder-key' });
    const args = ['accounts', 'add', '--provider', 'anthropic', '--base-url', 'https://api.example.com', '--key-env', 'UPSTREAM_KEY', '--label', 'x'];
    expect(await main([...args, '--data-dir', dir], io)).toBe(0);
    expect(await main(['config', 'set', 'port', '9123', '--data-dir', dir], recordingIo())).toBe(0);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(parent, 'nested'))).toBe(0o700);
    for (const file of await readdir(dir)) expect([file, await modeOf(join(dir, file))]).toEqual([file, 0o600]);
  });

  it('keeps the usage statistics 0600 like every other data file', async () => {
    const path = join(parent, 'stats.json');
    const store = await FileStatsStore.open(path, () => {});
    await store.save({ hour: [], day: [] });
    expect(await modeOf(path)).toBe(0o600);
  });
});
