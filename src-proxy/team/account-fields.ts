// An account in the shared store is a hash of fields, so that two gateways writing different parts of
// one account never overwrite each other. The conflict rule, per field:
// - counters (requests, failures, tokens) are added, never overwritten, so every gateway's count lands;
// - a cooldown is one field per model (`cd:<model>`), so cooldowns for different models never collide;
//   one that has run out is never deleted remotely, so removing it cannot erase a fresh one another
//   gateway wrote meanwhile;
// - every other field (label, options, health, each learned value) is last write wins, in the order the
//   store received the writes, which every gateway then applies in the same order.
// Pure code: the Redis adapter sends what `diffAccount` says and rebuilds accounts with `accountFromFields`.

import { AccountSchema, type Account } from '../contract/index.js';

export type Fields = Record<string, string>;

export interface FieldOps {
  set: Fields;
  incr: Record<string, number>;
  del: string[];
}

const COUNTERS = ['requests', 'failures', 'input_tokens', 'output_tokens'] as const;
const COUNTER_FIELDS: ReadonlySet<string> = new Set(COUNTERS.map((c) => `stats:${c}`));

export function accountToFields(account: Account): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(account)) {
    if (value === undefined) continue;
    if (key === 'cooldowns') {
      for (const c of account.cooldowns) out[`cd:${c.model}`] = JSON.stringify({ until: c.until, reason: c.reason });
    } else if (key === 'learned' || key === 'stats') {
      for (const [k, v] of Object.entries(value as object)) if (v !== undefined) out[`${key}:${k}`] = JSON.stringify(v);
    } else {
      out[`f:${key}`] = JSON.stringify(value);
    }
  }
  return out;
}

/** The account the fields describe, or null when they are not a whole, valid account. */
export function accountFromFields(fields: Fields): Account | null {
  const raw: Record<string, unknown> = {};
  const cooldowns: unknown[] = [];
  const learned: Record<string, unknown> = {};
  const stats: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(fields)) {
    const colon = field.indexOf(':');
    if (colon < 0) continue;
    const group = field.slice(0, colon);
    const name = field.slice(colon + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (group === 'f') raw[name] = value;
    else if (group === 'cd') cooldowns.push({ model: name, ...(value as object) });
    else if (group === 'learned') learned[name] = value;
    else if (group === 'stats') stats[name] = value;
  }
  const parsed = AccountSchema.safeParse({ ...raw, cooldowns, learned, stats });
  return parsed.success ? parsed.data : null;
}

/** The writes that turn `before` into `after` under the conflict rule above. */
export function diffAccount(before: Account | null, after: Account, now: number): FieldOps {
  const was = before ? accountToFields(before) : {};
  const is = accountToFields(after);
  const ops: FieldOps = { set: {}, incr: {}, del: [] };
  for (const [field, text] of Object.entries(is)) {
    if (was[field] === text) continue;
    if (COUNTER_FIELDS.has(field)) {
      const delta = Number(text) - Number(was[field] ?? 0);
      if (delta !== 0) ops.incr[field] = delta;
    } else {
      ops.set[field] = text;
    }
  }
  for (const [field, text] of Object.entries(was)) {
    if (field in is || COUNTER_FIELDS.has(field)) continue;
    if (field.startsWith('cd:') && !stillRunning(text, now)) continue;
    ops.del.push(field);
  }
  return ops;
}

export function isEmpty(ops: FieldOps): boolean {
  return ops.del.length === 0 && Object.keys(ops.set).length === 0 && Object.keys(ops.incr).length === 0;
}

/** `fields` with `ops` applied, as the store applies them. */
export function applyFieldOps(fields: Fields, ops: FieldOps): Fields {
  const out: Fields = { ...fields };
  for (const [field, text] of Object.entries(ops.set)) out[field] = text;
  for (const [field, delta] of Object.entries(ops.incr)) out[field] = String(Number(out[field] ?? 0) + delta);
  for (const field of ops.del) delete out[field];
  return out;
}

/** One set of writes doing what `first` then `second` do. */
export function mergeFieldOps(first: FieldOps, second: FieldOps): FieldOps {
  const set: Fields = { ...first.set };
  const incr: Record<string, number> = { ...first.incr };
  const del = new Set(first.del);
  for (const [field, text] of Object.entries(second.set)) {
    set[field] = text;
    del.delete(field);
  }
  for (const [field, delta] of Object.entries(second.incr)) incr[field] = (incr[field] ?? 0) + delta;
  for (const field of second.del) {
    delete set[field];
    del.add(field);
  }
  return { set, incr, del: [...del] };
}

function stillRunning(cooldownText: string, now: number): boolean {
  try {
    return (JSON.parse(cooldownText) as { until: number }).until > now;
  } catch {
    return false;
  }
}
