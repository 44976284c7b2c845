import { z } from 'zod';

/** What a model costs, in US dollars per million tokens. */
export const ModelPriceSchema = z
  .object({
    input: z.number().min(0).max(10_000),
    output: z.number().min(0).max(10_000),
    /** Tokens written to the prompt cache (Anthropic's 5-minute writes). */
    cache_write: z.number().min(0).max(10_000),
    /** Tokens read from the prompt cache. */
    cache_read: z.number().min(0).max(10_000),
  })
  .strict();
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** One row of the price table: an upstream model id, or a pattern with `*` (`claude-sonnet-4*`). */
export const PriceRowSchema = ModelPriceSchema.extend({ model: z.string().trim().min(1).max(200) }).strict();
export type PriceRow = z.infer<typeof PriceRowSchema>;

/** The user's rows: each replaces the shipped row of the same model, or adds one. */
export const PriceRowsSchema = z.array(PriceRowSchema).refine((rows) => new Set(rows.map((r) => r.model.toLowerCase())).size === rows.length, {
  message: 'each model may have one price only',
  params: { code: 'duplicate_price' },
});

const p = (model: string, input: number, output: number, cache_write: number, cache_read: number): PriceRow => ({
  model,
  input,
  output,
  cache_write,
  cache_read,
});

/**
 * The list prices Switchyard ships, as the providers publish them (December 2026; for models priced in
 * tiers, the tier of prompts up to 200,000 tokens). Where a provider charges nothing to write its cache,
 * a write costs what input costs. Edit them in Settings or with `switchyard config set price.MODEL`.
 */
export const DEFAULT_PRICES: readonly PriceRow[] = Object.freeze([
  // Anthropic (platform.claude.com pricing: base input, output, 5-minute cache writes, cache hits).
  p('claude-fable-5-1*', 10, 50, 12.5, 0.25),
  p('claude-mythos-5-1*', 10, 50, 12.5, 0.25),
  p('claude-fable-5*', 10, 50, 12.5, 1),
  p('claude-mythos-5*', 10, 50, 12.5, 1),
  p('claude-opus-5-5*', 4, 20, 5, 0.2),
  p('claude-opus-5*', 5, 25, 6.25, 0.5),
  p('claude-opus-4-8*', 5, 25, 6.25, 0.5),
  p('claude-opus-4-7*', 5, 25, 6.25, 0.5),
  p('claude-opus-4-6*', 5, 25, 6.25, 0.5),
  p('claude-opus-4-5*', 5, 25, 6.25, 0.5),
  p('claude-opus-4*', 15, 75, 18.75, 1.5),
  p('claude-3-opus*', 15, 75, 18.75, 1.5),
  p('claude-sonnet-5-5*', 2, 10, 2.5, 0.1),
  p('claude-sonnet-5*', 2, 10, 2.5, 0.2),
  p('claude-sonnet-4*', 3, 15, 3.75, 0.3),
  p('claude-3-7-sonnet*', 3, 15, 3.75, 0.3),
  p('claude-3-5-sonnet*', 3, 15, 3.75, 0.3),
  p('claude-haiku-5-5*', 0.1, 0.5, 0.125, 0.01),
  p('claude-haiku-4-5*', 1, 5, 1.25, 0.1),
  p('claude-3-5-haiku*', 0.8, 4, 1, 0.08),
  p('claude-3-haiku*', 0.25, 1.25, 0.3, 0.03),
  // Google Gemini API (ai.google.dev pricing, paid tier).
  p('gemini-3.1-pro*', 2, 12, 2, 0.2),
  p('gemini-3-pro*', 2, 12, 2, 0.2),
  p('gemini-3-flash*', 0.5, 3, 0.5, 0.05),
  p('gemini-2.5-pro*', 1.25, 10, 1.25, 0.125),
  p('gemini-2.5-flash-lite*', 0.1, 0.4, 0.1, 0.01),
  p('gemini-2.5-flash*', 0.3, 2.5, 0.3, 0.03),
  // Anthropic-compatible endpoints, at their own list prices.
  p('glm-4.7*', 0.6, 2.2, 0.6, 0.11),
  p('glm-4.6*', 0.6, 2.2, 0.6, 0.11),
  p('glm-4.5-air*', 0.2, 1.1, 0.2, 0.03),
  p('glm-4.5*', 0.6, 2.2, 0.6, 0.11),
  p('kimi-k2-turbo*', 1.15, 8, 1.15, 0.15),
  p('kimi-k2-thinking-turbo*', 1.15, 8, 1.15, 0.15),
  p('kimi-k2*', 0.6, 2.5, 0.6, 0.15),
  // DeepSeek prices by the hour of day; these are its peak-hour rates (off-peak is half), and writing its
  // cache costs what input costs. The retired deepseek-v4-flash name is served and billed as deepseek-flash;
  // deepseek-chat and deepseek-reasoner are no longer listed, so they show no price rather than an old one.
  p('deepseek-flash*', 0.3, 1.2, 0.3, 0.006),
  p('deepseek-v4-flash*', 0.3, 1.2, 0.3, 0.006),
  p('deepseek-v4-pro*', 1.32, 3.96, 1.32, 0.044),
  p('minimax-m2*', 0.3, 1.2, 0.375, 0.03),
]);

