// How a request's cost reads: dollars when it was priced, "no price" when its model has none (never a
// made-up $0), a dash when no tokens were reported.

import { isUnpriced, type ModelPrice, type RequestLogEntry } from '../../src-proxy/contract/index.js';
import { formatUsd } from '../format/format.js';

export function costText(e: RequestLogEntry): string {
  if (e.cost_usd !== null) return formatUsd(e.cost_usd);
  return isUnpriced(e) ? 'no price' : '–';
}

/** "$3 in, $15 out, $3.75 cache write, $0.30 cache read per million tokens". */
export function priceText(p: ModelPrice): string {
  const d = (x: number) => (Number.isInteger(x) ? `$${x}` : Math.abs(x * 100 - Math.round(x * 100)) < 1e-9 ? `$${x.toFixed(2)}` : `$${x}`);
  return `${d(p.input)} in, ${d(p.output)} out, ${d(p.cache_write)} cache write, ${d(p.cache_read)} cache read per million tokens`;
}
