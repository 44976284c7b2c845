// Headless usage stats: `stats.json`, rewritten atomically. A row is an array rather than an object: a
// year of daily buckets for a handful of accounts and models is thousands of rows, and the names would
// be most of the file.

import { z } from 'zod';
import type { StatsBucket, Warning } from '../contract/index.js';
import { readJsonFile, writeFileAtomic } from '../lib/json-file.js';
import type { StatsSnapshot, StatsStore } from './usage-stats.js';

const STATS_FILE_VERSION = 2;

const count = z.number().int().nonnegative();
/**
 * [start, account_id, model, requests, failures, input_tokens, output_tokens, cost_usd, unpriced]; a
 * version 1 file's rows end at output_tokens, from before requests were priced.
 */
const RowSchema = z.union([
  z.tuple([z.number(), z.string().nullable(), z.string(), count, count, count, count, z.number().nonnegative(), count]),
  z.tuple([z.number(), z.string().nullable(), z.string(), count, count, count, count]),
]);
type Row = z.infer<typeof RowSchema>;

const StatsFileSchema = z.object({
  version: z.union([z.literal(1), z.literal(STATS_FILE_VERSION)]),
  hour: z.array(RowSchema),
  day: z.array(RowSchema),
});

const toRow = (b: StatsBucket): Row => [b.start, b.account_id, b.model, b.requests, b.failures, b.input_tokens, b.output_tokens, b.cost_usd, b.unpriced];
const fromRow = ([start, account_id, model, requests, failures, input_tokens, output_tokens, cost_usd = 0, unpriced = 0]: Row): StatsBucket => ({
  start,
  account_id,
  model,
  requests,
  failures,
  input_tokens,
  output_tokens,
  cost_usd,
  unpriced,
});

export class FileStatsStore implements StatsStore {
  private constructor(
    private readonly path: string,
    private readonly initial: StatsSnapshot | null,
  ) {}

  /** Reads the file now, as the other stores do, so a corrupt one is reported with theirs. */
  static async open(path: string, onWarning: (w: Warning) => void): Promise<FileStatsStore> {
    const read = await readJsonFile(path, StatsFileSchema);
    if (read.kind === 'corrupt') onWarning({ code: 'stats_corrupt', file: path, backup: read.backup, time: Date.now() });
    const initial = read.kind === 'ok' ? { hour: read.value.hour.map(fromRow), day: read.value.day.map(fromRow) } : null;
    return new FileStatsStore(path, initial);
  }

  async load(): Promise<StatsSnapshot | null> {
    return this.initial;
  }

  async save(snapshot: StatsSnapshot): Promise<void> {
    const file = { version: STATS_FILE_VERSION, hour: snapshot.hour.map(toRow), day: snapshot.day.map(toRow) };
    // Per-account usage is the user's business alone, like every other file of the data folder.
    await writeFileAtomic(this.path, `${JSON.stringify(file)}\n`, 0o600);
  }
}
