// An AttemptContext for calls that belong to an account rather than to one client request (project
// discovery, quota refresh): its own deadline, so one client going away does not fail the others waiting,
// and the provider's closing, which ends them all (a hanging call would hold its connection pool open).

import { onAbortOf } from '../shared/on-abort.js';
import { UpstreamError, type AttemptContext, type UpstreamFailure } from '../types.js';

export interface BackgroundContext {
  ctx: AttemptContext;
  dispose(): void;
}

export function backgroundContext(timeoutMs: number, requestId: string, closing?: AbortSignal): BackgroundContext {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  timer.unref();
  const onClosing = () => controller.abort(new Error('the provider is closing'));
  if (closing?.aborted) onClosing();
  else closing?.addEventListener('abort', onClosing, { once: true });
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
      closing?.removeEventListener('abort', onClosing);
      controller.abort();
    },
  };
}

/** Runs `work` on a background context of its own; an UpstreamError it throws is returned as the failure. */
export async function inBackground<T>(
  timeoutMs: number,
  requestId: string,
  work: (ctx: AttemptContext) => Promise<T>,
  closing?: AbortSignal,
): Promise<T | { failure: UpstreamFailure }> {
  const bg = backgroundContext(timeoutMs, requestId, closing);
  try {
    return await work(bg.ctx);
  } catch (err) {
    if (err instanceof UpstreamError) return { failure: err.failure };
    throw err;
  } finally {
    bg.dispose();
  }
}
