// A real redis-server for the team tests: started by the test on a free loopback port, with no
// persistence and no configuration file, and stopped by it. Never a system service.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const REDIS_SERVER = process.env.SWITCHYARD_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT/DB` */
  url(db?: number): string;
  /** Ends the server the way a crash does (SIGKILL). Its data is gone: it keeps none. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing answers, as with a store that hangs. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function launch(port: number): Promise<ChildProcess> {
  const proc = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp', '--loglevel', 'notice'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`redis-server did not start:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let proc = await launch(port);
      const end = async (signal: NodeJS.Signals) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill(signal);
        await exited;
      };
      return {
        port,
        url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
        kill: () => end('SIGKILL'),
        async restart() {
          proc = await launch(port);
        },
        pause: () => void proc.kill('SIGSTOP'),
        resume: () => void proc.kill('SIGCONT'),
        async stop() {
          proc.kill('SIGCONT');
          await end('SIGKILL');
        },
      };
    } catch (err) {
      // Another process took the port between the probe and the start.
      lastError = err;
    }
  }
  throw lastError;
}
