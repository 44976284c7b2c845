// `switchyard serve` from source as a child process, the way a user runs it: resolves once it prints the
// gateway's address, stops with SIGTERM as Ctrl-C would.

import { spawn } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface ServeProcess {
  /** The gateway's address from the banner. */
  url: string;
  output(): string;
  pid: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL, as a crash or `kill -9` ends it, and resolves once it is gone. */
  kill(): Promise<void>;
}

export function startServe(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 20_000): Promise<ServeProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src-proxy/cli/index.ts', 'serve', ...args], { cwd: ROOT, env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    return exited;
  };
  const kill = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve did not start:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /ANTHROPIC_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, output: () => output, pid: proc.pid!, stop, kill });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}
