// The parent side of the child servers: bundling them, forking them, talking to them, and making sure
// none outlives the bench, whatever way it ends.

import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FromChild, ToChild } from './ipc.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = resolve(BENCH_DIR, '..');

const READY_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 6_000;

export const CHILD_ENTRIES = { fake: 'fake-child', passthrough: 'passthrough-child', gateway: 'gateway-child' } as const;
export type ChildKind = keyof typeof CHILD_ENTRIES;

/**
 * Bundles the three child entry points with esbuild, the way `npm run build` bundles the CLI
 * (ESM, node20, dependencies left external). The children then run on plain `node`: running them
 * under tsx would add its loader thread to every process and inflate the gateway's RSS with memory
 * users never pay. A node_modules link next to the output lets the external imports resolve.
 */
export async function buildChildren(outRoot: string): Promise<Record<ChildKind, string>> {
  const outdir = join(outRoot, 'children');
  await mkdir(outdir, { recursive: true });
  await symlink(join(REPO_DIR, 'node_modules'), join(outRoot, 'node_modules'), 'dir');
  await build({
    entryPoints: Object.values(CHILD_ENTRIES).map((name) => join(BENCH_DIR, `${name}.ts`)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const files = {} as Record<ChildKind, string>;
  for (const [kind, name] of Object.entries(CHILD_ENTRIES)) files[kind as ChildKind] = join(outdir, `${name}.mjs`);
  return files;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  call<T>(op: string, arg?: unknown): Promise<T>;
  /** Asks the child to close and exit; kills it if it does not in time. */
  stop(): Promise<void>;
}

/** Every child still alive, so that any exit path can kill them. */
const live = new Set<ChildProcess>();

/** Synchronous, for `process.on('exit')`: SIGKILL every child still running. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** Forks a child server and resolves once it reports its port. */
export async function spawnChild(name: string, file: string, args: string[], execArgv: string[] = []): Promise<Child> {
  // execArgv is explicit: by default fork() passes on the parent's `--import tsx`.
  const proc = fork(file, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(proc);
  // A send on a channel that just closed is reported here rather than thrown; the exit handling covers it.
  proc.on('error', (err) => console.error(`${name}: ${err.message}`));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  void exited.then(() => live.delete(proc));

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
