// Whether an upstream that can answer either way (an Anthropic-compatible one) is asked for a stream or
// for one JSON message, when the client itself wants one JSON message.
//
// A stream's headers come at once, so an account that does not answer is left after
// upstream_headers_timeout_ms while a long answer keeps coming. A JSON answer's headers come only when
// the whole answer is written, so its wait for them is the generation itself. A stream costs both ends
// an event per piece and the gateway a collection, which is most of what a short answer costs, so
// it is asked for only when it is needed: when the answer may take longer than the headers wait allows.
// How long an answer may take is the official SDKs' own estimate, the one they use to refuse a
// non-streaming request that may outlast their timeout: an hour for 128,000 output tokens.

/** Output tokens an hour, as the official SDKs reckon a non-streaming answer's time. */
export const SDK_TOKENS_PER_HOUR = 128_000;

/** The most a JSON answer's expected time may take of the headers wait: the rest is the margin for a slow one. */
const SHARE_OF_HEADERS_WAIT = 0.5;

/** How long the official SDKs expect an answer of up to `maxTokens` tokens to take, ms. */
export function expectedAnswerMs(maxTokens: number): number {
  return (3_600_000 * maxTokens) / SDK_TOKENS_PER_HOUR;
}

/**
 * Whether to ask the upstream for a stream: always when the client streams; for one JSON message only
 * when its expected time exceeds half the headers wait (a missing or odd `max_tokens` counts as long).
 */
export function asksForStream(body: { stream?: unknown; max_tokens?: unknown }, headersTimeoutMs: number): boolean {
  if (body.stream === true) return true;
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isFinite(maxTokens) || maxTokens < 0) return true;
  // 0: no headers wait of its own; only the deadline bounds the wait, so nothing is gained by a stream.
  if (headersTimeoutMs <= 0) return false;
  return expectedAnswerMs(maxTokens) > headersTimeoutMs * SHARE_OF_HEADERS_WAIT;
}
