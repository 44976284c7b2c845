// The life of one request as the upstream calls see it: one AbortSignal that fires when the client goes
// away or when the request's deadline runs out, and which of the two it was.

import type { ServerResponse } from 'node:http';

export type EndReason = 'client' | 'deadline';

export class RequestScope {
  private readonly controller = new AbortController();
  private readonly deadlineAt: number;
  private readonly timer: NodeJS.Timeout;
  private reason: EndReason | null = null;

  constructor(
    res: ServerResponse,
    readonly deadlineMs: number,
  ) {
    this.deadlineAt = performance.now() + deadlineMs;
    // 'close' before the response finished means the client went away: stop the upstream at once.
    res.once('close', () => {
      this.dispose();
      if (!res.writableFinished) this.end('client');
    });
    this.timer = setTimeout(() => this.end('deadline'), deadlineMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get clientGone(): boolean {
    return this.reason === 'client';
  }

  get deadlinePassed(): boolean {
    return this.reason === 'deadline';
  }

  get ended(): boolean {
    return this.reason !== null;
  }

  remainingMs(): number {
    return Math.max(0, this.deadlineAt - performance.now());
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private end(reason: EndReason): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.controller.abort();
  }
}
