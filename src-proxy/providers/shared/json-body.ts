// The JSON bytes of a translated request, with the long strings in them encoded once per session rather
// than once per turn. Claude Code sends the whole conversation on every turn: the tool results, file
// contents and long prompts of a session come back request after request, and escaping each of them
// into JSON, then encoding the JSON text into bytes, was most of what translating a long session's
// request cost. A long string's bytes are kept, keyed on the string itself, so the next turn that
// carries the same string copies them instead; everything else is written as JSON.stringify writes it.
// The bytes are those JSON.stringify would give, byte for byte.

/** Strings shorter than this cost less to escape than to look up. */
export const MIN_KEPT_LENGTH = 1024;

export interface LongStringCacheOptions {
  /** What the kept strings and their bytes may add up to, in bytes (a string counted at one byte a character). */
  budgetBytes?: number;
}

/** Enough for the tool results and file contents of several long sessions. */
const DEFAULT_BUDGET_BYTES = 8 * 1024 * 1024;

interface Kept {
  text: string;
  bytes: Buffer;
  /** The write that used it last. */
  write: number;
}

/**
 * Long strings and their JSON bytes, the most recently used last, within a budget. An entry used by the
 * write in progress is never dropped to make room: when one request's strings alone fill the budget,
 * the ones that came first stay (they are the start of the conversation, which the next turn resends)
 * and the rest are encoded each time, as without the cache.
 *
 * Entries are found by length, then compared: a Map keyed on the strings themselves would hash each
 * string of a new request in full, which costs about half of what escaping it does.
 */
export class LongStringCache {
  private readonly byLength = new Map<number, Kept[]>();
  /** Least recently used first. */
  private readonly order = new Set<Kept>();
  private readonly budget: number;
  private used = 0;
  private writes = 0;

  constructor(opts: LongStringCacheOptions = {}) {
    this.budget = opts.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  }

  /** Starts a write: what it uses is kept until the next one starts. */
  begin(): void {
    this.writes++;
  }

  /** The JSON bytes of `s` (its quotes included). */
  bytesOf(s: string): Buffer {
    const kept = this.find(s);
    if (kept) {
      this.order.delete(kept);
      this.order.add(kept);
      kept.write = this.writes;
      return kept.bytes;
    }
    const bytes = Buffer.from(JSON.stringify(s));
    const cost = s.length + bytes.length;
    if (cost <= this.budget && this.makeRoom(cost)) this.keep({ text: s, bytes, write: this.writes }, cost);
    return bytes;
  }

  get size(): number {
    return this.order.size;
  }

  /** Bytes held, strings and their JSON together. */
  get heldBytes(): number {
    return this.used;
  }

  private find(s: string): Kept | undefined {
    const bucket = this.byLength.get(s.length);
    if (bucket) for (const kept of bucket) if (kept.text === s) return kept;
    return undefined;
  }

  private keep(kept: Kept, cost: number): void {
    const bucket = this.byLength.get(kept.text.length);
    if (bucket) bucket.push(kept);
    else this.byLength.set(kept.text.length, [kept]);
    this.order.add(kept);
    this.used += cost;
  }

  private makeRoom(cost: number): boolean {
    while (this.used + cost > this.budget) {
      const oldest = this.order.values().next();
      if (oldest.done || oldest.value.write === this.writes) return false;
      this.drop(oldest.value);
    }
    return true;
  }

  private drop(kept: Kept): void {
    this.order.delete(kept);
    const bucket = this.byLength.get(kept.text.length)!;
    if (bucket.length === 1) this.byLength.delete(kept.text.length);
    else bucket.splice(bucket.indexOf(kept), 1);
    this.used -= kept.text.length + kept.bytes.length;
  }
}

/** Collects the text between long strings and the long strings' bytes, then joins them. */
class Pieces {
  text = '';
  private readonly parts: Buffer[] = [];
  private size = 0;

  bytes(b: Buffer): void {
    this.flush();
    this.parts.push(b);
    this.size += b.length;
  }

  join(): Buffer {
    this.flush();
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
  }

  private flush(): void {
    if (this.text === '') return;
    const b = Buffer.from(this.text);
    this.parts.push(b);
    this.size += b.length;
    this.text = '';
  }
}

/** `JSON.stringify(value)` as UTF-8 bytes, with every string of MIN_KEPT_LENGTH or more taken from (and kept in) `cache`. */
export function jsonBody(value: unknown, cache: LongStringCache): Buffer {
  cache.begin();
  const out = new Pieces();
  write(value, out, cache);
  return out.join();
}

function write(value: unknown, out: Pieces, cache: LongStringCache): void {
  if (typeof value === 'string') {
    if (value.length >= MIN_KEPT_LENGTH) out.bytes(cache.bytesOf(value));
    else out.text += JSON.stringify(value);
    return;
  }
  // Numbers, booleans, null, anything that says how it is written, and an object or array that holds
  // neither another one nor a long string: as JSON.stringify writes them, which it does faster.
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function' || isLeaf(value)) {
    out.text += JSON.stringify(value);
    return;
  }
  if (Array.isArray(value)) {
    out.text += '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.text += ',';
      const item: unknown = value[i];
      if (omitted(item)) out.text += 'null';
      else write(item, out, cache);
    }
    out.text += ']';
    return;
  }
  out.text += '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (omitted(item)) continue;
    out.text += first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`;
    first = false;
    write(item, out, cache);
  }
  out.text += '}';
}

/** An object or array whose values are all neither objects nor long strings. */
function isLeaf(value: object): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlain(value[i])) return false;
    return true;
  }
  for (const key in value) if (!isPlain((value as Record<string, unknown>)[key])) return false;
  return true;
}

function isPlain(value: unknown): boolean {
  return typeof value === 'string' ? value.length < MIN_KEPT_LENGTH : typeof value !== 'object' || value === null;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
