// The desktop's stores in the app's profile folder: settings, accounts and secrets in electron-store
// (secrets sealed by the OS keychain), the request history and usage stats as files beside them.

import { join } from 'node:path';
import type { Warning } from '../../src-proxy/contract/index.js';
import { FileAccountStore } from '../../src-proxy/accounts/file-account-store.js';
import { FileSecretStore } from '../../src-proxy/accounts/file-secret-store.js';
import { FileStatsStore } from '../../src-proxy/logs/file-stats-store.js';
import { FileRequestHistory } from '../../src-proxy/logs/request-log.js';
import type { RuntimeDeps } from '../../src-proxy/runtime/create-runtime.js';
import { FileSettingsStore } from '../../src-proxy/settings/file-settings-store.js';
import { keychainAvailable, safeStorageCodec, type SafeStorageLike } from './safe-storage-codec.js';
import { StoreDocument, type KeyValueFile } from './store-document.js';

export const STORE_NAMES = { settings: 'settings', accounts: 'accounts', secrets: 'secrets' } as const;

export interface DesktopStoreDeps {
  /** The app's profile folder (Electron's userData). */
  dir: string;
  /** Opens the electron-store file `<dir>/<name>.json`. */
  openStore(name: string): KeyValueFile;
  safeStorage: SafeStorageLike;
  platform: string;
}

export type DesktopStores = Pick<RuntimeDeps, 'settings' | 'accounts' | 'secrets' | 'history' | 'stats' | 'warnings'>;

export async function openDesktopStores({ dir, openStore, safeStorage, platform }: DesktopStoreDeps): Promise<Required<DesktopStores>> {
  const warnings: Warning[] = [];
  const warn = (w: Warning) => warnings.push(w);
  const doc = (name: string) => new StoreDocument(() => openStore(name), join(dir, `${name}.json`));
  const settings = await FileSettingsStore.openDocument(doc(STORE_NAMES.settings), warn);
  const accounts = await FileAccountStore.openDocument(doc(STORE_NAMES.accounts), warn);
  const protect = keychainAvailable(safeStorage, platform);
  if (!protect) warn({ code: 'secrets_unprotected', file: join(dir, `${STORE_NAMES.secrets}.json`), backup: null, time: Date.now() });
  const secrets = await FileSecretStore.openDocument(doc(STORE_NAMES.secrets), warn, safeStorageCodec(safeStorage, protect));
  const history = await FileRequestHistory.open(join(dir, 'request-history.jsonl'), { limit: () => settings.get().log_history_limit, onWarning: warn });
  const stats = await FileStatsStore.open(join(dir, 'stats.json'), warn);
  return { settings, accounts, secrets, history, stats, warnings };
}
