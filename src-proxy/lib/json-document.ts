// Where a store keeps its one JSON document: a plain file headless, electron-store on the desktop. The
// stores (settings, accounts, secrets) validate, migrate and keep aside what they cannot read the same
// way whichever holds the document.

import type { z } from 'zod';
import { readJsonFile, writeFileAtomic, type JsonReadResult } from './json-file.js';

export interface JsonDocument {
  /** The file behind the document, named in warnings. */
  readonly path: string;
  /** The document validated by `schema`; one that fails is moved aside and reported as corrupt. */
  read<T>(schema: z.ZodType<T>): Promise<JsonReadResult<T>>;
  /** Replaces the whole document, atomically. */
  write(value: unknown): Promise<void>;
}

/** A JSON file written atomically with `mode` (0o600 for anything holding a key). */
export class JsonFileDocument implements JsonDocument {
  constructor(
    readonly path: string,
    private readonly mode?: number,
  ) {}

  read<T>(schema: z.ZodType<T>): Promise<JsonReadResult<T>> {
    return readJsonFile(this.path, schema);
  }

  write(value: unknown): Promise<void> {
    return writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`, this.mode);
  }
}
