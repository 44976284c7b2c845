// What a request cost: the tokens its upstream reported (cache writes and reads included) at the price
// of the model that served it, and at the requested model's list price when it was mapped to another.
// Priced once, when the request is logged, so a later price change does not rewrite what was spent.

import { costOf, findPrice, type PriceRow, type RequestLogEntry } from '../contract/index.js';

/** Enough precision for a fraction of a cent, without float noise in the log. */
function dollars(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

export function priceEntry(entry: RequestLogEntry, table: readonly PriceRow[]): RequestLogEntry {
  // Local answers cost nothing upstream; count_tokens and model listings are free.
  if (entry.route !== 'messages' || entry.local !== null) return entry;
  if (entry.input_tokens === null && entry.output_tokens === null) return entry;
  const served = entry.mapped_model ?? entry.inbound_model;
  const row = served === null ? null : findPrice(served, table);
  const asked = entry.inbound_model !== null && entry.inbound_model !== served ? findPrice(entry.inbound_model, table) : null;
  return {
    ...entry,
    cost_usd: row ? dollars(costOf(entry, row)) : null,
    priced_as: row?.model ?? null,
    requested_cost_usd: asked ? dollars(costOf(entry, asked)) : null,
  };
}
