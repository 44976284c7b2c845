import { createInterface } from 'node:readline';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  /** Standard input line by line, as typed or pasted; ends at end of input. */
  readLines(): AsyncIterable<string>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal(): Promise<string>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  readLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false }),
  stopSignal: () =>
    new Promise((resolve) => {
      const stop = (signal: string) => {
        // A second signal while shutting down means "now".
        process.once(signal, () => process.exit(130));
        resolve(signal);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    }),
};
