// AttemptContext.onAbort for a caller that holds an ordinary AbortSignal (background work, tests).

import type { AttemptContext } from '../types.js';

/** AttemptContext.onAbort over an AbortSignal: called at once if it already fired; returns an unsubscribe. */
export function onAbortOf(signal: AbortSignal): AttemptContext['onAbort'] {
  return (listener) => {
    if (signal.aborted) {
      listener();
      return () => {};
    }
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  };
}
