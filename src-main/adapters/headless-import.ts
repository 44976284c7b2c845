// A user who ran `switchyard serve` before installing the desktop app keeps their setup: on the desktop's
// first launch, the headless folder's settings, accounts and keys are copied into the desktop stores.
// The headless folder is only read, never changed (a file it cannot read is skipped, not moved aside),
// and desktop data that exists is never overwritten.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Account, Settings } from '../../src-proxy/contract/index.js';
import { FileAccountStore } from '../../src-proxy/accounts/file-account-store.js';
import { FileSecretStore } from '../../src-proxy/accounts/file-secret-store.js';
import type { SecretStore } from '../../src-proxy/accounts/secret-store.js';
import type { AccountStore } from '../../src-proxy/accounts/account-store.js';
import type { JsonDocument } from '../../src-proxy/lib/json-document.js';
import { parseJsonText, type JsonReadResult } from '../../src-proxy/lib/json-file.js';
import { FileSettingsStore } from '../../src-proxy/settings/file-settings-store.js';

/** The headless data folder's files (src-proxy/cli/file-runtime.ts). */
export const HEADLESS_FILES = { settings: 'settings.json', accounts: 'accounts.json', secrets: 'secrets.json' } as const;

/** A JSON file read and never written: what cannot be read is reported corrupt and left where it is. */
export class ReadOnlyJsonDocument implements JsonDocument {
  /** How the last read went; null before the first. */
  lastRead: JsonReadResult<unknown>['kind'] | null = null;

  constructor(readonly path: string) {}

  async read<T>(schema: z.ZodType<T>): Promise<JsonReadResult<T>> {
    const result = await this.readNow(schema);
    this.lastRead = result.kind;
    return result;
  }

  private async readNow<T>(schema: z.ZodType<T>): Promise<JsonReadResult<T>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      // A file the desktop may not read is left out like a damaged one; the launch goes on.
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'corrupt', backup: this.path };
    }
    const parsed = parseJsonText(text, schema);
    return parsed.ok ? { kind: 'ok', value: parsed.value } : { kind: 'corrupt', backup: this.path };
  }

  async write(): Promise<void> {
    throw new Error(`${this.path} is read only`);
  }
}

export interface HeadlessData {
  /** Null when the folder has no readable settings file. */
  settings: Settings | null;
  accounts: readonly Account[];
  /** The key of each account that has one, by account id. */
  secrets: ReadonlyMap<string, string>;
}

/** What the headless folder holds, or null when it holds neither settings nor accounts. */
export async function readHeadlessData(dir: string): Promise<HeadlessData | null> {
  // What cannot be read is left out of the copy; the headless folder keeps it as it is.
  const skip = () => undefined;
  const settingsDoc = new ReadOnlyJsonDocument(join(dir, HEADLESS_FILES.settings));
  const settingsStore = await FileSettingsStore.openDocument(settingsDoc, skip);
  const settings = settingsDoc.lastRead === 'ok' ? settingsStore.get() : null;
  const accounts = (await FileAccountStore.openDocument(new ReadOnlyJsonDocument(join(dir, HEADLESS_FILES.accounts)), skip)).list();
  if (settings === null && accounts.length === 0) return null;
  const secretStore = await FileSecretStore.openDocument(new ReadOnlyJsonDocument(join(dir, HEADLESS_FILES.secrets)), skip);
  const secrets = new Map<string, string>();
  for (const a of accounts) {
    const secret = secretStore.get(a.id);
    if (secret !== undefined) secrets.set(a.id, secret);
  }
  return { settings, accounts, secrets };
}

/** Copies accounts and their keys into empty desktop stores (the keys sealed by the store's codec). */
export async function copyAccounts(data: HeadlessData, into: { accounts: AccountStore; secrets: SecretStore }): Promise<void> {
  for (const account of data.accounts) {
    if (into.accounts.get(account.id)) continue;
    const secret = data.secrets.get(account.id);
    if (secret !== undefined) await into.secrets.set(account.id, secret);
    await into.accounts.add(account);
  }
}
