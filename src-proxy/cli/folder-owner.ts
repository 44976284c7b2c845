// Who changes a data folder's files, as the command line sees it: a running `switchyard serve` (commands
// then go through it), or, while none runs, the command itself. Either holds the folder's lock, so a
// serve never starts beside another serve, nor beside a command writing the same files. A serve waits
// for a command to finish; a command waits for a serve that is still starting to answer.

import { ControlError, type ControlClient } from '../contract/index.js';
import { lockFolder, processAlive, type FolderLock, type LockHolder } from '../lib/folder-lock.js';
import { connectToRunningServer } from './control-file.js';

/** How long a serve or a command waits for the folder before giving up. */
const WAIT_MS = 15_000;
const POLL_MS = 100;
/**
 * A serve that took the lock this long ago and answers nobody at the address it wrote is not the serve
 * that took it: its process id now belongs to another program (after a restart of the machine or the
 * container).
 */
const STARTUP_MS = 30_000;

export type CommandOwner = { kind: 'server'; api: ControlClient } | { kind: 'self'; lock: FolderLock };

/** For a command: the running server to go through, or the folder's lock to change the files itself. */
export async function ownFolderForCommand(dataDir: string, waitMs = WAIT_MS): Promise<CommandOwner> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const running = await connectToRunningServer(dataDir);
    if (running) return { kind: 'server', api: running.api };
    const taken = await lockFolder(dataDir, { role: 'command', holds: (h) => stillHolds(dataDir, h) });
    if (taken.ok) return { kind: 'self', lock: taken.lock };
    if (Date.now() >= deadline) throw new ControlError('internal', `${describeHolder(taken.holder)} is using ${dataDir}; try again when it is done.`);
    await sleep(POLL_MS);
  }
}

/** For serve: the folder's lock, once no command holds it; the holder when another serve has it. */
export async function ownFolderForServe(dataDir: string, waitMs = WAIT_MS): Promise<{ ok: true; lock: FolderLock } | { ok: false; holder: LockHolder }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const taken = await lockFolder(dataDir, { role: 'serve', holds: (h) => stillHolds(dataDir, h) });
    if (taken.ok || taken.holder.role === 'serve' || Date.now() >= deadline) return taken;
    await sleep(POLL_MS);
  }
}

export function describeHolder(holder: LockHolder): string {
  return holder.role === 'serve' ? `another switchyard serve (pid ${holder.pid})` : `another switchyard command (pid ${holder.pid})`;
}

/** Whether the holder of a lock found in place still holds it. */
async function stillHolds(dataDir: string, holder: LockHolder): Promise<boolean> {
  if (!processAlive(holder.pid)) return false;
  if (holder.role === 'command' || Date.now() - holder.started_at < STARTUP_MS) return true;
  const running = await connectToRunningServer(dataDir);
  return running !== null && running.file.pid === holder.pid;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
