// `switchyard` command line: serve, accounts, config. Every command takes --data-dir.

import { ControlError, UnreachableError, type ControlClient } from '../contract/index.js';
import { accountsCommand } from './accounts-command.js';
import { claudeCommand } from './claude-command.js';
import { configCommand } from './config-command.js';
import { ownFolderForCommand } from './folder-owner.js';
import { defaultDataDir } from '../lib/data-dir.js';
import { openFileRuntime } from './file-runtime.js';
import { googleClientFromEnv } from './google-client-env.js';
import { UsageError, type CliIo } from './io.js';
import { serveCommand } from './serve-command.js';
import { teamCommand } from './team-command.js';
import { describeWarning } from './wording.js';

const USAGE = `Usage: switchyard <command> [options]

Commands:
  serve [--port 8045] [--host 127.0.0.1] [--console-port 8046] [--quiet]
        [--redis redis://HOST:PORT/DB [--seed-from-local]]
                              run the gateway and its console (Ctrl-C stops it); with --redis it
                              shares its pool with the other gateways of that team
                              (team secret from SWITCHYARD_TEAM_SECRET)
  team status                 the gateways of the team this data folder's gateway belongs to
  accounts add --provider anthropic --base-url URL --key-env VAR --label NAME
               [--auth-scheme x-api-key|bearer] [--strip-cache-control] [--no-count-tokens]
  accounts add --provider gemini --key-env VAR --label NAME [--base-url URL] [--no-count-tokens]
  accounts add --provider antigravity --refresh-token-env VAR [--label EMAIL]
                              every add takes [--group NAME]
  accounts login --provider antigravity
                              sign in a Google account: open the printed link, or paste the code
  accounts list [--json]
  accounts test ID|LABEL      one cheap real request through the account: does its key work?
  accounts edit ID|LABEL [--label NEW] [--group NAME | --no-group] [--base-url URL]
               [--auth-scheme x-api-key|bearer] [--[no-]strip-cache-control] [--[no-]count-tokens]
  accounts remove|enable|disable ID|LABEL
  accounts group ID|LABEL NAME | --clear   (rules can name a group instead of accounts)
  accounts export FILE [--include-secrets] [--force]
  accounts import FILE
  claude connect|status|disconnect [--project DIR]
                              point Claude Code's settings at this gateway, check them, put them back
  config get [KEY]
  config set KEY VALUE        keys: port, host, api_key, auth_mode (off|strict|all-except-health), request_deadline_ms,
                              google.client_id, google.client_secret, antigravity.base_urls URL[,URL...], ...
  config get prices | config set price.MODEL INPUT,OUTPUT,CACHE_WRITE,CACHE_READ|default
                              US$ per million tokens, by upstream model

Every command takes --data-dir DIR (default: ${defaultDataDir()}).`;

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
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(USAGE);
      return command === undefined ? 1 : 0;
    }
    if (command === 'serve') return await serveCommand(args, dataDir, io);
    if (command === 'team') return await teamCommand(args, dataDir, io);
    if (command !== 'accounts' && command !== 'config' && command !== 'claude') throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    const run = (api: ControlClient) =>
      command === 'accounts' ? accountsCommand(args, api, io) : command === 'claude' ? claudeCommand(args, api, io) : configCommand(args, api, io);
    // A running server owns the folder's files: changes go through it and apply at once. Otherwise this
    // command owns them while it runs, so a serve starting meanwhile waits for it.
    const owner = await ownFolderForCommand(dataDir);
    if (owner.kind === 'server') return await run(owner.api);
    try {
      const runtime = await openFileRuntime(dataDir, { googleClient: googleClientFromEnv(io.env) });
      try {
        for (const w of await runtime.listWarnings()) io.err(describeWarning(w));
        return await run({ ...runtime, onEvent: (name, listener) => runtime.events.on(name, listener) });
      } finally {
        await runtime.close();
      }
    } finally {
      await owner.lock.release();
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ControlError || err instanceof UnreachableError) {
      io.err(`switchyard: ${err.message}`);
      return 2;
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`switchyard: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}
