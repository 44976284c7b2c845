// How each bench script runs around its measurements: everything it writes goes in one temporary folder,
// a watchdog ends it if it hangs, and no process it started outlives it however it ends. The exit code
// says only whether the harness worked: 0 whatever the figures, 1 when it broke, 2 when the watchdog fired.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { killAll } from './live-processes.js';

/** Runs `body` in a fresh folder, which is removed with every process still running once it ends. */
export function runBench(name: string, watchdogMs: number, body: (work: string) => Promise<void>): void {
  const watchdog = setTimeout(() => {
    console.error(`bench ${name}: watchdog fired`);
    killAll();
    process.exit(2);
  }, watchdogMs);
  // Once the bench is done, the watchdog alone must not keep the process waiting.
  watchdog.unref();
  const main = async (): Promise<void> => {
    const work = await mkdtemp(join(tmpdir(), `switchyard-bench-${name}-`));
    try {
      await body(work);
    } finally {
      killAll();
      await rm(work, { recursive: true, force: true });
    }
  };
  main().catch((err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  });
}

/** A progress line on stderr, so stdout keeps only the figures. */
export function progressOf(name: string): (msg: string) => void {
  return (msg) => console.error(`[bench ${name} ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
}
