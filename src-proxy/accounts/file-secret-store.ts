// Headless secrets: a JSON file of `account id -> secret`, mode 0600, apart from accounts.json so the
// account file can be shown, exported or attached to a bug report without leaking credentials.

import { z } from 'zod';
import type { Warning } from '../contract/index.js';
import { readJsonFile, writeFileAtomic } from '../settings/json-file.js';
import { SerialQueue } from '../lib/serial-queue.js';
import type { SecretStore } from './secret-store.js';

const SECRETS_FILE_VERSION = 1;
const SECRETS_FILE_MODE = 0o600;

const SecretsFileSchema = z.object({
  version: z.literal(SECRETS_FILE_VERSION),
  secrets: z.record(z.string(), z.string()),
});

export class FileSecretStore implements SecretStore {
  private secrets: ReadonlyMap<string, string>;
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly path: string,
    initial: Readonly<Record<string, string>>,
  ) {
    this.secrets = new Map(Object.entries(initial));
  }

  static async open(path: string, onWarning: (w: Warning) => void): Promise<FileSecretStore> {
    const read = await readJsonFile(path, SecretsFileSchema);
    if (read.kind === 'corrupt') {
      onWarning({ code: 'secrets_corrupt', file: path, backup: read.backup, time: Date.now() });
    }
    return new FileSecretStore(path, read.kind === 'ok' ? read.value.secrets : {});
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
      const file = { version: SECRETS_FILE_VERSION, secrets: Object.fromEntries(next) };
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, SECRETS_FILE_MODE);
      this.secrets = next;
    });
  }
}
