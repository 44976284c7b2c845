// The request log: every answered request lands in a ring buffer (what the console lists), goes out live
// through `onEntry`, and is queued for the persistent history. `record` sits on the hot path of every
// request, so it only pushes to memory; the disk sees one batched append per flush interval.

import type { RequestLogEntry, RequestQuery } from '../contract/index.js';
import { reportUnhandled } from '../lib/report.js';
import { SerialQueue } from '../lib/serial-queue.js';
import type { RequestHistory } from './request-history.js';
import { logged, type LoggedEntry } from './logged-entry.js';
import { RingBuffer } from './ring-buffer.js';

export type { RequestHistory } from './request-history.js';
export { FileRequestHistory, type FileRequestHistoryOptions } from './file-request-history.js';

const DEFAULT_FLUSH_INTERVAL_MS = 250;
const DEFAULT_LIST_LIMIT = 100;
/**
 * Entries waiting for a stalled disk. Past this the oldest are dropped: history keeps only the newest
 * entries anyway (log_history_limit is at most 100 000), and memory must stay bounded.
 */
const MAX_PENDING_ENTRIES = 100_000;

export interface RequestLogOptions {
  /** Entries kept in memory for `list`. */
  memoryLimit: number;
  history?: RequestHistory;
  /** Live feed, called synchronously from `record`. */
  onEntry?: (e: RequestLogEntry) => void;
  flushIntervalMs?: number;
  /** A throwing `onEntry` or a failing history; by default a process warning. History failures are reported once per streak. */
  onError?: (error: unknown) => void;
}

export class RequestLog {
  private readonly ring: RingBuffer<LoggedEntry>;
  private readonly history: RequestHistory | undefined;
  private readonly onEntry: ((e: RequestLogEntry) => void) | undefined;
  private readonly onError: (error: unknown) => void;
  private readonly flushIntervalMs: number;
  private readonly writes = new SerialQueue();
  private pending: LoggedEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private historyFailing = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(opts: RequestLogOptions) {
    this.ring = new RingBuffer(Math.max(0, Math.floor(opts.memoryLimit)));
    this.history = opts.history;
    this.onEntry = opts.onEntry;
    this.onError = opts.onError ?? ((error) => reportUnhandled('request log', error));
    this.flushIntervalMs = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  }

  /** Fills the ring buffer from history at startup. Entries already in memory stay the newest. */
  async load(): Promise<void> {
    if (!this.history || this.ring.capacity === 0) return;
    let stored: RequestLogEntry[];
    try {
      stored = await this.history.load(this.ring.capacity);
    } catch (error) {
      // Without history the gateway still works; the console just starts empty.
      this.report(error);
      return;
    }
    const current = this.ring.oldestFirst();
    const seen = new Set(current.map((e) => e.id));
    this.ring.clear();
    for (const entry of stored) if (!seen.has(entry.id)) this.ring.push(logged(entry));
    for (const entry of current) this.ring.push(entry);
  }

  /** O(1), never blocks, never throws. */
  record(entry: RequestLogEntry): void {
    const kept = logged(entry);
    this.ring.push(kept);
    if (this.onEntry) {
      try {
        this.onEntry(entry);
      } catch (error) {
        this.report(error);
      }
    }
    if (!this.history || this.closed) return;
    this.pending.push(kept);
    // Amortised O(1): halve the backlog only when it reaches twice the cap.
    if (this.pending.length >= 2 * MAX_PENDING_ENTRIES) this.pending.splice(0, this.pending.length - MAX_PENDING_ENTRIES);
    this.scheduleFlush();
  }

  /**
   * An entry another gateway of the same pool recorded: listed here beside this gateway's own, but
   * kept in history and counted by the gateway that served it.
   */
  ingest(entry: RequestLogEntry): void {
    this.ring.push(logged(entry));
  }

  /**
   * Newest first by arrival time (entries are recorded when they finish, so a long stream is recorded
   * after shorter requests that arrived later); `before_time` pages backwards.
   */
  list(q: RequestQuery = {}): RequestLogEntry[] {
    const limit = q.limit ?? DEFAULT_LIST_LIMIT;
    const before = q.before_time;
    let entries = this.ring.newestFirst();
    if (before !== undefined) entries = entries.filter((e) => e.time < before);
    if (q.instance !== undefined) {
      const instance = q.instance;
      entries = entries.filter((e) => e.instance === instance);
    }
    // Stable: entries with the same time keep newest-recorded first.
    entries.sort((a, b) => b.time - a.time);
    // Only the page asked for is turned back into objects.
    return entries.slice(0, limit).map((e) => JSON.parse(e.json) as RequestLogEntry);
  }

  async clear(): Promise<void> {
    this.ring.clear();
    this.pending = [];
    this.cancelFlush();
    const history = this.history;
    if (history) await this.writes.run(() => history.clear());
  }

  /** Flushes pending history writes and closes the history. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.cancelFlush();
      await this.flush();
      if (this.history) await this.history.close();
    })();
    return this.closing;
  }

  /** Writes everything recorded so far to history now. */
  flush(): Promise<void> {
    const history = this.history;
    if (!history) return Promise.resolve();
    return this.writes.run(async () => {
      // Taken when the write starts, not when it was asked for: a slow disk gets bigger batches.
      const batch = this.pending;
      if (batch.length === 0) return;
      this.pending = [];
      try {
        await history.append(batch);
        this.historyFailing = false;
      } catch (error) {
        if (!this.historyFailing) this.report(error);
        this.historyFailing = true;
      }
    });
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
    // Shutdown calls close(); a pending flush must not keep the process alive on its own.
    this.timer.unref();
  }

  private cancelFlush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private report(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // record() promises never to throw, whatever the error handler does.
    }
  }
}
