// What this gateway has to tell the team store, in order, until the store has it. Requests only push
// here and never wait: a batch goes out on the next turn of the event loop, one batch at a time, as one
// script call. While the store is away the writes wait (account writes to one account merged into one,
// the request log bounded), and go out in order when it is back; the store skips any write it already
// applied, so a batch resent after a lost answer counts nothing twice.

import { mergeFieldOps, type FieldOps } from './account-fields.js';
import { PREFIX } from './team-keys.js';
import type { TeamConnection } from './team-connection.js';

export type Write =
  | ({ k: 'acct'; id: string; create?: number } & FieldOps)
  | { k: 'acct-rm'; id: string }
  | { k: 'secret'; id: string; v?: string }
  | { k: 'settings'; set: Record<string, string> }
  | { k: 'bind'; sk: string; bk: string; a: string; t: number; max: number }
  | { k: 'stats'; rows: StatsRow[]; prune: Record<string, string> }
  | { k: 'log'; e: string; max: number }
  | { k: 'log-clear' };

/** [bucket size, bucket start, field, amount, time to live in ms] */
export type StatsRow = [string, string, string, number, number];

type Queued = Write & { s: number };

const BATCH = 256;
/** Request log entries waiting for the store; past this the oldest go (the log is capped anyway). */
const MAX_WAITING_LOG = 10_000;
const RETRY_MS = 500;

export class Outbox {
  private queue: Queued[] = [];
  private seq = 0;
  private acked = 0;
  private sending = false;
  private scheduled = false;
  private retry: NodeJS.Timeout | null = null;
  private waitingLog = 0;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];

  constructor(
    private readonly conn: TeamConnection,
    readonly origin: string,
    private readonly onError: (err: unknown) => void,
  ) {
    conn.events.on('up', () => this.schedule());
  }

  /** Queues a write and returns its sequence number; it goes out on the next turn. */
  push(write: Write): number {
    const s = ++this.seq;
    if (!this.merged(write, s)) {
      this.queue.push({ ...write, s } as Queued);
      if (write.k === 'log' && ++this.waitingLog > MAX_WAITING_LOG) this.dropOldestLog();
    }
    this.schedule();
    return s;
  }

  /** Resolves when the store has applied write `seq` (or a later one of this gateway). */
  applied(seq: number): Promise<void> {
    if (this.acked >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  get lastApplied(): number {
    return this.acked;
  }

  /** Writes queued or on their way, oldest first (for a picture that must include them). */
  waiting(): readonly Write[] {
    return this.queue;
  }

  /** Sends what is queued now; resolves when the queue is empty or the store does not answer. */
  async drain(): Promise<void> {
    this.scheduled = false;
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0 && this.conn.reachable) {
        const batch = this.queue.slice(0, BATCH);
        let last: number;
        try {
          last = await this.conn.cmd.syApply(PREFIX, this.origin, JSON.stringify(batch));
        } catch (err) {
          this.conn.markDown();
          // The store refusing a write is a bug worth reporting; a store that is away shows in the status.
          if ((err as Error).name === 'ReplyError') this.onError(err);
          this.retryLater();
          return;
        }
        this.conn.markUp();
        this.acknowledge(Math.max(last, batch[batch.length - 1]!.s));
      }
    } finally {
      this.sending = false;
    }
    if (this.queue.length > 0) this.retryLater();
  }

  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private acknowledge(upTo: number): void {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.s <= upTo) {
      if (this.queue[n]!.k === 'log') this.waitingLog--;
      n++;
    }
    this.queue.splice(0, n);
    this.acked = Math.max(this.acked, upTo);
    const ready = this.waiters.filter((w) => w.seq <= this.acked);
    this.waiters = this.waiters.filter((w) => w.seq > this.acked);
    for (const w of ready) w.resolve();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.drain());
  }

  private retryLater(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.drain();
    }, RETRY_MS);
    this.retry.unref();
  }

  // An account write joins the one for the same account still waiting at the end of the queue (not yet
  // sent), and counters join counters: a long outage keeps one write per account, not one per request.
  private merged(write: Write, s: number): boolean {
    const firstUnsent = this.sending ? Math.min(BATCH, this.queue.length) : 0;
    for (let i = this.queue.length - 1; i >= firstUnsent; i--) {
      const q = this.queue[i]!;
      if (write.k === 'acct' && write.create === undefined && q.k === 'acct' && q.id === write.id) {
        this.queue.splice(i, 1);
        this.queue.push({ ...mergeFieldOps(q, write), k: 'acct', id: q.id, ...(q.create !== undefined ? { create: q.create } : {}), s });
        return true;
      }
      if (write.k === 'stats' && q.k === 'stats') {
        this.queue.splice(i, 1);
        this.queue.push({ k: 'stats', rows: sumRows([...q.rows, ...write.rows]), prune: write.prune, s });
        return true;
      }
      // Nothing is merged across a write to the same account that is not a plain update.
      if (write.k === 'acct' && (q.k === 'acct-rm' || q.k === 'secret') && q.id === write.id) return false;
    }
    return false;
  }

  private dropOldestLog(): void {
    const firstUnsent = this.sending ? Math.min(BATCH, this.queue.length) : 0;
    const i = this.queue.findIndex((q, n) => n >= firstUnsent && q.k === 'log');
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.waitingLog--;
    }
  }
}

function sumRows(rows: readonly StatsRow[]): StatsRow[] {
  const byField = new Map<string, StatsRow>();
  for (const row of rows) {
    const key = `${row[0]}\n${row[1]}\n${row[2]}`;
    const seen = byField.get(key);
    if (seen) seen[3] += row[3];
    else byField.set(key, [...row]);
  }
  return [...byField.values()];
}
