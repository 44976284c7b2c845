// The data folder's lock, with processes played by ids: one holder however many start at once, a lock
// left by a dead process taken over by exactly one of those who find it, and nobody's lock removed by
// anybody else.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockFolder, processAlive, type LockHolder } from '../../../src-proxy/lib/folder-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Process ids that "run": the ones in `alive`. */
const livingIn = (alive: Set<number>) => (h: LockHolder) => Promise.resolve(alive.has(h.pid));

describe('lockFolder', () => {
  it('gives the folder to exactly one of twenty processes starting at the same moment', async () => {
    const alive = new Set(Array.from({ length: 20 }, (_, i) => 1000 + i));
    const results = await Promise.all([...alive].map((pid) => lockFolder(dir, { role: 'serve', pid, holds: livingIn(alive) })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const holder = winners[0]!.ok ? winners[0]!.lock.holder : null;
    for (const r of results) if (!r.ok) expect(r.holder).toEqual(holder);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toEqual(holder);
  });

  it('takes over a lock whose holder died, exactly once however many find it at the same moment', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: 999, role: 'serve', started_at: 1, nonce: 'dead' }));
    const alive = new Set(Array.from({ length: 20 }, (_, i) => 2000 + i));
    const results = await Promise.all([...alive].map((pid) => lockFolder(dir, { role: 'serve', pid, holds: livingIn(alive) })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).not.toBe(999);
  });

  it('takes over a lock it cannot read, and one that names its own process id (a restarted container)', async () => {
    await writeFile(join(dir, LOCK_FILE), 'half a lo');
    expect((await lockFolder(dir, { role: 'serve', pid: 7 })).ok).toBe(true);
    const again = await lockFolder(dir, { role: 'serve', pid: 7, holds: () => Promise.resolve(true) });
    expect(again.ok).toBe(true);
  });

  it('is given up by its holder only, and leaves no temporary file behind', async () => {
    const first = await lockFolder(dir, { role: 'command', pid: 1, holds: () => Promise.resolve(true) });
    if (!first.ok) throw new Error('expected the lock');
    await rm(join(dir, LOCK_FILE));
    const second = await lockFolder(dir, { role: 'serve', pid: 2, holds: () => Promise.resolve(true) });
    if (!second.ok) throw new Error('expected the lock');
    await first.lock.release(); // not its lock any more: nothing happens
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(2);
    await second.lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates the folder private to the user', async () => {
    const inner = join(dir, 'data');
    expect((await lockFolder(inner, { role: 'serve' })).ok).toBe(true);
    const { stat } = await import('node:fs/promises');
    if (process.platform !== 'win32') expect((await stat(inner)).mode & 0o777).toBe(0o700);
  });
});

describe('processAlive', () => {
  it('knows this process, and no process for an id that cannot be one', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(0)).toBe(false);
    expect(processAlive(-5)).toBe(false);
  });
});
