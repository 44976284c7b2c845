// One owner at a time for a data folder: a `switchyard serve`, or a command that changes the files while
// no server runs. The lock is a file that appears whole or not at all: its content is written under a
// temporary name and hard-linked into place, and link() fails when the name exists, so two processes
// starting at the same instant cannot both take it (as a check followed by a write would let them).
//
// A process killed with -9 leaves its lock behind. A lock whose holder is gone is taken over, but only
// under a second, short-lived guard (a directory, created atomically), and only after reading the lock
// again under that guard: two processes that found the same stale lock cannot remove each other's new one.

import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'owner.lock';
/** A takeover guard older than this was left by a process that died while taking over. */
const GUARD_STALE_MS = 10_000;
const RETRY_MS = 20;
const MAX_TRIES = 500;

export type LockRole = 'serve' | 'command';

export interface LockHolder {
  pid: number;
  role: LockRole;
  /** Epoch ms when the holder took the lock. */
  started_at: number;
  /** Tells this holder's lock from any other, a later one of the same pid included. */
  nonce: string;
}

export type LockResult = { ok: true; lock: FolderLock } | { ok: false; holder: LockHolder };

export interface FolderLock {
  readonly holder: LockHolder;
  /** Removes the lock if it is still this one's. */
  release(): Promise<void>;
}

export interface LockOptions {
  role: LockRole;
  /** Whether the holder of a lock found in place still holds it. Default: its process is alive. */
  holds?(holder: LockHolder): Promise<boolean>;
  /** This process's id (tests stand in for several processes). */
  pid?: number;
  now?(): number;
}

/** Takes the folder's lock, or names the live holder that has it. Creates the folder (0700) if needed. */
export async function lockFolder(dir: string, opts: LockOptions): Promise<LockResult> {
  const path = join(dir, LOCK_FILE);
  const pid = opts.pid ?? process.pid;
  const holds = opts.holds ?? ((h: LockHolder) => Promise.resolve(processAlive(h.pid)));
  const me: LockHolder = { pid, role: opts.role, started_at: (opts.now ?? Date.now)(), nonce: randomBytes(9).toString('base64url') };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${LOCK_FILE}.${pid}.${me.nonce}.tmp`);
  await writeWhole(temp, `${JSON.stringify(me)}\n`);
  try {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      try {
        await link(temp, path);
        return { ok: true, lock: lockOf(path, me) };
      } catch (err) {
        if (code(err) !== 'EEXIST') throw err;
      }
      const found = await readHolder(path);
      if (found === 'missing') continue;
      // A lock naming this very process is one it left in an earlier life (a container restarts with the same pid).
      if (found !== 'unreadable' && found.pid !== pid && (await holds(found))) return { ok: false, holder: found };
      await removeStale(path, found);
    }
    throw new Error(`could not take ${path}: it kept changing hands`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Who holds the folder's lock now, as its file says (whether that process still runs is not checked). */
export async function readLockHolder(dir: string): Promise<LockHolder | null> {
  const found = await readHolder(join(dir, LOCK_FILE)).catch(() => 'missing' as const);
  return found === 'missing' || found === 'unreadable' ? null : found;
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return code(err) === 'EPERM';
  }
}

function lockOf(path: string, me: LockHolder): FolderLock {
  return {
    holder: me,
    async release() {
      const found = await readHolder(path).catch(() => 'missing' as const);
      if (found !== 'missing' && found !== 'unreadable' && found.nonce === me.nonce) await unlink(path).catch(() => undefined);
    },
  };
}

/** Removes the lock `seen` was read from, if it is still that one, under the takeover guard. */
async function removeStale(path: string, seen: LockHolder | 'unreadable'): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (err) {
    if (code(err) !== 'EEXIST') throw err;
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > GUARD_STALE_MS) await rmdir(guard).catch(() => undefined);
    else await sleep(RETRY_MS);
    return;
  }
  try {
    const now = await readHolder(path);
    const same = now === 'unreadable' || seen === 'unreadable' ? now === seen : now !== 'missing' && now.nonce === seen.nonce;
    if (same) await unlink(path).catch(() => undefined);
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (code(err) === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.started_at === 'number' && typeof v.nonce === 'string' && (v.role === 'serve' || v.role === 'command')) {
      return { pid: v.pid, role: v.role, started_at: v.started_at, nonce: v.nonce };
    }
  } catch {
    // Told apart below.
  }
  return 'unreadable';
}

async function writeWhole(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function code(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
