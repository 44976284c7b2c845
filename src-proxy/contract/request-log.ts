import { z } from 'zod';
import { FAILURE_KINDS, FailureKindSchema, ProviderKindSchema } from './providers.js';

/** One upstream attempt inside a request. */
export const AttemptRecordSchema = z.object({
  account_id: z.string(),
  account_label: z.string(),
  /** Upstream HTTP status, when the upstream answered. */
  status: z.number().int().nullable(),
  /** Null when the attempt succeeded. */
  failure: FailureKindSchema.nullable(),
  message: z.string().nullable(),
  latency_ms: z.number(),
  /** Which link of the route it was made on (index into `links`). */
  link: z.number().int().nonnegative().default(0),
});
export type AttemptRecord = z.infer<typeof AttemptRecordSchema>;

/** Why a link of a route did not serve. */
export const LINK_REASONS = [
  ...FAILURE_KINDS,
  /** No enabled account with a usable key matches the link (its provider, its accounts or group). */
  'no_accounts',
  /** Every matching account already failed in this request. */
  'exhausted',
] as const;
export const LinkReasonSchema = z.enum(LINK_REASONS);
export type LinkReason = z.infer<typeof LinkReasonSchema>;

/**
 * One link of the route a request took: served, failed (tried, and every attempt failed), skipped (no
 * account could take an attempt: `reason` says why, `until` when the first is back), or not reached.
 */
export const LinkRecordSchema = z.object({
  provider: ProviderKindSchema,
  model: z.string(),
  /** The account labels or groups the link is narrowed to; null: every account of the provider. */
  accounts: z.array(z.string()).nullable(),
  outcome: z.enum(['served', 'failed', 'skipped', 'not_reached']),
  /** For `skipped`: why no account could be tried (a cooldown's cause, or no account at all); for `failed`: the last failure. */
  reason: LinkReasonSchema.nullable(),
  /** For a link skipped because its accounts are cooling or out of quota: when the first is back (epoch ms). */
  until: z.number().nullable(),
});
export type LinkRecord = z.infer<typeof LinkRecordSchema>;

/** What the gateway changed about a request so that the upstream that served it would take it. */
export const NOTE_CODES = [
  /** Thinking blocks the upstream cannot verify (another model family's, or redacted ones) were left out of the history. */
  'thinking_dropped',
  /**
   * Thinking was off for this turn: it continues a tool call whose assistant turn has no thinking block
   * the upstream can verify (made by another model family), which a thinking Claude refuses.
   */
  'thinking_off_tool_turn',
  /** The upstream offers only the thinking variant of the model asked for; that variant served it. */
  'thinking_variant',
  /**
   * The tool turn this request continues was sent as text: its thinking could not be verified, and the
   * model (a thinking-only variant) cannot take the turn with thinking off.
   */
  'tool_turn_as_text',
] as const;
export const NoteCodeSchema = z.enum(NOTE_CODES);
export type NoteCode = z.infer<typeof NoteCodeSchema>;

export const ROUTE_KINDS = ['messages', 'count_tokens', 'models', 'other'] as const;

/** One entry per request the gateway answered. */
export const RequestLogEntrySchema = z.object({
  id: z.string(),
  /** Epoch ms when the request arrived. */
  time: z.number(),
  method: z.string(),
  path: z.string(),
  route: z.enum(ROUTE_KINDS),
  inbound_model: z.string().nullable(),
  mapped_model: z.string().nullable(),
  provider: ProviderKindSchema.nullable(),
  account_id: z.string().nullable(),
  account_label: z.string().nullable(),
  stream: z.boolean(),
  status: z.number().int(),
  attempts: z.array(AttemptRecordSchema),
  /** The route's links in order (the rule's target, then its fallbacks) and what became of each. */
  links: z.array(LinkRecordSchema).default([]),
  /** What was changed about the request for the upstream that served it (see NOTE_CODES). */
  notes: z.array(NoteCodeSchema).default([]),
  latency_ms: z.number(),
  /** Time to the first byte of the response body sent to the client. */
  ttfb_ms: z.number().nullable(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cache_read_input_tokens: z.number().int().nullable(),
  cache_creation_input_tokens: z.number().int().nullable(),
  stop_reason: z.string().nullable(),
  /**
   * What the request cost in US dollars, at the price of the model that served it (the mapped one), for
   * the tokens the upstream reported, cache tokens included. Null when that model has no price, or no
   * tokens were reported: never a made-up $0.
   */
  cost_usd: z.number().nullable().default(null),
  /** The price table row that priced it. */
  priced_as: z.string().nullable().default(null),
  /** The same tokens at the requested model's list price, when the request was mapped to another model. */
  requested_cost_usd: z.number().nullable().default(null),
  /** Answered locally (warmup interception or a local token estimate) rather than by an upstream. */
  local: z.enum(['warmup', 'estimate']).nullable(),
  error_type: z.string().nullable(),
  error_message: z.string().nullable(),
  /** The client went away before the answer was complete. */
  client_aborted: z.boolean(),
  /** The gateway that served it, when several share one pool (team mode); absent otherwise. */
  instance: z.string().optional(),
});
export type RequestLogEntry = z.infer<typeof RequestLogEntrySchema>;

/** An upstream reported tokens for this request, but its model has no price: the cost is unknown, not zero. */
export function isUnpriced(entry: Pick<RequestLogEntry, 'cost_usd' | 'input_tokens' | 'output_tokens' | 'local'>): boolean {
  return entry.cost_usd === null && entry.local === null && (entry.input_tokens ?? 0) + (entry.output_tokens ?? 0) > 0;
}

export const RequestQuerySchema = z.object({
  limit: z.number().int().min(1).max(10_000).optional(),
  /** Only entries strictly older than this entry id's time (paging backwards). */
  before_time: z.number().optional(),
  /** Only the entries this gateway of the team served. */
  instance: z.string().min(1).optional(),
});
export type RequestQuery = z.infer<typeof RequestQuerySchema>;
