import { z } from 'zod';
import { isUnpriced, type RequestLogEntry } from './request-log.js';

/** Usage is kept per hour (for the last weeks) and per day (for the last year). */
export const STATS_BUCKET_SIZES = ['hour', 'day'] as const;
export const StatsBucketSizeSchema = z.enum(STATS_BUCKET_SIZES);
export type StatsBucketSize = z.infer<typeof StatsBucketSizeSchema>;

export const StatsQuerySchema = z
  .object({
    bucket: StatsBucketSizeSchema,
    /** Buckets starting at or after this time (epoch ms). */
    since: z.number().optional(),
    /** Buckets starting before this time (epoch ms). */
    until: z.number().optional(),
    /** Only what this gateway of the team served. */
    instance: z.string().min(1).optional(),
  })
  .strict();
export type StatsQuery = z.infer<typeof StatsQuerySchema>;

export interface UsageCounts {
  requests: number;
  /** Requests answered with an error status. */
  failures: number;
  input_tokens: number;
  output_tokens: number;
  /** What the priced requests cost, in US dollars. */
  cost_usd: number;
  /** Requests that reported tokens for a model without a price: their cost is unknown, not zero. */
  unpriced: number;
}

export function emptyCounts(): UsageCounts {
  return { requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced: 0 };
}

/** Adds one finished request to `counts`: its cost when it was priced, else whether it went unpriced. */
export function countEntry(counts: UsageCounts, entry: RequestLogEntry): void {
  counts.requests += 1;
  if (entry.status >= 400) counts.failures += 1;
  counts.input_tokens += entry.input_tokens ?? 0;
  counts.output_tokens += entry.output_tokens ?? 0;
  if (entry.cost_usd !== null) counts.cost_usd += entry.cost_usd;
  else if (isUnpriced(entry)) counts.unpriced += 1;
}

/** One bucket of one account and one upstream model. */
export interface StatsBucket extends UsageCounts {
  /** Start of the bucket (epoch ms): a UTC hour, or midnight of the gateway machine's day. */
  start: number;
  /** Null: answered without an account (refused before one was picked). */
  account_id: string | null;
  /** The upstream model, or the requested one when the request never reached an upstream. */
  model: string;
}

export interface StatsReport {
  bucket: StatsBucketSize;
  /** Oldest first. */
  buckets: StatsBucket[];
  totals: UsageCounts;
}
