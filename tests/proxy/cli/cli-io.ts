import type { CliIo } from '../../../src-proxy/cli/io.js';

/** A CliIo that records output, for in-process command tests. */
export function recordingIo(
  env: NodeJS.ProcessEnv = {},
  stdin = '',
  stdinLines: AsyncIterable<string> = linesOf(stdin),
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    env,
    readStdin: async () => stdin,
    readLines: () => stdinLines,
    stopSignal: () => new Promise(() => {}),
  };
}

async function* linesOf(text: string): AsyncIterable<string> {
  for (const line of text.split('\n')) if (line !== '') yield line;
}

/** Standard input a test types into while a command runs: lines pushed later, then the end of input. */
export class TypedInput implements AsyncIterable<string> {
  private readonly lines: string[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  type(line: string): void {
    this.lines.push(line);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        yield line;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
