// The bench's side of a server it forks with an IPC channel (the fake upstream, see ipc.ts): fork it,
// wait for its port, make named calls to it, stop it.

import { fork } from 'node:child_process';
import type { FromChild, ToChild } from './ipc.js';
import { exitOf, track } from './live-processes.js';

const READY_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 6_000;

export interface ForkedServer {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** False once the process has exited. */
  alive(): boolean;
  call<T>(op: string, arg?: unknown): Promise<T>;
  /** Asks the child to close and exit; kills it if it does not in time. */
  stop(): Promise<void>;
}

/** Forks a server and resolves once it reports its port. */
export async function forkServer(name: string, file: string, args: string[], execArgv: string[] = []): Promise<ForkedServer> {
  // execArgv is explicit: by default fork() passes on the parent's `--import tsx`.
  const proc = fork(file, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  track(proc);
  // A send on a channel that just closed is reported here rather than thrown; the exit handling covers it.
  proc.on('error', (err) => console.error(`${name}: ${err.message}`));
  const exited = exitOf(proc);

  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let gone: Error | null = null;
  void exited.then((code) => {
    gone = new Error(`${name} exited (code ${code})`);
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
  });

  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${name} did not report a port within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    proc.on('message', (msg: FromChild) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        res(msg.port);
      } else if (msg.type === 'reply') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.value);
        else p?.reject(new Error(`${name}: ${msg.error}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`${name} exited (code ${code}) before it was ready`));
    });
  }).catch((err: unknown) => {
    proc.kill('SIGKILL');
    throw err;
  });

  const send = (msg: ToChild): void => {
    if (gone) throw gone;
    proc.send(msg);
  };

  return {
    name,
    pid: proc.pid!,
    url: `http://127.0.0.1:${port}`,
    alive: () => gone === null,
    call<T>(op: string, arg?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((res, rej) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          rej(new Error(`${name}: call ${op} got no answer within ${CALL_TIMEOUT_MS} ms`));
        }, CALL_TIMEOUT_MS);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            res(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            rej(e);
          },
        });
        send({ type: 'call', id, op, arg });
      });
    },
    async stop(): Promise<void> {
      if (gone) return;
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      try {
        send({ type: 'stop' });
      } catch {
        proc.kill('SIGKILL');
      }
      await exited;
      clearTimeout(timer);
    },
  };
}
