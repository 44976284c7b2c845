// Secrets: a JSON document of `account id -> secret`, apart from the accounts so the account file can be
// shown, exported or attached to a bug report without leaking credentials. Headless it is a 0600 file;
// on the desktop each secret is stored sealed by the OS keychain (a SecretCodec), in electron-store.
//
// The keychain can fail for a while (an unsigned update on macOS, a closed KWallet): a value it cannot
// open now is kept in the file exactly as it was, and a change to one secret reseals only that one, so
// neither a locked keychain nor a run without protection ever loses or downgrades the others.

import { z } from 'zod';
import type { Warning } from '../contract/index.js';
import { JsonFileDocument, type JsonDocument } from '../lib/json-document.js';
import { SerialQueue } from '../lib/serial-queue.js';
import type { SecretStore } from './secret-store.js';

const SECRETS_FILE_VERSION = 1;
const SECRETS_FILE_MODE = 0o600;

const SecretsFileSchema = z.object({
  version: z.literal(SECRETS_FILE_VERSION),
  secrets: z.record(z.string(), z.string()),
});

export interface OpenedSecret {
  secret: string;
  /** The stored value should be sealed again: the keychain rotated its key, or protection came since it was stored. */
  reseal: boolean;
}

/** How a secret is kept at rest: as it is (a private file), or sealed by the OS (safeStorage). */
export interface SecretCodec {
  seal(secret: string): Promise<string>;
  /** Rejects when the stored value cannot be opened now (another machine's keychain, a locked one, a damaged value). */
  open(stored: string): Promise<OpenedSecret>;
}

const PLAIN: SecretCodec = { seal: async (s) => s, open: async (s) => ({ secret: s, reseal: false }) };

/** One account's secret: the form on disk, and the secret itself once opened (undefined while it cannot be). */
interface Entry {
  stored: string;
  secret: string | undefined;
}

export class FileSecretStore implements SecretStore {
  private entries: ReadonlyMap<string, Entry>;
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly doc: JsonDocument,
    private readonly codec: SecretCodec,
    initial: ReadonlyMap<string, Entry>,
  ) {
    this.entries = initial;
  }

  static open(path: string, onWarning: (w: Warning) => void): Promise<FileSecretStore> {
    return FileSecretStore.openDocument(new JsonFileDocument(path, SECRETS_FILE_MODE), onWarning);
  }

  static async openDocument(doc: JsonDocument, onWarning: (w: Warning) => void, codec: SecretCodec = PLAIN): Promise<FileSecretStore> {
    const read = await doc.read(SecretsFileSchema);
    if (read.kind === 'corrupt') {
      onWarning({ code: 'secrets_corrupt', file: doc.path, backup: read.backup, time: Date.now() });
    }
    const entries = new Map<string, Entry>();
    const reseal: string[] = [];
    let locked = false;
    for (const [id, stored] of Object.entries(read.kind === 'ok' ? read.value.secrets : {})) {
      try {
        const opened = await codec.open(stored);
        entries.set(id, { stored, secret: opened.secret });
        if (opened.reseal) reseal.push(id);
      } catch {
        // That account cannot use its key until the keychain opens it again; the value stays as it is.
        entries.set(id, { stored, secret: undefined });
        locked = true;
      }
    }
    if (locked) onWarning({ code: 'secrets_locked', file: doc.path, backup: null, time: Date.now() });
    const store = new FileSecretStore(doc, codec, entries);
    if (reseal.length > 0) await store.resealAll(reseal);
    return store;
  }

  get(id: string): string | undefined {
    return this.entries.get(id)?.secret;
  }

  set(id: string, secret: string): Promise<void> {
    if (secret.length === 0) return Promise.reject(new Error(`Empty secret for account ${id}`));
    return this.change(async (current) => {
      if (current.get(id)?.secret === secret) return current;
      return new Map(current).set(id, { stored: await this.codec.seal(secret), secret });
    });
  }

  delete(id: string): Promise<void> {
    return this.change(async (current) => {
      if (!current.has(id)) return current;
      const next = new Map(current);
      next.delete(id);
      return next;
    });
  }

  /** Seals these secrets anew, in one write; a value that cannot be sealed now keeps the form it had. */
  private resealAll(ids: readonly string[]): Promise<void> {
    return this.change(async (current) => {
      const next = new Map(current);
      for (const id of ids) {
        const entry = current.get(id);
        if (entry?.secret === undefined) continue;
        try {
          next.set(id, { stored: await this.codec.seal(entry.secret), secret: entry.secret });
        } catch {
          // The old value still opens; resealing waits for a later run.
        }
      }
      return next;
    });
  }

  // One change at a time, each computed from the result of the one before, so concurrent calls all
  // land. Memory moves only after the write: a secret the caller was told failed to save is not used.
  private change(edit: (current: ReadonlyMap<string, Entry>) => Promise<ReadonlyMap<string, Entry>>): Promise<void> {
    return this.queue.run(async () => {
      const next = await edit(this.entries);
      if (next === this.entries) return;
      const secrets = Object.fromEntries([...next].map(([id, entry]) => [id, entry.stored]));
      await this.doc.write({ version: SECRETS_FILE_VERSION, secrets });
      this.entries = next;
    });
  }
}
