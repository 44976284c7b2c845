// The heap policy `serve` starts with, seen the way it matters: with a live set that turns over (each
// object outlives a few young collections, then dies in the old generation, as a request's objects do
// under load), the old generation grows well less far before a full collection than V8 would let it,
// and the young generation stops at its cap instead of growing to V8's maximum.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { YOUNG_GENERATION_MB } from '../../../src-proxy/runtime/heap-policy.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

interface Peaks {
  oldMb: number;
  youngMb: number;
}

/**
 * Peak old- and young-generation sizes, MB, of a child process running the workload after `setup`. The
 * workload yields to the event loop every 2000 objects, as a server does between requests.
 */
async function peaks(setup: string): Promise<Peaks> {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    ${setup}
    const live = new Array(60000);
    const peak = { old_space: 0, new_space: 0 };
    for (let i = 0; i < 600000; i++) {
      live[i % live.length] = { text: 'entry ' + i + ' '.repeat(64), list: [i, i + 1], nested: { i } };
      if (i % 2000 === 0) {
        for (const s of getHeapSpaceStatistics()) if (s.space_name in peak) peak[s.space_name] = Math.max(peak[s.space_name], s.space_size);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    console.log(JSON.stringify({ oldMb: peak.old_space / 2 ** 20, youngMb: peak.new_space / 2 ** 20 }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout.trim()) as Peaks;
}

const POLICY = "const policy = await import('./src-proxy/runtime/heap-policy.ts');";

describe('keepHeapNearLiveSize', () => {
  it('lets the old generation grow less far before a full collection, and holds the young generation at its cap', async () => {
    const [without, withPolicy] = await Promise.all([
      peaks(''),
      // As the launcher starts it: held while loading, then the policy.
      peaks(`${POLICY} policy.holdYoungGeneration(); policy.keepHeapNearLiveSize();`),
    ]);
    expect(without.oldMb).toBeGreaterThan(0);
    expect(withPolicy.oldMb).toBeLessThan(without.oldMb * 0.9);
    expect(without.youngMb).toBeGreaterThan(YOUNG_GENERATION_MB);
    expect(withPolicy.youngMb).toBeLessThanOrEqual(YOUNG_GENERATION_MB);
  }, 90_000);
});

describe('capYoungGeneration', () => {
  it('lets a young generation held small grow up to the cap, and no further', async () => {
    const [at16, held] = await Promise.all([
      peaks(`${POLICY} policy.holdYoungGeneration(); policy.capYoungGeneration(16);`),
      peaks(`${POLICY} policy.holdYoungGeneration();`),
    ]);
    expect(at16.youngMb).toBe(16);
    expect(held.youngMb).toBeLessThan(16);
  }, 90_000);

  it('holds a young generation already at or past the cap where it is', async () => {
    const setup = `${POLICY} const start = policy.youngGenerationMb(); policy.capYoungGeneration(start);`;
    const [held, free] = await Promise.all([peaks(setup), peaks('')]);
    expect(held.youngMb).toBeLessThan(free.youngMb);
  }, 90_000);
});
