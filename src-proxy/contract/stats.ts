import { z } from 'zod';

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
