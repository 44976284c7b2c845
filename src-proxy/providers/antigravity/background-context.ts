// An AttemptContext for calls that belong to an account rather than to one client request (project
// discovery, quota refresh): its own deadline, so one client going away does not fail the others waiting.

import type { AttemptContext } from '../types.js';

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
      onAbort(listener) {
        if (signal.aborted) {
          listener();
          return () => {};
        }
        signal.addEventListener('abort', listener, { once: true });
        return () => signal.removeEventListener('abort', listener);
      },
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
