// The heap policy `serve` starts with, seen the way it matters: with a live set that turns over (each
// object outlives a few young collections, then dies in the old generation, as a request's objects do
// under load), the old generation grows well less far before a full collection than V8 would let it.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Peak old-generation size, MB, of a child process running the workload, with or without the policy. */
async function peakOldSpaceMb(withPolicy: boolean): Promise<number> {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    ${withPolicy ? "const { keepHeapNearLiveSize } = await import('./src-proxy/runtime/heap-policy.ts'); keepHeapNearLiveSize();" : ''}
    const live = new Array(60000);
    let peak = 0;
    for (let i = 0; i < 600000; i++) {
      live[i % live.length] = { text: 'entry ' + i + ' '.repeat(64), list: [i, i + 1], nested: { i } };
      if (i % 2000 === 0) for (const s of getHeapSpaceStatistics()) if (s.space_name === 'old_space') peak = Math.max(peak, s.space_size);
    }
    console.log(peak / 1e6);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 });
  return Number(stdout.trim());
}

describe('keepHeapNearLiveSize', () => {
  it('lets the old generation grow less far before a full collection', async () => {
    const [without, withPolicy] = await Promise.all([peakOldSpaceMb(false), peakOldSpaceMb(true)]);
    expect(without).toBeGreaterThan(0);
    expect(withPolicy).toBeLessThan(without * 0.9);
  }, 90_000);
});
