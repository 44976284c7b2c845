// Accounts in one JSON document (`accounts.json` headless, electron-store on the desktop). Secrets are never here (see FileSecretStore);
// the schema strips any field it does not know, so a stray key cannot reach the file either.

import { z } from 'zod';
import { AccountSchema, type Account, type Warning } from '../contract/index.js';
import { JsonFileDocument, type JsonDocument } from '../lib/json-document.js';
import { BaseAccountStore } from './base-account-store.js';

const ACCOUNTS_FILE_VERSION = 1;

const AccountsFileSchema = z
  .object({
    version: z.literal(ACCOUNTS_FILE_VERSION),
    accounts: z.array(AccountSchema),
  })
  .refine((file) => new Set(file.accounts.map((a) => a.id)).size === file.accounts.length, 'duplicate account id');

export interface FileAccountStoreOptions {
  /** How long runtime patches wait to be written together; default 1000 ms. */
  runtimeFlushMs?: number;
}

export class FileAccountStore extends BaseAccountStore {
  private constructor(
    private readonly doc: JsonDocument,
    initial: readonly Account[],
    opts: FileAccountStoreOptions,
  ) {
    super(initial, opts.runtimeFlushMs);
  }

  static open(path: string, onWarning: (w: Warning) => void, opts: FileAccountStoreOptions = {}): Promise<FileAccountStore> {
    return FileAccountStore.openDocument(new JsonFileDocument(path, 0o600), onWarning, opts);
  }

  static async openDocument(doc: JsonDocument, onWarning: (w: Warning) => void, opts: FileAccountStoreOptions = {}): Promise<FileAccountStore> {
    const read = await doc.read(AccountsFileSchema);
    if (read.kind === 'corrupt') {
      onWarning({ code: 'accounts_corrupt', file: doc.path, backup: read.backup, time: Date.now() });
    }
    return new FileAccountStore(doc, read.kind === 'ok' ? read.value.accounts : [], opts);
  }

  protected async persist(accounts: readonly Account[]): Promise<void> {
    await this.doc.write({ version: ACCOUNTS_FILE_VERSION, accounts: withoutExpiredCooldowns(accounts, Date.now()) });
  }
}

/** Expired cooldowns are noise on disk; memory keeps them until the router clears them itself. */
function withoutExpiredCooldowns(accounts: readonly Account[], now: number): Account[] {
  return accounts.map((a) => (a.cooldowns.some((c) => c.until <= now) ? { ...a, cooldowns: a.cooldowns.filter((c) => c.until > now) } : a));
}
