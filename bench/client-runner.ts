// The bench's side of a client process (see client-ipc.ts): fork it with its job, take readings at
// its checkpoint, collect its one result. A client that fails, dies or overruns fails the bench.

import { fork } from 'node:child_process';
import type { FromClient, ToClient } from './client-ipc.js';
import { track } from './live-processes.js';

export interface ClientOptions {
  /** Past this the client is killed and the bench fails; its own loops stop well before. */
  timeoutMs: number;
  /** Called when the client has warmed up, just before its measured work starts. */
  atCheckpoint?(): void;
}

export function runClientProcess<Result>(name: string, file: string, job: unknown, opts: ClientOptions): Promise<Result> {
  // execArgv is explicit: by default fork() passes on the bench's own `--import tsx`.
  const proc = fork(file, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  track(proc);
  proc.send({ type: 'job', job } satisfies ToClient);
  return new Promise<Result>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      settle(() => reject(new Error(`${name} did not finish within ${opts.timeoutMs} ms`)));
    }, opts.timeoutMs);
    proc.on('message', (msg: FromClient) => {
      if (msg.type === 'checkpoint') {
        try {
          opts.atCheckpoint?.();
        } catch (err) {
          proc.kill('SIGKILL');
          settle(() => reject(err instanceof Error ? err : new Error(String(err))));
          return;
        }
        proc.send({ type: 'continue' } satisfies ToClient);
      } else if (msg.type === 'result') {
        settle(() => resolve(msg.result as Result));
      } else {
        settle(() => reject(new Error(msg.error)));
      }
    });
    proc.on('error', (err) => settle(() => reject(err)));
    // 'close' rather than 'exit': it comes after the IPC channel is drained, so after the last message.
    proc.once('close', (code) => settle(() => reject(new Error(`${name} exited (code ${code}) without a result`))));
  });
}
