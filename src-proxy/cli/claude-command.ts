// `switchyard claude connect|status|disconnect`: Claude Code's settings file pointed at the gateway, and
// put back. The file is the one of the shell the command runs in ($CLAUDE_CONFIG_DIR, else ~/.claude),
// or a project's own with --project.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClaudeCodeConnect, ClaudeCodeDrift, ClaudeCodeStatus, ClaudeCodeTarget, ControlApi } from '../contract/index.js';
import { UsageError, type CliIo } from './io.js';

export const CLAUDE_USAGE = `Usage: switchyard claude <connect|status|disconnect> [options]

  connect      point Claude Code at this gateway: its settings file gets ANTHROPIC_BASE_URL, the
               gateway key and CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY; everything else in the file
               stays, an apiKeyHelper is set aside, and what the file held before is kept
  status       whether Claude Code points at this gateway (exit 0) or not (exit 1), and what differs
  disconnect   put the file back as it was (byte for byte when nothing else changed it)

Options:
  --project DIR          a project's .claude/settings.local.json instead of your user settings
  --opus-model MODEL     connect: also set ANTHROPIC_DEFAULT_OPUS_MODEL (likewise --sonnet-model, --haiku-model)
  --json                 status: print the status as JSON
  --data-dir DIR         the Switchyard data folder`;

/** The Claude Code settings this shell's `claude` reads. */
function targetOf(project: string | undefined, env: NodeJS.ProcessEnv): ClaudeCodeTarget {
  if (project !== undefined) return { project_dir: resolve(project) };
  return { config_dir: resolve(env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), '.claude')) };
}

const DRIFT_TEXT: Readonly<Record<ClaudeCodeDrift, (s: ClaudeCodeStatus) => string>> = {
  port: (s) => `it points at ${s.base_url}, but the gateway listens at ${s.gateway_url}: the port changed. Run switchyard claude connect again.`,
  key: () => 'it does not hold the gateway key: the key changed, or authentication was turned on. Run switchyard claude connect again.',
  base_url: (s) => (s.base_url === null ? 'ANTHROPIC_BASE_URL is not set in it.' : `it points at ${s.base_url}, not at this gateway (${s.gateway_url}).`),
  api_key_helper: () => "an apiKeyHelper is set in it: Claude Code uses that helper's key instead of the gateway key.",
};

/** Variables of this shell that Claude Code reads before its settings file. */
const SHELL_OVERRIDES = ['ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as const;

export async function claudeCommand(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(CLAUDE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      project: { type: 'string' },
      'opus-model': { type: 'string' },
      'sonnet-model': { type: 'string' },
      'haiku-model': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(CLAUDE_USAGE);
    return 0;
  }
  const target = targetOf(values.project, io.env);
  switch (sub) {
    case 'connect':
      return connect({ ...target, ...modelsOf(values) }, api, io);
    case 'status':
      return status(target, values.json, api, io);
    case 'disconnect':
      return disconnect(target, api, io);
    default:
      throw new UsageError(`Unknown claude command "${sub}". Use connect, status or disconnect.`);
  }
}

function modelsOf(values: Record<string, unknown>): Pick<ClaudeCodeConnect, 'models'> {
  const models: NonNullable<ClaudeCodeConnect['models']> = {};
  for (const slot of ['opus', 'sonnet', 'haiku'] as const) {
    const v = values[`${slot}-model`];
    if (typeof v === 'string') models[slot] = v;
  }
  return Object.keys(models).length > 0 ? { models } : {};
}

async function connect(req: ClaudeCodeConnect, api: ControlApi, io: CliIo): Promise<number> {
  const result = await api.connectClaudeCode(req);
  const s = result.status;
  const withKey = (await api.getSettings()).auth_mode === 'off' ? '' : ' with the gateway key';
  io.out(`Claude Code now uses Switchyard: ${s.settings_file} points at ${s.gateway_url}${withKey}.`);
  if (result.created) io.out('The file did not exist; disconnect removes it again.');
  else if (result.already_linked) io.out('It was connected already; the values it held before the first connect are still kept.');
  else io.out("What it held before is kept; 'switchyard claude disconnect' puts it back.");
  warnShell(io);
  return 0;
}

async function status(target: ClaudeCodeTarget, json: boolean, api: ControlApi, io: CliIo): Promise<number> {
  const s = await api.getClaudeCodeStatus(target);
  if (json) {
    io.out(JSON.stringify(s, null, 2));
    return s.connected ? 0 : 1;
  }
  if (!s.exists) io.out(`${s.settings_file} does not exist: Claude Code does not use Switchyard.`);
  else if (s.connected) io.out(`Claude Code uses Switchyard: ${s.settings_file} points at ${s.gateway_url}.`);
  else io.out(`Claude Code does not use Switchyard as ${s.settings_file} stands:`);
  if (s.exists) for (const d of s.drift) io.err(`${s.linked && d !== 'base_url' ? 'warning: ' : ''}${DRIFT_TEXT[d](s)}`);
  if (!s.connected && !s.linked) io.out('Run switchyard claude connect to point it at this gateway.');
  warnShell(io);
  return s.connected ? 0 : 1;
}

async function disconnect(target: ClaudeCodeTarget, api: ControlApi, io: CliIo): Promise<number> {
  const result = await api.disconnectClaudeCode(target);
  const file = result.status.settings_file;
  switch (result.restored) {
    case 'file':
      io.out(result.status.exists ? `${file} is back as it was before connect.` : `${file} is removed again: connect had created it.`);
      break;
    case 'keys':
      io.out(`${file} was changed by something else since connect, so only Switchyard's keys were put back; the rest stays as it is now.`);
      if (result.kept.length > 0) io.out(`Left as they are (changed since connect): ${result.kept.join(', ')}.`);
      break;
    case 'file_gone':
      io.out(`${file} was removed since connect; nothing to put back.`);
      break;
    case 'not_linked':
      io.out(`Switchyard had not connected ${file}; nothing was changed.`);
      break;
  }
  return 0;
}

/** Claude Code reads its settings' env block over this shell's variables, but a reader may not know that. */
function warnShell(io: CliIo): void {
  const set = SHELL_OVERRIDES.filter((name) => io.env[name]);
  if (set.length > 0) {
    io.err(`note: this shell also sets ${set.join(', ')}; Claude Code's settings file takes precedence over them.`);
  }
}
