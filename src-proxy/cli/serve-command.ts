// `switchyard serve`: the gateway without a desktop shell, for servers, containers and CI.

import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ControlError, type Warning } from '../contract/index.js';
import { startConsoleServer, type ConsoleServer } from '../control-api/console-server.js';
import { UI_PREFIX } from '../control-api/ui-files.js';
import { removeControlFile, writeControlFile } from './control-file.js';
import { describeHolder, ownFolderForServe } from './folder-owner.js';
import { loadOrCreateConsoleToken } from './console-token.js';
import { DATA_FILES, openFileRuntime } from './file-runtime.js';
import { openTeamRuntime, teamChoice } from './team-runtime.js';
import { join } from 'node:path';
import type { Runtime } from '../runtime/create-runtime.js';
import { FileSettingsStore } from '../settings/file-settings-store.js';
import { TeamJoinError, type Team } from '../team/join-team.js';
import { keepHeapNearLiveSize } from '../runtime/heap-policy.js';
import { googleClientFromEnv } from './google-client-env.js';
import { UsageError, type CliIo } from './io.js';
import { kindExample } from './account-kinds.js';
import { packageVersion } from './package-version.js';
import { LineBatcher } from './line-batcher.js';
import { describeBug, describeJoin, describeListening, describeRequest, describeWarning, remoteBaseUrls } from './wording.js';

export async function serveCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'console-port': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      redis: { type: 'string' },
      'seed-from-local': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const listenOverride: { port?: number; host?: string } = {};
  if (values.port !== undefined) listenOverride.port = portNumber('--port', values.port);
  if (values.host !== undefined) listenOverride.host = values.host;
  const consolePortOverride = values['console-port'] === undefined ? undefined : portNumber('--console-port', values['console-port']);

  keepHeapNearLiveSize();
  // Listen for the stop signal before anything starts, so an early Ctrl-C still shuts down cleanly.
  const stopped = io.stopSignal();
  // The folder's lock, taken at once: two servers started at the same moment cannot both have it.
  const owned = await ownFolderForServe(dataDir);
  if (!owned.ok) {
    io.err(`switchyard: ${describeHolder(owned.holder)} is using ${dataDir}; stop it first or use another --data-dir.`);
    return 1;
  }
  try {
    const team = { redis: values.redis, seedFromLocal: values['seed-from-local'] };
    return await serveFolder(dataDir, { listenOverride, consolePortOverride, quiet: values.quiet, team }, stopped, io);
  } finally {
    await owned.lock.release();
  }
}

interface ServeOptions {
  listenOverride: { port?: number; host?: string };
  consolePortOverride: number | undefined;
  quiet: boolean;
  /** `--redis URL` and `--seed-from-local`. */
  team: { redis: string | undefined; seedFromLocal: boolean };
}

