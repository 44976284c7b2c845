// Usage of a team: each gateway adds its requests to the store's counters (per hour and per day, per
// account, model and gateway), a few at a time, through the outbox; the Stats page reads the sum of all
// gateways from the store, or of one gateway when asked. While the store is away the report is the last
// one read plus what this gateway counted since.

import { emptyCounts, isUnpriced, type RequestLogEntry, type StatsBucket, type StatsQuery, type StatsReport } from '../contract/index.js';
import type { UsageLedger } from '../logs/usage-ledger.js';
import { DAILY_RETENTION_MS, HOURLY_RETENTION_MS, localDay, sumCounts } from '../logs/usage-stats.js';
import type { Outbox, StatsRow } from './outbox.js';
import { KEYS } from './team-keys.js';
import type { TeamConnection } from './team-connection.js';

const HOUR_MS = 3_600_000;
const FLUSH_MS = 500;
/** Cost is counted in whole billionths of a dollar: the store's counters add integers only. */
const COUNTERS = ['requests', 'failures', 'input_tokens', 'output_tokens', 'cost_nano', 'unpriced'] as const;
const NANO = 1e9;
type Counter = (typeof COUNTERS)[number];
type Bucket = 'hour' | 'day';
const RETENTION: Record<Bucket, number> = { hour: HOURLY_RETENTION_MS, day: DAILY_RETENTION_MS };

/** A counter's field in a bucket's hash: which account, model and gateway, and which counter. */
function field(account: string | null, model: string, instance: string, counter: Counter): string {
  return JSON.stringify([account ?? '', model, instance, counter]);
}

export class TeamUsage implements UsageLedger {
  private pending = new Map<string, StatsRow>();
  private timer: NodeJS.Timeout | null = null;
  private today = { start: 0, end: 0 };
  /** The last report read from the store, per bucket size, for while it is away. */
  private lastRead: Partial<Record<Bucket, Map<string, number>>> = {};

  constructor(
    private readonly conn: TeamConnection,
    private readonly outbox: Outbox,
    private readonly instance: string,
    private readonly now: () => number = Date.now,
  ) {}

  async load(): Promise<void> {}

  record(entry: RequestLogEntry): void {
    if (entry.route !== 'messages') return;
    const t = entry.time;
    if (t < this.today.start || t >= this.today.end) this.today = localDay(t);
    const model = entry.mapped_model ?? entry.inbound_model ?? 'unknown';
    const amounts: Record<Counter, number> = {
      requests: 1,
      failures: entry.status >= 400 ? 1 : 0,
      input_tokens: entry.input_tokens ?? 0,
      output_tokens: entry.output_tokens ?? 0,
      cost_nano: Math.round((entry.cost_usd ?? 0) * NANO),
      unpriced: isUnpriced(entry) ? 1 : 0,
    };
    for (const [bucket, start] of [
      ['hour', t - (t % HOUR_MS)],
      ['day', this.today.start],
    ] as const) {
      for (const counter of COUNTERS) {
        if (amounts[counter] === 0) continue;
        const f = field(entry.account_id, model, this.instance, counter);
        const key = `${bucket}\n${start}\n${f}`;
        const row = this.pending.get(key);
        if (row) row[3] += amounts[counter];
        else this.pending.set(key, [bucket, String(start), f, amounts[counter], RETENTION[bucket]]);
      }
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.push(), FLUSH_MS);
      this.timer.unref();
    }
  }

  async report(query: StatsQuery): Promise<StatsReport> {
    const bucket: Bucket = query.bucket;
    let stored = this.lastRead[bucket];
    try {
      stored = await this.read(bucket, query.since ?? 0, query.until ?? Number.MAX_SAFE_INTEGER);
      this.lastRead[bucket] = stored;
    } catch {
      this.conn.markDown();
    }
    const counts = new Map(stored ?? []);
    // What this gateway counted that the store has not got yet.
    const unsent: StatsRow[] = [...this.pending.values()];
    for (const w of this.outbox.waiting()) if (w.k === 'stats') unsent.push(...w.rows);
    for (const [b, start, f, n] of unsent) {
      if (b !== bucket) continue;
      const key = `${start}\n${f}`;
      counts.set(key, (counts.get(key) ?? 0) + n);
    }
    const rows = new Map<string, StatsBucket>();
    for (const [key, n] of counts) {
      const nl = key.indexOf('\n');
      const start = Number(key.slice(0, nl));
      if (start < (query.since ?? -Infinity) || start >= (query.until ?? Infinity)) continue;
      const [account, model, instance, counter] = JSON.parse(key.slice(nl + 1)) as [string, string, string, Counter];
      if (query.instance !== undefined && instance !== query.instance) continue;
      const rowKey = `${start}\n${account}\n${model}`;
      let row = rows.get(rowKey);
      if (!row) {
        row = { start, account_id: account === '' ? null : account, model, ...emptyCounts() };
        rows.set(rowKey, row);
      }
      if (counter === 'cost_nano') row.cost_usd += n / NANO;
      else row[counter] += n;
    }
    const buckets = [...rows.values()].sort(
      (a, b) => a.start - b.start || (a.account_id ?? '').localeCompare(b.account_id ?? '') || a.model.localeCompare(b.model),
    );
    return { bucket, buckets, totals: sumCounts(buckets) };
  }

  async flush(): Promise<void> {
    this.push();
    await this.outbox.drain();
  }

  private push(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    const now = this.now();
    this.outbox.push({ k: 'stats', rows, prune: { hour: String(now - HOURLY_RETENTION_MS), day: String(now - DAILY_RETENTION_MS) } });
  }

  /** Counts per `start\nfield` of the buckets starting in [since, until). */
  private async read(bucket: Bucket, since: number, until: number): Promise<Map<string, number>> {
    const starts = await this.conn.cmd.zrangebyscore(KEYS.statsIndex(bucket), since, `(${until}`);
    const pipeline = this.conn.cmd.pipeline();
    for (const start of starts) pipeline.hgetall(KEYS.statsBucket(bucket, Number(start)));
    const results = starts.length === 0 ? [] : ((await pipeline.exec()) ?? []);
    const out = new Map<string, number>();
    results.forEach(([err, hash], i) => {
      if (err) throw err;
      for (const [f, n] of Object.entries(hash as Record<string, string>)) out.set(`${starts[i]}\n${f}`, Number(n));
    });
    return out;
  }
}
