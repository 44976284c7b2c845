// Every process the bench starts is registered here, so that any way out of the bench (normal end,
// a thrown error, Ctrl-C, the watchdog) can kill whatever is still running: no orphans.

import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

export function track(proc: ChildProcess): void {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
}

/** Synchronous, for `process.on('exit')`: SIGKILL every process still running. */
export function killAll(): void {
  for (const proc of live) proc.kill('SIGKILL');
  live.clear();
}

/** Resolves with the exit code (null when killed by a signal), at once if the process already ended. */
export function exitOf(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}
