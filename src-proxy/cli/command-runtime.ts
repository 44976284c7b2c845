// What `accounts`, `config` and `claude` act on when no gateway runs on the data folder: its files, or,
// when the folder belongs to a team (team.redis_url in its settings, or SWITCHYARD_REDIS_URL), the
// team's store, as a gateway of that folder would. A user who adds an account on a team machine means the
// team's accounts: the folder's own accounts are not what its gateway serves. Only what each gateway
// keeps for itself (listen address, console port, update check, the team connection) is still edited in
// the folder, so a wrong team address can always be corrected. When the team cannot be joined (no
// secret, store unreachable, another secret) the command changes nothing and says why.

import { join } from 'node:path';
import type { Warning } from '../contract/index.js';
import type { Runtime, RuntimeDeps } from '../runtime/create-runtime.js';
import { FileSettingsStore } from '../settings/file-settings-store.js';
import { TeamJoinError } from '../team/join-team.js';
import { describeRedisUrl } from '../team/team-connection.js';
import { LOCAL_SETTING_KEYS } from '../team/team-settings.js';
import { DATA_FILES, openFileRuntime } from './file-runtime.js';
import { UsageError, type CliIo } from './io.js';
import { openTeamRuntime, teamChoice } from './team-runtime.js';

/** The team of the folder could not be joined: the command did nothing. */
export class TeamUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamUnavailableError';
  }
}

const LOCAL_CONFIG_KEYS: ReadonlySet<string> = new Set([
  ...LOCAL_SETTING_KEYS.filter((k) => k !== 'team' && k !== 'version'),
  'team.redis_url',
  'team.secret_file',
]);

/** `config get|set KEY` for a setting the gateway keeps for itself: edited in the folder, team or not. */
export function isLocalSettingCommand(command: string, args: readonly string[]): boolean {
  const [sub, key] = args;
  return command === 'config' && (sub === 'get' || sub === 'set') && key !== undefined && LOCAL_CONFIG_KEYS.has(key);
}

export interface CommandRuntime {
  runtime: Runtime;
  /** The team store acted on (address without password), null for the folder's files. */
  team: string | null;
}

export async function openCommandRuntime(dataDir: string, localOnly: boolean, io: CliIo, extra: Partial<RuntimeDeps>): Promise<CommandRuntime> {
  if (localOnly) return { runtime: await openFileRuntime(dataDir, extra), team: null };
  // The folder's settings say whether it has a team; a damaged file is moved aside here, and said so.
  const found: Warning[] = [];
  const local = await FileSettingsStore.open(join(dataDir, DATA_FILES.settings), (w) => found.push(w));
  extra = { ...extra, warnings: [...(extra.warnings ?? []), ...found] };
  const url = io.env.SWITCHYARD_REDIS_URL || local.get().team.redis_url || '';
  if (url === '') return { runtime: await openFileRuntime(dataDir, extra), team: null };
  const store = describeRedisUrl(url);
  const refuse = (why: string) =>
    new TeamUnavailableError(
      `${dataDir} belongs to the team at ${store}, and no gateway runs on it, so this command acts on the team's store: ${why} Nothing was changed.`,
    );
  let choice;
  try {
    choice = await teamChoice(undefined, io.env, local.get());
  } catch (err) {
    if (err instanceof UsageError) throw refuse(err.message);
    throw err;
  }
  if (!choice) return { runtime: await openFileRuntime(dataDir, extra), team: null };
  try {
    const { runtime } = await openTeamRuntime(dataDir, choice, { heartbeat: false }, extra);
    return { runtime, team: store };
  } catch (err) {
    if (err instanceof TeamJoinError) throw refuse(err.message);
    throw err;
  }
}