/** Runs the gateway and its console on a folder this process owns, until the stop signal. */
async function serveFolder(
  dataDir: string,
  { listenOverride, consolePortOverride, quiet, team: teamArgs }: ServeOptions,
  stopped: Promise<string>,
  io: CliIo,
): Promise<number> {
  const reportBug = (err: unknown) => io.err(describeBug(err, io.env));
  // The folder's settings say whether it joins a team; a damaged file is moved aside here, and said so.
  const found: Warning[] = [];
  const local = await FileSettingsStore.open(join(dataDir, DATA_FILES.settings), (w) => found.push(w));
  const extra = { listenOverride, onInternalError: reportBug, googleClient: googleClientFromEnv(io.env), version: packageVersion(), warnings: found };
  const choice = await teamChoice(teamArgs.redis, io.env, local.get());
  if (teamArgs.seedFromLocal && !choice) throw new UsageError('--seed-from-local is for joining a team: give --redis URL too.');
  let runtime: Runtime;
  let team: Team | null = null;
  if (choice) {
    try {
      ({ runtime, team } = await openTeamRuntime(dataDir, choice, { seedFromLocal: teamArgs.seedFromLocal }, extra));
    } catch (err) {
      if (err instanceof TeamJoinError) {
        io.err(`switchyard: ${err.message}`);
        return 1;
      }
      throw err;
    }
  } else {
    runtime = await openFileRuntime(dataDir, extra);
  }
  for (const w of await runtime.listWarnings()) io.err(describeWarning(w));
  const requestLines = new LineBatcher((text) => io.out(text));
  if (!quiet) runtime.events.on('request', (e) => requestLines.push(describeRequest(e)));

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
  const token = await loadOrCreateConsoleToken(dataDir);
  const consolePort = consolePortOverride ?? settings.console_port;
  let consoleServer: ConsoleServer;
  try {
    consoleServer = await startConsoleServer(
      { api: runtime, events: runtime.events, token, uiDir: consoleUiDir(io.env), onInternalError: reportBug },
      consolePort,
    );
  } catch (err) {
    await runtime.close();
    if (err instanceof ControlError) {
      io.err(
        `switchyard: the console cannot listen on 127.0.0.1:${consolePort} (${err.code === 'port_in_use' ? 'in use' : err.message}); use --console-port PORT, or 0 for a free one.`,
      );
      return 1;
    }
    throw err;
  }
  await writeControlFile(dataDir, { pid: process.pid, url: consoleServer.url, token });
  const accounts = await runtime.listAccounts();
  // The address really bound (status.url names a loopback address even when bound to 0.0.0.0).
  io.out(`Switchyard gateway listening on ${describeListening(status.host, status.port, settings.auth_mode)}`);
  io.out(`  data: ${dataDir}`);
  if (team) for (const line of describeJoin(team, teamArgs.seedFromLocal)) io.out(`  ${line}`);
  io.out(`  console: ${consoleServer.url}${UI_PREFIX}#token=${token}`);
  io.out(`  accounts: ${accounts.filter((a) => a.enabled).length} enabled of ${accounts.length}`);
  const key = settings.auth_mode === 'off' ? '' : ' ANTHROPIC_API_KEY=<api_key>';
  io.out(`  point Claude Code at it: ANTHROPIC_BASE_URL=${status.url}${key} claude`);
  io.out('    or once for all: switchyard claude connect');
  const remote = remoteBaseUrls(status.host, status.port, externalAddresses(status.host));
  if (remote.length > 0) io.out(`  from other machines: ${remote.join(', ')}`);
  if (accounts.length === 0) {
    io.out(`  no accounts yet: add one with \`switchyard accounts add ${kindExample('anthropic')}\``);
    io.out(`    or \`switchyard accounts add ${kindExample('gemini')}\``);
    io.out('    or in the console above');
  }

  const signal = await stopped;
  requestLines.flush();
  io.out(`${signal}: stopping`);
  await removeControlFile(dataDir);
  await consoleServer.close();
  await runtime.close();
  // Requests that finished while stopping are printed too.
  requestLines.flush();
  return 0;
}

function portNumber(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} must be a port number (0-65535), got "${text}".`);
  return port;
}

/**
 * The built console: dist/renderer beside dist/cli, found the same way from the bundle and from the
 * sources (both sit two folders below the package root). SWITCHYARD_UI_DIR points elsewhere.
 */
function consoleUiDir(env: CliIo['env']): string | null {
  const dir = env.SWITCHYARD_UI_DIR ?? fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
  return existsSync(dir) ? dir : null;
}

/** This machine's non-loopback addresses a listener on `host` answers on, IPv4 first. */
function externalAddresses(host: string): string[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  // 0.0.0.0 is IPv4 only; link-local IPv6 addresses need a zone and are no use in a URL.
  const external = all.filter((a) => !a.internal && !a.address.startsWith('fe80:') && (host !== '0.0.0.0' || a.family === 'IPv4'));
  return [...external.filter((a) => a.family === 'IPv4'), ...external.filter((a) => a.family !== 'IPv4')].map((a) => a.address);
}
