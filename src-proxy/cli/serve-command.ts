// `switchyard serve`: the gateway without a desktop shell, for servers, containers and CI.

import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { ControlError } from '../contract/index.js';
import { startControlServer } from '../control-api/http-control-server.js';
import { CONTROL_FILE, connectToRunningServer, newControlToken, removeControlFile, writeControlFile } from './control-file.js';
import { openFileRuntime } from './file-runtime.js';
import { UsageError, type CliIo } from './io.js';
import { CLI_ACCOUNT_KINDS } from './account-kinds.js';
import { LineBatcher } from './line-batcher.js';
import { describeListening, describeRequest, describeWarning, remoteBaseUrls } from './wording.js';

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

  const other = await connectToRunningServer(dataDir);
  if (other) {
    io.err(`switchyard: another switchyard serve (pid ${other.file.pid}) is using ${dataDir}; stop it first or use another --data-dir.`);
    return 1;
  }
  // Listen for the stop signal before anything starts, so an early Ctrl-C still shuts down cleanly.
  const stopped = io.stopSignal();
  const reportBug = (err: unknown) => io.err(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const runtime = await openFileRuntime(dataDir, { listenOverride, onInternalError: reportBug });
  for (const w of await runtime.listWarnings()) io.err(describeWarning(w));
  const requestLines = new LineBatcher((text) => io.out(text));
  if (!values.quiet) runtime.events.on('request', (e) => requestLines.push(describeRequest(e)));

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
  const token = newControlToken();
  const control = await startControlServer({ api: runtime, events: runtime.events, token, onInternalError: reportBug });
  await writeControlFile(dataDir, { pid: process.pid, url: control.url, token });
  const settings = await runtime.getSettings();
  const accounts = await runtime.listAccounts();
  // The address really bound (status.url names a loopback address even when bound to 0.0.0.0).
  io.out(`Switchyard gateway listening on ${describeListening(status.host, status.port, settings.auth_mode)}`);
  io.out(`  data: ${dataDir}`);
  io.out(`  control: ${control.url} (token in ${CONTROL_FILE}; \`switchyard accounts|config\` use it)`);
  io.out(`  accounts: ${accounts.filter((a) => a.enabled).length} enabled of ${accounts.length}`);
  const key = settings.auth_mode === 'off' ? '' : ' ANTHROPIC_API_KEY=<api_key>';
  io.out(`  point Claude Code at it: ANTHROPIC_BASE_URL=${status.url}${key} claude`);
  const remote = remoteBaseUrls(status.host, status.port, externalAddresses(status.host));
  if (remote.length > 0) io.out(`  from other machines: ${remote.join(', ')}`);
  if (accounts.length === 0) {
    io.out(`  no accounts yet: add one with \`switchyard accounts add ${CLI_ACCOUNT_KINDS.anthropic.example}\``);
    io.out(`    or \`switchyard accounts add ${CLI_ACCOUNT_KINDS.gemini.example}\``);
  }

  const signal = await stopped;
  requestLines.flush();
  io.out(`${signal}: stopping`);
  await removeControlFile(dataDir);
  await control.close();
  await runtime.close();
  // Requests that finished while stopping are printed too.
  requestLines.flush();
  return 0;
}

/** This machine's non-loopback addresses a listener on `host` answers on, IPv4 first. */
function externalAddresses(host: string): string[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  // 0.0.0.0 is IPv4 only; link-local IPv6 addresses need a zone and are no use in a URL.
  const external = all.filter((a) => !a.internal && !a.address.startsWith('fe80:') && (host !== '0.0.0.0' || a.family === 'IPv4'));
  return [...external.filter((a) => a.family === 'IPv4'), ...external.filter((a) => a.family !== 'IPv4')].map((a) => a.address);
}
