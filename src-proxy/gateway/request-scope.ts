// The life of one request as the upstream calls see it: it ends when the client goes away or when the
// request's deadline runs out, and says which of the two it was. Listeners are plain callbacks; an
// AbortSignal is made only for code that asks for one, since creating one costs more than the rest of
// this object on every request.

import type { ServerResponse } from 'node:http';

export type EndReason = 'client' | 'deadline';

export class RequestScope {
  private controller: AbortController | null = null;
  private listeners: Array<() => void> = [];
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

  /** Aborted when the request ends early. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason !== null) this.controller.abort();
    }
    return this.controller.signal;
  }

  /** Calls `listener` once when the request ends early (at once if it already has); returns an unsubscribe. */
  onEnd(listener: () => void): () => void {
    if (this.reason !== null) {
      listener();
      return noop;
    }
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
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
    this.controller?.abort();
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

function noop(): void {}
