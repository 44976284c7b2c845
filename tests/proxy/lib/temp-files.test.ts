// Temporary files left by a process killed in the middle of a write hold whatever it was writing (keys,
// for secrets.json). They are swept when the data folder is opened: every one whose writer is gone, none
// that a live process is still writing.

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileRuntime } from '../../../src-proxy/cli/file-runtime.js';
import { sweepStaleTempFiles } from '../../../src-proxy/lib/json-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-temp-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process id no process has (above Linux's pid_max). */
const DEAD_PID = 4_194_305;

/** A process that lives for the test, standing for another writer. */
function liveWriter() {
  const proc = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  return { pid: proc.pid!, stop: () => proc.kill('SIGKILL') };
}

describe('sweepStaleTempFiles', () => {
  it("removes the temporary files of writers that are gone, and keeps a live writer's and everything else", async () => {
    const live = liveWriter();
    try {
      const stale = [`.secrets.json.${DEAD_PID}.0a1b2c3d4e5f.tmp`, `.accounts.json.${DEAD_PID}.ffeeddccbbaa.tmp`, `.owner.lock.${DEAD_PID}.Ab-_9xYz12Q3.tmp`];
      const kept = [`.settings.json.${live.pid}.0a1b2c3d4e5f.tmp`, 'secrets.json', 'stats.json.corrupt-2026-01-01T00-00-00-000Z', 'notes.tmp'];
      for (const name of [...stale, ...kept]) await writeFile(join(dir, name), 'sk-fake-left-behind');
      // One this very process left in an earlier life (a restarted container reuses its pid).
      const mine = `.stats.json.${process.pid}.0a1b2c3d4e5f.tmp`;
      await writeFile(join(dir, mine), '{}');
      await utimes(join(dir, mine), new Date(2020, 0, 1), new Date(2020, 0, 1));

      expect(await sweepStaleTempFiles(dir)).toEqual([...stale, mine].sort());
      expect((await readdir(dir)).sort()).toEqual([...kept].sort());
    } finally {
      live.stop();
    }
  });

  it('runs whenever the data folder is opened', async () => {
    await writeFile(join(dir, `.secrets.json.${DEAD_PID}.0a1b2c3d4e5f.tmp`), '{"secrets":{"acct_1":"sk-fake-removed-account"}}');
    const runtime = await openFileRuntime(dir);
    await runtime.close();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
