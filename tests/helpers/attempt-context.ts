// An AttemptContext for calling a provider directly, abandoned through an ordinary AbortSignal.

import { onAbortOf } from '../../src-proxy/providers/shared/on-abort.js';
import type { AttemptContext } from '../../src-proxy/providers/types.js';

export function attemptContext(signal: AbortSignal = new AbortController().signal, timeoutMs = 10_000): AttemptContext {
  return {
    signal,
    onAbort: onAbortOf(signal),
    forwardHeaders: { 'anthropic-version': '2023-06-01' },
    requestId: 'req_test',
    headersTimeoutMs: timeoutMs,
    idleTimeoutMs: timeoutMs,
  };
}
