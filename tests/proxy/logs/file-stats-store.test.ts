import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../src-proxy/contract/index.js';
import { FileStatsStore } from '../../../src-proxy/logs/file-stats-store.js';
import { useTempDir } from '../settings/temp-dir.js';

const bucket = { start: 1000, account_id: 'acc-1', model: 'm', requests: 3, failures: 1, input_tokens: 30, output_tokens: 4, cost_usd: 0.0125, unpriced: 1 };

describe('FileStatsStore', () => {
  const dir = useTempDir();

  it('round-trips both tables through stats.json', async () => {
    const path = join(dir(), 'stats.json');
    const none = await FileStatsStore.open(path, () => {});
    expect(await none.load()).toBeNull();
    await none.save({ hour: [bucket], day: [{ ...bucket, account_id: null }] });
    const again = await FileStatsStore.open(path, () => {});
    expect(await again.load()).toEqual({ hour: [bucket], day: [{ ...bucket, account_id: null }] });
  });

  it('reads a file from before requests were priced, with no cost and nothing unpriced', async () => {
    const path = join(dir(), 'stats.json');
    await writeFile(path, '{"version":1,"hour":[[1000,"acc-1","m",3,1,30,4]],"day":[]}');
    const store = await FileStatsStore.open(path, () => {});
    expect(await store.load()).toEqual({ hour: [{ ...bucket, cost_usd: 0, unpriced: 0 }], day: [] });
  });

  it('keeps a file it cannot read aside, warns, and starts from nothing', async () => {
    const path = join(dir(), 'stats.json');
    await writeFile(path, '{"version":1,"hour":[[1,"a","m",-1,0,0,0]],"day":[]}');
    const warnings: Warning[] = [];
    const store = await FileStatsStore.open(path, (w) => warnings.push(w));
    expect(await store.load()).toBeNull();
    expect(warnings).toMatchObject([{ code: 'stats_corrupt', file: path }]);
    const kept = (await readdir(dir())).find((f) => f.startsWith('stats.json.corrupt-'));
    expect(await readFile(join(dir(), kept!), 'utf8')).toContain('"hour"');
  });
});
