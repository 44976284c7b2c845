// An AttemptContext for calling a provider directly, abandoned through an ordinary AbortSignal.

import type { AttemptContext } from '../../src-proxy/providers/types.js';

export function attemptContext(signal: AbortSignal = new AbortController().signal, timeoutMs = 10_000): AttemptContext {
  return {
    signal,
    onAbort(listener) {
      if (signal.aborted) {
        listener();
        return () => {};
      }
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
    forwardHeaders: { 'anthropic-version': '2023-06-01' },
    requestId: 'req_test',
    headersTimeoutMs: timeoutMs,
    idleTimeoutMs: timeoutMs,
  };
}
