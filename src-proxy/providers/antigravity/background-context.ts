// An AttemptContext for calls that belong to an account rather than to one client request (project
// discovery, quota refresh): its own deadline, so one client going away does not fail the others waiting.

import { onAbortOf } from '../shared/on-abort.js';
import { UpstreamError, type AttemptContext, type UpstreamFailure } from '../types.js';

export interface BackgroundContext {
  ctx: AttemptContext;
  dispose(): void;
}

export function backgroundContext(timeoutMs: number, requestId: string): BackgroundContext {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  timer.unref();
  const signal = controller.signal;
  return {
    ctx: {
      signal,
      onAbort: onAbortOf(signal),
      forwardHeaders: {},
      requestId,
      headersTimeoutMs: timeoutMs,
      idleTimeoutMs: timeoutMs,
    },
    dispose() {
      clearTimeout(timer);
      controller.abort();
    },
  };
}

/** Runs `work` on a background context of its own; an UpstreamError it throws is returned as the failure. */
export async function inBackground<T>(
  timeoutMs: number,
  requestId: string,
  work: (ctx: AttemptContext) => Promise<T>,
): Promise<T | { failure: UpstreamFailure }> {
  const bg = backgroundContext(timeoutMs, requestId);
  try {
    return await work(bg.ctx);
  } catch (err) {
    if (err instanceof UpstreamError) return { failure: err.failure };
    throw err;
  } finally {
    bg.dispose();
  }
}
