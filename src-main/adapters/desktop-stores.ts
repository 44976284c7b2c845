// The desktop's stores in a folder of their own: settings, accounts and secrets in electron-store (secrets
// sealed by the OS keychain), the request history and usage stats as files beside them. The folder is not
// the profile folder itself, because a packaged app's profile folder is also where `switchyard serve`
// keeps its plain files; the desktop copies those in on its first launch instead of sharing them.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Warning } from '../../src-proxy/contract/index.js';
import { FileAccountStore } from '../../src-proxy/accounts/file-account-store.js';
import { FileSecretStore } from '../../src-proxy/accounts/file-secret-store.js';
import { FileStatsStore } from '../../src-proxy/logs/file-stats-store.js';
import { FileRequestHistory } from '../../src-proxy/logs/request-log.js';
import type { RuntimeDeps } from '../../src-proxy/runtime/create-runtime.js';
import { FileSettingsStore } from '../../src-proxy/settings/file-settings-store.js';
import { copyAccounts, readHeadlessData } from './headless-import.js';
import { keychainAvailable, safeStorageCodec, type SafeStorageLike } from './safe-storage-codec.js';
import { StoreDocument, type KeyValueFile } from './store-document.js';

export const STORE_NAMES = { settings: 'settings', accounts: 'accounts', secrets: 'secrets' } as const;

/** The desktop's data folder inside the profile folder (Electron's userData). */
export const DESKTOP_DATA_FOLDER = 'desktop';

export interface DesktopStoreDeps {
  /** The desktop's data folder. */
  dir: string;
  /** Opens the electron-store file `<dir>/<name>.json`. */
  openStore(name: string): KeyValueFile;
  safeStorage: SafeStorageLike;
  platform: string;
  /** The headless data folder, copied in when the desktop has no data of its own yet. */
  headlessDir: string | null;
}

export type DesktopStores = Pick<RuntimeDeps, 'settings' | 'accounts' | 'secrets' | 'history' | 'stats' | 'warnings'>;

export async function openDesktopStores({ dir, openStore, safeStorage, platform, headlessDir }: DesktopStoreDeps): Promise<Required<DesktopStores>> {
  const warnings: Warning[] = [];
  const warn = (w: Warning) => warnings.push(w);
  const path = (name: string) => join(dir, `${name}.json`);
  const doc = (name: string) => new StoreDocument(() => openStore(name), path(name));
  const firstLaunch = !Object.values(STORE_NAMES).some((name) => existsSync(path(name)));
  const headless = firstLaunch && headlessDir !== null ? await readHeadlessData(headlessDir) : null;

  const settingsDoc = doc(STORE_NAMES.settings);
  if (headless?.settings) await settingsDoc.write(headless.settings);
  const settings = await FileSettingsStore.openDocument(settingsDoc, warn);
  const accounts = await FileAccountStore.openDocument(doc(STORE_NAMES.accounts), warn);
  const protect = await keychainAvailable(safeStorage, platform);
  if (!protect) warn({ code: 'secrets_unprotected', file: path(STORE_NAMES.secrets), backup: null, time: Date.now() });
  const secrets = await FileSecretStore.openDocument(doc(STORE_NAMES.secrets), warn, safeStorageCodec(safeStorage, protect));
  if (headless && headlessDir !== null) {
    await copyAccounts(headless, { accounts, secrets });
    warn({ code: 'headless_data_imported', file: headlessDir, backup: null, time: Date.now() });
  }
  const history = await FileRequestHistory.open(join(dir, 'request-history.jsonl'), { limit: () => settings.get().log_history_limit, onWarning: warn });
  const stats = await FileStatsStore.open(join(dir, 'stats.json'), warn);
  return { settings, accounts, secrets, history, stats, warnings };
}
