// The headless composition: file-backed stores in one data folder, wired into the runtime.

import { join } from 'node:path';
import type { Warning } from '../contract/index.js';
import { sweepStaleTempFiles } from '../lib/json-file.js';
import { FileAccountStore } from '../accounts/file-account-store.js';
import { FileSecretStore } from '../accounts/file-secret-store.js';
import { FileRequestHistory } from '../logs/request-log.js';
import { FileStatsStore } from '../logs/file-stats-store.js';
import { FileClaudeLinkStore } from '../claude-code/link-store.js';
import { createRuntime, type Runtime, type RuntimeDeps } from '../runtime/create-runtime.js';
import { FileSettingsStore } from '../settings/file-settings-store.js';

export const DATA_FILES = {
  settings: 'settings.json',
  accounts: 'accounts.json',
  secrets: 'secrets.json',
  history: 'request-history.jsonl',
  stats: 'stats.json',
  claudeLinks: 'claude-code.json',
} as const;

export async function openFileRuntime(dataDir: string, extra: Partial<RuntimeDeps> = {}): Promise<Runtime> {
  // What the caller found already (a settings file it read first and had to move aside) comes first.
  const warnings: Warning[] = [...(extra.warnings ?? [])];
  const warn = (w: Warning) => warnings.push(w);
  // Writes a killed process left half done hold what it was writing (keys, in secrets.json's): gone first.
  await sweepStaleTempFiles(dataDir);
  const settings = await FileSettingsStore.open(join(dataDir, DATA_FILES.settings), warn);
  const accounts = await FileAccountStore.open(join(dataDir, DATA_FILES.accounts), warn);
  const secrets = await FileSecretStore.open(join(dataDir, DATA_FILES.secrets), warn);
  const history = await FileRequestHistory.open(join(dataDir, DATA_FILES.history), {
    limit: () => settings.get().log_history_limit,
    onWarning: warn,
  });
  const stats = await FileStatsStore.open(join(dataDir, DATA_FILES.stats), warn);
  const claudeLinks = await openClaudeLinks(dataDir, warn);
  return createRuntime({ settings, accounts, secrets, history, stats, claudeLinks, ...extra, warnings });
}

/** The Claude Code settings files this folder's gateway connected; a gateway of a team keeps its own too. */
export async function openClaudeLinks(dataDir: string, warn: (w: Warning) => void): Promise<FileClaudeLinkStore> {
  const file = join(dataDir, DATA_FILES.claudeLinks);
  const links = new FileClaudeLinkStore(file, (backup) => warn({ code: 'claude_links_corrupt', file, backup, time: Date.now() }));
  // Read once now, so a record that cannot be read is reported with the other files.
  await links.load();
  return links;
}
