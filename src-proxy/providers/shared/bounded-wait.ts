// Waiting on work shared by several requests (an account's project discovery, its model list, a token
// refresh) for no longer than one attempt may wait for an upstream to answer: its headers timeout, or
// its end (the client left, the deadline passed). The work itself goes on for whoever waits next.

import type { AttemptContext } from '../types.js';

export type WaitEnd = 'timeout' | 'ended';

/** `work`'s value, or `gaveUp(why)`'s when the attempt may wait no longer. */
export function waitBounded<T>(work: Promise<T>, ctx: Pick<AttemptContext, 'onAbort' | 'headersTimeoutMs'>, gaveUp: (why: WaitEnd) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let unsubscribe = (): void => {};
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      unsubscribe();
      fn();
    };
    const timer = ctx.headersTimeoutMs > 0 ? setTimeout(() => settle(() => resolve(gaveUp('timeout'))), ctx.headersTimeoutMs) : null;
    timer?.unref();
    // Called at once when the attempt has already ended.
    const off = ctx.onAbort(() => settle(() => resolve(gaveUp('ended'))));
    if (settled) off();
    else unsubscribe = off;
    work.then(
      (value) => settle(() => resolve(value)),
      (err: unknown) => settle(() => reject(err)),
    );
  });
}
