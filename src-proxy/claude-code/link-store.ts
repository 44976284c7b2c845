// The settings files Switchyard connected, kept in the data folder with what each held before, so a
// disconnect can put it back however many times connect ran, and a port or key change can follow.

import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../lib/json-file.js';

const SlotSchema = z.object({ value: z.unknown() }).nullable();

export const ClaudeLinkSchema = z.object({
  settings_file: z.string(),
  connected_at: z.number(),
  /**
   * How the file was before the first connect: `file` with its bytes (base64) and mode, `absent` when
   * connect created it, `changed` once another program changed it while connected (its bytes no longer
   * tell what to restore, so only Switchyard's keys are put back).
   */
  original: z.discriminatedUnion('state', [
    z.object({ state: z.literal('file'), bytes: z.string(), mode: z.number().int() }),
    z.object({ state: z.literal('absent') }),
    z.object({ state: z.literal('changed') }),
  ]),
  /** The document had an `env` block before. */
  had_env: z.boolean(),
  /** What each place Switchyard owns held before. */
  previous: z.record(z.string(), SlotSchema),
  /** What Switchyard last wrote at each place. */
  written: z.record(z.string(), SlotSchema),
  /** SHA-256 of the bytes Switchyard last wrote: equal to the file's, nothing else touched it. */
  written_sha256: z.string(),
});
export type ClaudeLink = z.infer<typeof ClaudeLinkSchema>;

const LinksFileSchema = z.object({ version: z.literal(1), links: z.array(ClaudeLinkSchema) });

export interface ClaudeLinkStore {
  load(): Promise<ClaudeLink[]>;
  save(links: readonly ClaudeLink[]): Promise<void>;
}

export class MemoryClaudeLinkStore implements ClaudeLinkStore {
  private links: ClaudeLink[] = [];
  async load(): Promise<ClaudeLink[]> {
    return structuredClone(this.links);
  }
  async save(links: readonly ClaudeLink[]): Promise<void> {
    this.links = structuredClone([...links]);
  }
}

/** A 0600 JSON file: the previous values may include an API key. */
export class FileClaudeLinkStore implements ClaudeLinkStore {
  constructor(
    private readonly path: string,
    /** Told when the file could not be read and was moved aside. */
    private readonly onCorrupt: (backup: string) => void = () => undefined,
  ) {}

  async load(): Promise<ClaudeLink[]> {
    const read = await readJsonFile(this.path, LinksFileSchema);
    if (read.kind === 'corrupt') this.onCorrupt(read.backup);
    return read.kind === 'ok' ? read.value.links : [];
  }

  async save(links: readonly ClaudeLink[]): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, links }, null, 2)}\n`, 0o600);
  }
}
