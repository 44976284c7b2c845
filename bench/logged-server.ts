// A measured server (the pipe, the gateway) started as a user starts it: `node <script> ...` spawned
// directly, so its pid is the server's own, with stdout and stderr going to files as they would to a
// terminal or a log file. Reading a pipe would make the bench part of the server's output path.

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { exitOf, track } from './live-processes.js';

const READY_TIMEOUT_MS = 20_000;
/** Long enough for a gateway run with --cpu-prof to close and write its profile. */
const STOP_TIMEOUT_MS = 15_000;
/**
 * Where the server says it listens ("listening on [http://]127.0.0.1:PORT"); failing that wording, the
 * first loopback URL it prints. The port must be followed by whitespace, so a line read half-written
 * cannot yield a truncated port. A wrong guess fails loudly: the first answers are checked.
 */
const LISTENING_ON = /listening on (?:http:\/\/)?127\.0\.0\.1:(\d+)\s/;
const ANY_URL = /http:\/\/127\.0\.0\.1:(\d+)\s/;

export interface LoggedServer {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly outFile: string;
  readonly errFile: string;
  /** Throws, with the end of the server's stderr, if the process has exited. */
  assertAlive(): Promise<void>;
  /** Whether it still runs, and the last lines it printed: what to show when the bench fails. */
  postMortem(): Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with the exit code (null: killed). */
  stop(): Promise<number | null>;
}

async function tail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

export async function startLoggedServer(name: string, nodeArgs: string[], logDir: string, cwd: string): Promise<LoggedServer> {
  const fileName = name.replace(/\W+/g, '-');
  const outFile = join(logDir, `${fileName}.stdout.log`);
  const errFile = join(logDir, `${fileName}.stderr.log`);
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const proc = spawn(process.execPath, nodeArgs, { cwd, stdio: ['ignore', out, err] });
  track(proc);
  closeSync(out);
  closeSync(err);
  const exited = exitOf(proc);
  let gone = false;
  void exited.then(() => (gone = true));

  const died = async (what: string) => new Error(`${name} ${what}; its stderr ends with:\n${await tail(errFile)}`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let port: string | undefined;
  while (port === undefined) {
    if (gone) throw await died(`exited (code ${proc.exitCode}) before it listened`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw await died(`printed no listening URL within ${READY_TIMEOUT_MS} ms`);
    }
    const printed = await readFile(outFile, 'utf8');
    port = (LISTENING_ON.exec(printed) ?? ANY_URL.exec(printed))?.[1];
    if (port === undefined) await delay(25);
  }

  return {
    name,
    pid: proc.pid!,
    url: `http://127.0.0.1:${port}`,
    outFile,
    errFile,
    async assertAlive() {
      if (gone) throw await died(`exited during the run (code ${proc.exitCode}, signal ${proc.signalCode})`);
    },
    async postMortem() {
      const state = gone ? `exited (code ${proc.exitCode}, signal ${proc.signalCode})` : 'still running';
      return `${name} (pid ${proc.pid}) ${state}; its stdout ends with:\n${await tail(outFile, 5)}\nits stderr ends with:\n${await tail(errFile)}`;
    },
    async stop() {
      if (!gone) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
