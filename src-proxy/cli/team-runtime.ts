// The team composition: this gateway's own settings file for what stays local, the team's store for
// the rest, wired into the same runtime as one gateway's files.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings, Warning } from '../contract/index.js';
import { FileAccountStore } from '../accounts/file-account-store.js';
import { FileSecretStore } from '../accounts/file-secret-store.js';
import { createRuntime, type Runtime, type RuntimeDeps } from '../runtime/create-runtime.js';
import { FileSettingsStore } from '../settings/file-settings-store.js';
import { joinTeam, type Team } from '../team/join-team.js';
import { DATA_FILES, openClaudeLinks } from './file-runtime.js';
import { UsageError, type CliIo } from './io.js';

export interface TeamChoice {
  url: string;
  secret: string;
}

/**
 * The team this gateway joins, from `--redis`, SWITCHYARD_REDIS_URL or the setting team.redis_url (in
 * that order), with the secret from SWITCHYARD_TEAM_SECRET or the file in team.secret_file; null alone.
 */
export async function teamChoice(flag: string | undefined, env: CliIo['env'], settings: Settings): Promise<TeamChoice | null> {
  const url = flag ?? (env.SWITCHYARD_REDIS_URL || undefined) ?? (settings.team.redis_url || undefined);
  if (url === undefined) return null;
  if (!/^rediss?:\/\//i.test(url)) throw new UsageError('The team store address must be a redis:// or rediss:// URL.');
  let secret = env.SWITCHYARD_TEAM_SECRET ?? '';
  if (secret === '' && settings.team.secret_file !== '') {
    try {
      secret = (await readFile(settings.team.secret_file, 'utf8')).trim();
    } catch (err) {
      throw new UsageError(`Cannot read the team secret file ${settings.team.secret_file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  if (secret === '') {
    throw new UsageError('Team mode needs the team secret: set SWITCHYARD_TEAM_SECRET, or name a file holding it with `config set team.secret_file PATH`.');
  }
  return { url, secret };
}

export async function openTeamRuntime(
  dataDir: string,
  choice: TeamChoice,
  opts: { seedFromLocal?: boolean; instance?: string; heartbeat?: boolean },
  extra: Partial<RuntimeDeps> = {},
): Promise<{ runtime: Runtime; team: Team }> {
  const warnings: Warning[] = [...(extra.warnings ?? [])];
  const warn = (w: Warning) => warnings.push(w);
  const localSettings = await FileSettingsStore.open(join(dataDir, DATA_FILES.settings), warn);
  const seedFrom = opts.seedFromLocal
    ? {
        accounts: await FileAccountStore.open(join(dataDir, DATA_FILES.accounts), warn),
        secrets: await FileSecretStore.open(join(dataDir, DATA_FILES.secrets), warn),
      }
    : null;
  const report = extra.onInternalError ?? (() => undefined);
  const team = await joinTeam({
    url: choice.url,
    teamSecret: choice.secret,
    localSettings,
    seedFrom,
    onError: report,
    instance: opts.instance,
    heartbeat: opts.heartbeat,
  });
  const runtime = await createRuntime({
    settings: team.settings,
    accounts: team.accounts,
    secrets: team.secrets,
    history: team.history,
    usage: team.usage,
    bindings: team.bindings,
    inFlight: team.inFlight,
    team: team.link,
    claudeLinks: await openClaudeLinks(dataDir, warn),
    ...extra,
    warnings,
  });
  return { runtime, team };
}
