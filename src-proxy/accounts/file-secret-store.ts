// Secrets: a JSON document of `account id -> secret`, apart from the accounts so the account file can be
// shown, exported or attached to a bug report without leaking credentials. Headless it is a 0600 file;
// on the desktop each secret is stored sealed by the OS keychain (a SecretCodec), in electron-store.

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

/** How a secret is kept at rest: as it is (a private file), or sealed by the OS (safeStorage). */
export interface SecretCodec {
  seal(secret: string): string;
  /** Throws when the sealed value cannot be opened (another machine's keychain, a damaged value). */
  open(sealed: string): string;
}

const PLAIN: SecretCodec = { seal: (s) => s, open: (s) => s };

export class FileSecretStore implements SecretStore {
  private secrets: ReadonlyMap<string, string>;
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly doc: JsonDocument,
    private readonly codec: SecretCodec,
    initial: ReadonlyMap<string, string>,
  ) {
    this.secrets = initial;
  }

  static open(path: string, onWarning: (w: Warning) => void): Promise<FileSecretStore> {
    return FileSecretStore.openDocument(new JsonFileDocument(path, SECRETS_FILE_MODE), onWarning);
  }

  static async openDocument(doc: JsonDocument, onWarning: (w: Warning) => void, codec: SecretCodec = PLAIN): Promise<FileSecretStore> {
    const read = await doc.read(SecretsFileSchema);
    if (read.kind === 'corrupt') {
      onWarning({ code: 'secrets_corrupt', file: doc.path, backup: read.backup, time: Date.now() });
    }
    const secrets = new Map<string, string>();
    let unreadable = false;
    for (const [id, sealed] of Object.entries(read.kind === 'ok' ? read.value.secrets : {})) {
      try {
        secrets.set(id, codec.open(sealed));
      } catch {
        // That account asks for its key again; the others keep theirs.
        unreadable = true;
      }
    }
    if (unreadable) onWarning({ code: 'secrets_corrupt', file: doc.path, backup: null, time: Date.now() });
    return new FileSecretStore(doc, codec, secrets);
  }

  get(id: string): string | undefined {
    return this.secrets.get(id);
  }

  set(id: string, secret: string): Promise<void> {
    if (secret.length === 0) return Promise.reject(new Error(`Empty secret for account ${id}`));
    return this.change((current) => (current.get(id) === secret ? current : new Map(current).set(id, secret)));
  }

  delete(id: string): Promise<void> {
    return this.change((current) => {
      if (!current.has(id)) return current;
      const next = new Map(current);
      next.delete(id);
      return next;
    });
  }

  // One change at a time, each computed from the result of the one before, so concurrent calls all
  // land. Memory moves only after the write: a secret the caller was told failed to save is not used.
  private change(edit: (current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>): Promise<void> {
    return this.queue.run(async () => {
      const next = edit(this.secrets);
      if (next === this.secrets) return;
      const sealed = Object.fromEntries([...next].map(([id, secret]) => [id, this.codec.seal(secret)]));
      await this.doc.write({ version: SECRETS_FILE_VERSION, secrets: sealed });
      this.secrets = next;
    });
  }
}
