// File helpers shared by every store: a crash mid-write must leave either the old file or the new one,
// and a file we cannot understand is kept for the user rather than overwritten.

import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { SerialQueue } from './serial-queue.js';

const queues = new Map<string, SerialQueue>();
const pendingPerPath = new Map<string, number>();

/** Runs `task` after every earlier task on the same path; used to keep reads and writes of one file in order. */
function withFileLock<T>(path: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  let queue = queues.get(key);
  if (!queue) {
    queue = new SerialQueue();
    queues.set(key, queue);
  }
  pendingPerPath.set(key, (pendingPerPath.get(key) ?? 0) + 1);
  return queue.run(task).finally(() => {
    const left = (pendingPerPath.get(key) ?? 1) - 1;
    // Drop idle queues so a long-running process does not keep one per file it ever touched.
    if (left === 0) {
      pendingPerPath.delete(key);
      queues.delete(key);
    } else {
      pendingPerPath.set(key, left);
    }
  });
}

/** Writes atomically: temp file in the same directory, fsync, rename; creates the directory. `mode` e.g. 0o600 for secrets. */
export async function writeFileAtomic(path: string, data: string | Buffer, mode?: number): Promise<void> {
  await withFileLock(path, () => writeNow(resolve(path), data, mode));
}

/**
 * Writes a file that must not exist yet, as atomically: the whole content appears under `path`, or
 * nothing does. Fails with EEXIST when anything has that name, a symbolic link included (never followed).
 */
export async function writeFileExclusive(path: string, data: string | Buffer, mode?: number): Promise<void> {
  await withFileLock(path, () => writeNow(resolve(path), data, mode, 'exclusive'));
}

async function writeNow(path: string, data: string | Buffer, mode: number | undefined, place: 'replace' | 'exclusive' = 'replace'): Promise<void> {
  const dir = dirname(path);
  // The data directory holds credentials; a freshly created one is private to the user.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode ?? 0o666);
    try {
      // The umask may have narrowed or (rarely) not applied the creation mode; secrets need exactly this.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (place === 'replace') {
      await renameWithRetry(temp, path);
    } else {
      // link() refuses a name that exists, where rename() would replace it.
      await link(temp, path);
      await unlink(temp);
    }
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

/** `.<file>.<pid>.<random>.tmp`: a write in progress (this module's, or the folder lock's). */
const TEMP_FILE = /^\.(.+)\.(\d+)\.([A-Za-z0-9_-]+)\.tmp$/;

/**
 * Removes the temporary files in `dir` whose writer is gone (a process killed mid-write leaves one, with
 * whatever it was writing, keys included) and returns their names. A live process's are kept; this
 * process's own only when older than it, left by an earlier process that had the same id.
 */
export async function sweepStaleTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const startedAt = Date.now() - process.uptime() * 1000;
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    const path = join(dir, name);
    if (pid === process.pid) {
      const written = await stat(path).then(
        (s) => s.mtimeMs,
        () => Infinity,
      );
      if (written >= startedAt) continue;
    } else if (processRuns(pid)) {
      continue;
    }
    await unlink(path).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed.sort();
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Windows refuses a rename while another process (an antivirus, an indexer) briefly holds the target.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

// Makes the rename itself durable on POSIX; directories cannot be opened for sync on Windows.
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability of the directory entry is best effort; the data itself is already synced.
  }
}

export type JsonReadResult<T> = { kind: 'missing' } | { kind: 'ok'; value: T } | { kind: 'corrupt'; backup: string };

/** Reads and validates JSON with a zod schema; a file that does not parse or validate is renamed to `<name>.corrupt-<timestamp>` (never deleted) and reported as corrupt. */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<JsonReadResult<T>> {
  return withFileLock(path, async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      // Permission or I/O trouble is not corruption: defaults written over it later would lose data.
      throw err;
    }
    const parsed = parseJsonText(text, schema);
    if (!parsed.ok) return { kind: 'corrupt', backup: await moveAsideNow(path) };
    return { kind: 'ok', value: parsed.value };
  });
}

/** JSON text validated by `schema`; not ok when it does not parse or validate. */
export function parseJsonText<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false } {
  // Parse errors are not kept: their messages quote the file, which may hold secrets.
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

/** Renames a file we cannot use to `<name>.corrupt-<timestamp>` beside it and returns the new path. */
export function moveAside(path: string): Promise<string> {
  return withFileLock(path, () => moveAsideNow(path));
}

async function moveAsideNow(path: string): Promise<string> {
  // No colons: the name must be valid on Windows too.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = `${path}.corrupt-${stamp}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    if (await exists(candidate)) continue;
    await rename(path, candidate);
    return candidate;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