/** The shipped rows with the user's on top: a user row replaces the shipped row of the same model. */
export function priceTable(userRows: readonly PriceRow[]): PriceRow[] {
  const byModel = new Map<string, PriceRow>();
  for (const row of [...DEFAULT_PRICES, ...userRows]) byModel.set(row.model.toLowerCase(), row);
  return [...byModel.values()];
}

/** A model id as priced: lower case, without a context-size suffix such as `[1m]`. */
function priceKey(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/\[[^\]]*\]$/, '');
}

const compiled = new Map<string, RegExp>();

/** `*` stands for any run of characters; everything else is itself. */
function globMatches(pattern: string, id: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    compiled.set(pattern, re);
  }
  return re.test(id);
}

/**
 * The row that prices `model`: its exact id first, else the matching pattern that names the most of it
 * (`claude-opus-4-5*` before `claude-opus-4*`). Null when no row matches: the model has no price.
 */
export function findPrice(model: string, table: readonly PriceRow[]): PriceRow | null {
  // Every logged request asks, and a table is only ever replaced, never changed: each table keeps the
  // answers it gave, a bounded number of them (model names come from clients).
  let found = foundIn.get(table);
  if (!found) foundIn.set(table, (found = new Map()));
  const known = found.get(model);
  if (known !== undefined) return known;
  const row = searchPrice(model, table);
  if (found.size >= FOUND_PER_TABLE) found.clear();
  found.set(model, row);
  return row;
}

const foundIn = new WeakMap<readonly PriceRow[], Map<string, PriceRow | null>>();
const FOUND_PER_TABLE = 256;

function searchPrice(model: string, table: readonly PriceRow[]): PriceRow | null {
  const id = priceKey(model);
  let best: PriceRow | null = null;
  let bestLength = -1;
  for (const row of table) {
    const pattern = row.model.toLowerCase();
    if (pattern === id) return row;
    if (!pattern.includes('*') || !globMatches(pattern, id)) continue;
    const specific = pattern.replace(/\*/g, '').length;
    if (specific > bestLength) {
      best = row;
      bestLength = specific;
    }
  }
  return best;
}

export interface TokenUsage {
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

/** What these tokens cost at this price, in US dollars. */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const dollars =
    (usage.input_tokens ?? 0) * price.input +
    (usage.output_tokens ?? 0) * price.output +
    (usage.cache_creation_input_tokens ?? 0) * price.cache_write +
    (usage.cache_read_input_tokens ?? 0) * price.cache_read;
  return dollars / 1_000_000;
}
