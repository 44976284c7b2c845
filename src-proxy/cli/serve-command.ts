// `switchyard serve`: the gateway without a desktop shell, for servers, containers and CI.

import { parseArgs } from 'node:util';
import { ControlError } from '../contract/index.js';
import { openFileRuntime } from './file-runtime.js';
import { UsageError, type CliIo } from './io.js';
import { describeRequest, describeWarning } from './wording.js';

export async function serveCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean', default: false } },
    strict: true,
  });
  const listenOverride: { port?: number; host?: string } = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), got "${values.port}".`);
    listenOverride.port = port;
  }
  if (values.host !== undefined) listenOverride.host = values.host;

  // Listen for the stop signal before anything starts, so an early Ctrl-C still shuts down cleanly.
  const stopped = io.stopSignal();
  const runtime = await openFileRuntime(dataDir, {
    listenOverride,
    onInternalError: (err) => io.err(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
  for (const w of await runtime.listWarnings()) io.err(describeWarning(w));
  if (!values.quiet) runtime.events.on('request', (e) => io.out(describeRequest(e)));

  let status;
  try {
    status = await runtime.startGateway();
  } catch (err) {
    await runtime.close();
    if (err instanceof ControlError) {
      io.err(`switchyard: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const settings = await runtime.getSettings();
  const accounts = await runtime.listAccounts();
  io.out(`Switchyard gateway listening on ${status.url}`);
  io.out(`  data: ${dataDir}`);
  io.out(`  accounts: ${accounts.filter((a) => a.enabled).length} enabled of ${accounts.length}; auth: ${settings.auth_mode}`);
  io.out(`  point Claude Code at it: ANTHROPIC_BASE_URL=${status.url} claude`);
  if (accounts.length === 0) io.out('  no accounts yet: add one with `switchyard accounts add --provider anthropic ...`');

  const signal = await stopped;
  io.out(`${signal}: stopping`);
  await runtime.close();
  return 0;
}
