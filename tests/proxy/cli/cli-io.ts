import type { CliIo } from '../../../src-proxy/cli/io.js';

/** A CliIo that records output, for in-process command tests. */
export function recordingIo(env: NodeJS.ProcessEnv = {}, stdin = ''): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    env,
    readStdin: async () => stdin,
    stopSignal: () => new Promise(() => {}),
  };
}
