// `switchyard` command line: serve, accounts, config. Every command takes --data-dir.

import { ControlError, UnreachableError, type ControlClient } from '../contract/index.js';
import { accountsCommand } from './accounts-command.js';
import { claudeCommand } from './claude-command.js';
import { configCommand } from './config-command.js';
import { ownFolderForCommand } from './folder-owner.js';
import { defaultDataDir } from '../lib/data-dir.js';
import { isLocalSettingCommand, openCommandRuntime, TeamUnavailableError } from './command-runtime.js';
import { googleClientFromEnv } from './google-client-env.js';
import { UsageError, type CliIo } from './io.js';
import { serveCommand } from './serve-command.js';
import { teamCommand } from './team-command.js';
import { describeIssues, describeWarning } from './wording.js';
import { helpFor, mainUsage } from './help.js';
import { packageVersion } from './package-version.js';

/** Pulls `--data-dir DIR` / `--data-dir=DIR` out of the arguments, wherever it is. */
function takeDataDir(args: string[], io: CliIo): { dataDir: string; rest: string[] } {
  const rest: string[] = [];
  let dataDir: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--data-dir') {
      dataDir = args[++i] ?? null;
      if (!dataDir) throw new UsageError('--data-dir needs a folder.');
    } else if (a.startsWith('--data-dir=')) {
      dataDir = a.slice('--data-dir='.length);
    } else {
      rest.push(a);
    }
  }
  return { dataDir: dataDir ?? defaultDataDir(io.env), rest };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { dataDir, rest } = takeDataDir(argv, io);
    const [command, ...args] = rest;
    if (command === '--version' || command === '-V' || command === 'version') {
      io.out(`switchyard ${packageVersion() ?? '(version unknown)'}`);
      return 0;
    }
    if (command === undefined) {
      io.out(mainUsage(io.env));
      return 1;
    }
    // Help wherever it is asked for (`accounts add --help`, `help accounts add`), before anything opens the data folder.
    if (command === 'help' || rest.includes('--help') || rest.includes('-h')) {
      const words = (command === 'help' ? args : rest).filter((a) => !a.startsWith('-'));
      const text = helpFor(words, io.env);
      if (text === null) throw new UsageError(`Unknown command "${words.join(' ')}".\n\n${mainUsage(io.env)}`);
      io.out(text);
      return 0;
    }
    if (command === 'serve') return await serveCommand(args, dataDir, io);
    if (command === 'team') return await teamCommand(args, dataDir, io);
    if (command !== 'accounts' && command !== 'config' && command !== 'claude') throw new UsageError(`Unknown command "${command}".\n\n${mainUsage(io.env)}`);
    const run = (api: ControlClient) =>
      command === 'accounts' ? accountsCommand(args, api, io) : command === 'claude' ? claudeCommand(args, api, io) : configCommand(args, api, io);
    // A running server owns the folder's files: changes go through it and apply at once. Otherwise this
    // command owns them while it runs, so a serve starting meanwhile waits for it.
    const owner = await ownFolderForCommand(dataDir);
    if (owner.kind === 'server') return await run(owner.api);
    try {
      const { runtime, team } = await openCommandRuntime(dataDir, isLocalSettingCommand(command, args), io, { googleClient: googleClientFromEnv(io.env) });
      try {
        if (team) io.err(`switchyard: no gateway runs on ${dataDir}; acting on its team at ${team}.`);
        for (const w of await runtime.listWarnings()) io.err(describeWarning(w));
        return await run({ ...runtime, onEvent: (name, listener) => runtime.events.on(name, listener) });
      } finally {
        await runtime.close();
      }
    } finally {
      await owner.lock.release();
    }
  } catch (err) {
    if (err instanceof ControlError && err.issues && err.issues.length > 0) {
      // A schema's refusal, told in the command line's words rather than the schema's.
      io.err(`switchyard: ${describeIssues(err.issues)}.`);
      return 2;
    }
    if (err instanceof ControlError && err.code === 'would_lock_out') {
      io.err(
        'switchyard: not changed: with authentication on and an empty api_key, the gateway would refuse every request. Set a key first: switchyard config set api_key "$(openssl rand -hex 24)"',
      );
      return 2;
    }
    if (err instanceof UsageError || err instanceof ControlError || err instanceof UnreachableError) {
      io.err(`switchyard: ${err.message}`);
      return 2;
    }
    if (err instanceof TeamUnavailableError) {
      io.err(`switchyard: ${err.message}`);
      return 1;
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`switchyard: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}
