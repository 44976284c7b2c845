// Prices on the command line: `config get prices` (the table in use), `config get|set price.MODEL`
// (one model: INPUT,OUTPUT,CACHE_WRITE,CACHE_READ in dollars per million tokens, or `default` for the
// shipped price), and `config get|set model_prices` (the user's rows as JSON).

import { DEFAULT_PRICES, findPrice, priceTable, type ControlApi, type PriceRow } from '../contract/index.js';
import { UsageError, type CliIo } from './io.js';

export const PRICES_KEY = 'model_prices';
const TABLE_KEY = 'prices';
const ONE_PREFIX = 'price.';

export function isPriceKey(key: string | undefined): key is string {
  return key === PRICES_KEY || key === TABLE_KEY || (key !== undefined && key.startsWith(ONE_PREFIX) && key.length > ONE_PREFIX.length);
}

const rates = (r: PriceRow) => `${r.input},${r.output},${r.cache_write},${r.cache_read}`;

function describe(r: PriceRow, user: readonly PriceRow[]): string {
  const mine = user.some((u) => u.model.toLowerCase() === r.model.toLowerCase());
  return `${r.model} = ${rates(r)} (input, output, cache write, cache read; US$ per million tokens; ${mine ? 'set here' : 'shipped'})`;
}

function parseRates(model: string, text: string): PriceRow {
  const parts = text.split(',').map((p) => p.trim());
  const n = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || n.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new UsageError(
      `A price is four numbers of 0 or more, in US dollars per million tokens: INPUT,OUTPUT,CACHE_WRITE,CACHE_READ (e.g. switchyard config set price.${model} 0.6,2.2,0.6,0.11), or "default" for the shipped price.`,
    );
  }
  return { model, input: n[0]!, output: n[1]!, cache_write: n[2]!, cache_read: n[3]! };
}

export async function priceConfig(
  sub: string | undefined,
  key: string,
  value: string | undefined,
  extra: string[],
  api: ControlApi,
  io: CliIo,
): Promise<number> {
  const user = (await api.getSettings()).model_prices;
  if (sub === 'get') {
    if (key === PRICES_KEY) io.out(JSON.stringify(user, null, 2));
    else if (key === TABLE_KEY) for (const r of priceTable(user)) io.out(describe(r, user));
    else {
      const model = key.slice(ONE_PREFIX.length);
      const row = findPrice(model, priceTable(user));
      io.out(
        row
          ? describe(row, user)
          : `${model} has no price: requests it serves show "no price". Set one: switchyard config set price.${model} INPUT,OUTPUT,CACHE_WRITE,CACHE_READ`,
      );
    }
    return 0;
  }
  if (sub !== 'set' || key === TABLE_KEY)
    throw new UsageError(`Usage: switchyard config get prices | config get|set price.MODEL | config get|set ${PRICES_KEY}`);
  if (value === undefined || extra.length > 0)
    throw new UsageError(`Usage: switchyard config set ${key} ${key === PRICES_KEY ? 'JSON' : 'INPUT,OUTPUT,CACHE_WRITE,CACHE_READ'}`);
  let rows: PriceRow[];
  if (key === PRICES_KEY) {
    try {
      rows = JSON.parse(value) as PriceRow[];
    } catch {
      throw new UsageError(`${PRICES_KEY} must be a JSON list, e.g. '[{"model":"glm-4.6*","input":0.6,"output":2.2,"cache_write":0.6,"cache_read":0.11}]'.`);
    }
  } else {
    const model = key.slice(ONE_PREFIX.length);
    const others = user.filter((r) => r.model.toLowerCase() !== model.toLowerCase());
    if (value.trim().toLowerCase() === 'default') {
      if (!DEFAULT_PRICES.some((r) => r.model.toLowerCase() === model.toLowerCase()) && others.length === user.length) {
        io.out(`${model} had no price of its own; nothing changed.`);
        return 0;
      }
      rows = others;
    } else {
      rows = [...others, parseRates(model, value)];
    }
  }
  const updated = (await api.updateSettings({ model_prices: rows })).model_prices;
  if (key === PRICES_KEY) io.out(`${PRICES_KEY} = ${JSON.stringify(updated)}`);
  else {
    const model = key.slice(ONE_PREFIX.length);
    const row = findPrice(model, priceTable(updated));
    io.out(row ? describe(row, updated) : `${model} has no price now.`);
  }
  return 0;
}
