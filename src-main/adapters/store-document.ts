// A JsonDocument kept by electron-store (conf underneath): the desktop's settings, accounts and secrets
// files, validated and migrated by the same schemas as headless. conf refuses to open a file that is not
// JSON; such a file is kept aside, as headless does, and the store opens empty.

import type { z } from 'zod';
import type { JsonReadResult } from '../../src-proxy/lib/json-file.js';
import { moveAside } from '../../src-proxy/lib/json-file.js';
import type { JsonDocument } from '../../src-proxy/lib/json-document.js';

/** The part of electron-store (and conf) this adapter uses. */
export interface KeyValueFile {
  readonly path: string;
  store: Record<string, unknown>;
}

export class StoreDocument implements JsonDocument {
  private file: KeyValueFile | null = null;

  constructor(
    private readonly openFile: () => KeyValueFile,
    readonly path: string,
  ) {}

  async read<T>(schema: z.ZodType<T>): Promise<JsonReadResult<T>> {
    try {
      this.file = this.openFile();
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      const backup = await moveAside(this.path);
      this.file = this.openFile();
      return { kind: 'corrupt', backup };
    }
    const raw = this.file.store;
    if (Object.keys(raw).length === 0) return { kind: 'missing' };
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { kind: 'ok', value: parsed.data };
    return { kind: 'corrupt', backup: await moveAside(this.path) };
  }

  async write(value: unknown): Promise<void> {
    this.file ??= this.openFile();
    this.file.store = value as Record<string, unknown>;
  }
}
