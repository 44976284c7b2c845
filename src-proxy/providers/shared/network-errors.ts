// An exception from the HTTP client (no usable answer) as a failure kind with words that say what ran
// out or broke. The same for every provider: they all reach their upstream through undici.

import type { FailureKind } from '../../contract/index.js';
import type { UpstreamFailure } from '../types.js';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export interface TimeoutSettings {
  headersTimeoutMs: number;
  idleTimeoutMs: number;
}

/** A duration as an error message gives it: `1.5 s`. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The words name the limit that ran out, when `timeouts` says what the limits were. */
export function classifyNetworkError(err: unknown, timeouts?: TimeoutSettings): UpstreamFailure {
  const code = (err as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? code : 'network error';
  const kind: FailureKind = TIMEOUT_CODES.has(codeText) ? 'timeout' : 'network';
  const detail = err instanceof Error && err.message ? `${codeText}: ${err.message}` : codeText;
  let message: string;
  if (codeText === 'UND_ERR_HEADERS_TIMEOUT' && timeouts) {
    message = `upstream sent no response headers within ${seconds(timeouts.headersTimeoutMs)} (setting upstream_headers_timeout_ms; ${codeText})`;
  } else if (codeText === 'UND_ERR_BODY_TIMEOUT' && timeouts) {
    message = `upstream went silent for ${seconds(timeouts.idleTimeoutMs)} mid-answer (setting upstream_idle_timeout_ms; ${codeText})`;
  } else {
    message = kind === 'timeout' ? `upstream timed out (${detail})` : `upstream unreachable (${detail})`;
  }
  return { kind, status: null, message, retryAfterMs: null };
}

/** A failure while reading a body that had started: the stream broke (timeouts keep their own kind). */
export function streamFailure(err: unknown, timeouts: TimeoutSettings): UpstreamFailure {
  const failure = classifyNetworkError(err, timeouts);
  return failure.kind === 'timeout' ? failure : { ...failure, kind: 'stream', message: `upstream stream broke (${failure.message})` };
}
