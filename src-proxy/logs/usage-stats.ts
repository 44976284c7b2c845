// Usage over time: requests, failures and tokens per account and upstream model, added up per hour and
// per day as requests finish. Kept apart from the request history, so trimming the history (its limit is
// a setting) never erases what was used. `record` is on every request's path: it adds to two counters in
// memory; the store sees the whole table a few times a minute at most.

import { countEntry, emptyCounts, type RequestLogEntry, type StatsBucket, type StatsQuery, type StatsReport, type UsageCounts } from '../contract/index.js';
import type { UsageLedger } from './usage-ledger.js';

const HOUR_MS = 3_600_000;
/** Hourly detail for the last weeks, daily totals for the last year and a bit. */
export const HOURLY_RETENTION_MS = 35 * 24 * HOUR_MS;
export const DAILY_RETENTION_MS = 400 * 24 * HOUR_MS;
const DEFAULT_SAVE_DELAY_MS = 5000;

/** What the stats store keeps: both tables, oldest bucket first. */
export interface StatsSnapshot {
  hour: StatsBucket[];
  day: StatsBucket[];
}

export interface StatsStore {
  load(): Promise<StatsSnapshot | null>;
  save(snapshot: StatsSnapshot): Promise<void>;
}

export interface UsageStatsOptions {
  store?: StatsStore;
  now?: () => number;
  /** How long a change waits before the table is written; changes meanwhile ride along. */
  saveDelayMs?: number;
  onError?: (err: unknown) => void;
}

/** Midnight of the gateway machine's day holding `time`, and the next one (days are 23 to 25 hours long). */
export function localDay(time: number): { start: number; end: number } {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  const start = d.getTime();
  d.setDate(d.getDate() + 1);
  return { start, end: d.getTime() };
}

/** The model a request counts under: the upstream's, else the one asked for. */
function modelOf(entry: RequestLogEntry): string {
  return entry.mapped_model ?? entry.inbound_model ?? 'unknown';
}

class BucketTable {
  private readonly rows = new Map<string, StatsBucket>();

  add(start: number, entry: RequestLogEntry): void {
    const account = entry.account_id;
    const model = modelOf(entry);
    const key = `${start}\n${account ?? ''}\n${model}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { start, account_id: account, model, ...emptyCounts() };
      this.rows.set(key, row);
    }
    countEntry(row, entry);
  }

  restore(rows: readonly StatsBucket[]): void {
    for (const r of rows) this.rows.set(`${r.start}\n${r.account_id ?? ''}\n${r.model}`, { ...r });
  }

  prune(before: number): void {
    for (const [key, row] of this.rows) if (row.start < before) this.rows.delete(key);
  }

  select(since: number, until: number): StatsBucket[] {
    const out: StatsBucket[] = [];
    for (const row of this.rows.values()) if (row.start >= since && row.start < until) out.push({ ...row });
    return out.sort((a, b) => a.start - b.start || (a.account_id ?? '').localeCompare(b.account_id ?? '') || a.model.localeCompare(b.model));
  }
}

export class UsageStats implements UsageLedger {
  private readonly hour = new BucketTable();
  private readonly day = new BucketTable();
  private readonly store: StatsStore | undefined;
  private readonly now: () => number;
  private readonly saveDelayMs: number;
  private readonly onError: (err: unknown) => void;
  // The day being counted, so most requests need no date arithmetic.
  private today = { start: 0, end: 0 };
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(opts: UsageStatsOptions = {}) {
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.saveDelayMs = opts.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS;
    this.onError = opts.onError ?? (() => undefined);
  }

  async load(): Promise<void> {
    const snapshot = await this.store?.load();
    if (!snapshot) return;
    this.hour.restore(snapshot.hour);
    this.day.restore(snapshot.day);
    this.prune();
  }

  /** Counts one finished request. Model listings and local token estimates are not usage. */
  record(entry: RequestLogEntry): void {
    if (entry.route !== 'messages') return;
    const t = entry.time;
    if (t < this.today.start || t >= this.today.end) this.today = localDay(t);
    this.hour.add(t - (t % HOUR_MS), entry);
    this.day.add(this.today.start, entry);
    this.scheduleSave();
  }

  report(query: StatsQuery): StatsReport {
    const table = query.bucket === 'hour' ? this.hour : this.day;
    const buckets = table.select(query.since ?? -Infinity, query.until ?? Infinity);
    return { bucket: query.bucket, buckets, totals: sumCounts(buckets) };
  }

  /** Writes what is pending now and stops the timer. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.save();
    }
    await this.saving;
  }

  private scheduleSave(): void {
    if (!this.store || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save();
    }, this.saveDelayMs);
    this.timer.unref();
  }

  private save(): void {
    const store = this.store;
    if (!store) return;
    this.prune();
    const snapshot = this.snapshot();
    // One write at a time, in order; a failed write is reported and the next change writes everything again.
    this.saving = this.saving.then(() => store.save(snapshot)).catch(this.onError);
  }

  private prune(): void {
    const now = this.now();
    this.hour.prune(now - HOURLY_RETENTION_MS);
    this.day.prune(now - DAILY_RETENTION_MS);
  }

  private snapshot(): StatsSnapshot {
    return { hour: this.hour.select(-Infinity, Infinity), day: this.day.select(-Infinity, Infinity) };
  }
}

export function sumCounts(rows: readonly UsageCounts[]): UsageCounts {
  const total = emptyCounts();
  for (const r of rows) {
    total.requests += r.requests;
    total.failures += r.failures;
    total.input_tokens += r.input_tokens;
    total.output_tokens += r.output_tokens;
    total.cost_usd += r.cost_usd;
    total.unpriced += r.unpriced;
  }
  return total;
}
