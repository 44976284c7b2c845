// The log entry of one request, filled in as the pipeline goes and published exactly once.

import type { AttemptRecord, RequestLogEntry } from '../contract/index.js';

export type EntryFields = Omit<RequestLogEntry, 'id' | 'time' | 'latency_ms' | 'ttfb_ms' | 'status'>;

export class RequestRecord {
  readonly entry: EntryFields;
  private readonly startedAt = performance.now();
  private readonly time = Date.now();
  private ttfb: number | null = null;
  private published = false;
  /** A handler is still working on this request. */
  busy = false;

  constructor(
    readonly id: string,
    method: string,
    path: string,
    route: RequestLogEntry['route'],
    private readonly publish: (entry: RequestLogEntry) => void,
  ) {
    this.entry = {
      method,
      path,
      route,
      inbound_model: null,
      mapped_model: null,
      provider: null,
      account_id: null,
      account_label: null,
      stream: false,
      attempts: [],
      input_tokens: null,
      output_tokens: null,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: null,
      stop_reason: null,
      local: null,
      error_type: null,
      error_message: null,
      client_aborted: false,
    };
  }

  /** Notes one upstream attempt that started at `startedAt` (performance.now()). */
  attempt(account: { id: string; label: string }, startedAt: number, outcome: Pick<AttemptRecord, 'status' | 'failure' | 'message'>): void {
    this.entry.attempts.push({
      account_id: account.id,
      account_label: account.label,
      ...outcome,
      latency_ms: Math.round(performance.now() - startedAt),
    });
  }

  /** Marks the first byte of the response body; later calls keep the first value. */
  firstByte(): void {
    this.ttfb ??= performance.now() - this.startedAt;
  }

  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  finish(status: number): void {
    if (this.published) return;
    this.published = true;
    this.publish({
      id: this.id,
      time: this.time,
      status,
      latency_ms: round(this.elapsed()),
      ttfb_ms: this.ttfb === null ? null : round(this.ttfb),
      ...this.entry,
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
