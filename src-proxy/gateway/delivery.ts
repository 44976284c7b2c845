// Sends a successful upstream answer in the shape the client asked for: a stream relayed batch by batch,
// a stream collected into one message, or a complete message sent as JSON or turned into a stream.
// Nothing is committed to the client until the first event is in hand, so a failure before it is still
// an attempt the runner can retry elsewhere. What ends the request (closing the stream, sending the
// JSON) is left to the exchange once the runner has noted the attempt.

import { collectMessage, IncompleteStreamError, messageToEvents, StreamErrorEvent } from '../anthropic/collector.js';
import { Frame, FrameBatch, framesOf } from '../anthropic/sse.js';
import type { Message } from '../anthropic/types.js';
import type { Redact } from '../lib/redactor.js';
import { UpstreamError, type AttemptSuccess, type UpstreamFailure } from '../providers/types.js';
import type { AttemptOutcome } from './attempt-runner.js';
import { failureFromErrorEvent, redactFailure, streamErrorEvent } from './error-responses.js';
import type { Exchange } from './exchange.js';
import type { HeaderMap } from './reply.js';
import type { RequestRecord } from './request-record.js';
import type { RequestScope } from './request-scope.js';
import type { SseResponse } from './sse-response.js';

/** What a delivered attempt leaves to send: a JSON answer, or nothing more when its stream is out. */
export type Delivery = { kind: 'json'; body: Buffer | string; headers: HeaderMap } | { kind: 'streamed' };

type Delivered = AttemptOutcome<Delivery>;

const STREAMED: Delivered = { ok: true, value: { kind: 'streamed' } };

function json(body: Buffer | string, headers: HeaderMap): Delivered {
  return { ok: true, value: { kind: 'json', body, headers } };
}

function notCommitted(failure: UpstreamFailure): Delivered {
  return { ok: false, failure, committed: false, accepted: true };
}

function committed(failure: UpstreamFailure): Delivered {
  return { ok: false, failure, committed: true, accepted: true };
}

/** `headers` are what the answer carries besides the request's own (relayed upstream headers). */
export async function deliver(ex: Exchange, wantsStream: boolean, result: AttemptSuccess, headers: HeaderMap): Promise<Delivered> {
  if (result.kind === 'message') {
    ex.record.usage(result.message.usage, result.message.stop_reason);
    if (wantsStream) return relay(ex, oneBatch(result.message), headers);
    return json(result.raw ?? JSON.stringify(result.message), headers);
  }
  return wantsStream ? relay(ex, result.batches, headers) : collect(ex, result.batches, headers);
}

async function collect(ex: Exchange, batches: AsyncIterable<FrameBatch>, headers: HeaderMap): Promise<Delivered> {
  let message: Message;
  try {
    message = await collectMessage(framesOf(batches));
  } catch (err) {
    return notCommitted(failureOf(err));
  }
  ex.record.usage(message.usage, message.stop_reason);
  return json(JSON.stringify(message), headers);
}

/**
 * Relays a stream batch by batch: each upstream chunk is one write of its own bytes, and only the type
 * of each event is looked at (plus the two that carry usage).
 */
async function relay(ex: Exchange, batches: AsyncIterable<FrameBatch>, headers: HeaderMap): Promise<Delivered> {
  const it = batches[Symbol.asyncIterator]();
  let batch: FrameBatch;
  try {
    batch = await firstEventBatch(it);
  } catch (err) {
    return notCommitted(failureOf(err));
  }
  if (batch.frames[0]!.type === 'error') {
    release(it);
    return notCommitted(failureFromErrorEvent(errorOf(batch.frames[0]!)));
  }

  const sse = ex.openStream(headers);
  try {
    return await pump(ex.record, ex.scope, ex.redact, it, batch, sse);
  } finally {
    // However the relay ended, the upstream body is let go: what is left of it drains (the connection
    // stays in the pool) or the connection is cut.
    release(it);
  }
}

/** Writes batches to the committed stream until its end, an error, or the end of the request. */
async function pump(
  record: RequestRecord,
  scope: RequestScope,
  redact: Redact,
  it: AsyncIterator<FrameBatch>,
  first: FrameBatch,
  sse: SseResponse,
): Promise<Delivered> {
  let batch = first;
  try {
    for (;;) {
      const end = observe(record, batch);
      // An upstream's error event is relayed as it came, but for the secrets it may quote.
      await sse.write(end === null || end === 'message_stop' ? batch.bytes : redact(batch.bytes.toString()));
      if (end === 'message_stop') return STREAMED;
      // The upstream's own error event went to the client as is; the stream is over.
      if (end !== null) return committed(failureFromErrorEvent(errorOf(end)));
      if (scope.ended) break;
      const next = await it.next();
      if (next.done) break;
      batch = next.value;
    }
  } catch (err) {
    const failure = redactFailure(scope.deadlinePassed ? deadlineStreamFailure(scope) : failureOf(err), redact);
    if (!scope.clientGone) sse.writeRaw(Frame.of(streamErrorEvent(failure)).raw);
    return committed(failure);
  }
  if (scope.clientGone) return committed({ kind: 'stream', status: 200, message: 'client went away', retryAfterMs: null });
  const failure: UpstreamFailure = scope.deadlinePassed
    ? deadlineStreamFailure(scope)
    : { kind: 'stream', status: 200, message: 'upstream stream ended before message_stop', retryAfterMs: null };
  sse.writeRaw(Frame.of(streamErrorEvent(failure)).raw);
  return committed(failure);
}

function release(it: AsyncIterator<FrameBatch>): void {
  it.return?.().catch(() => {
    // A body that fails while being let go has nothing left to tell anyone.
  });
}

function deadlineStreamFailure(scope: RequestScope): UpstreamFailure {
  return {
    kind: 'timeout',
    status: 200,
    message: `the stream outlasted the request deadline of ${Math.round(scope.deadlineMs / 100) / 10} s (setting request_deadline_ms)`,
    retryAfterMs: null,
  };
}

/** Notes usage and the stop reason; says whether the batch ends the stream (its stop, or an error frame). */
function observe(record: RequestRecord, batch: FrameBatch): 'message_stop' | Frame | null {
  for (const frame of batch.frames) {
    switch (frame.type) {
      case 'message_start': {
        const usage = (frame.event as { message?: Message }).message?.usage;
        if (usage) record.usage(usage);
        break;
      }
      case 'message_delta': {
        const ev = frame.event as { usage?: Record<string, unknown>; delta?: { stop_reason?: string | null } };
        record.usage(ev.usage ?? {}, ev.delta?.stop_reason ?? null);
        break;
      }
      case 'message_stop':
        return 'message_stop';
      case 'error':
        return frame;
    }
  }
  return null;
}

async function* oneBatch(message: Message): AsyncGenerator<FrameBatch> {
  yield FrameBatch.of(messageToEvents(message));
}

/** The first batch that carries an event; a stream that ends before one is a failed attempt. */
async function firstEventBatch(it: AsyncIterator<FrameBatch>): Promise<FrameBatch> {
  for (;;) {
    const next = await it.next();
    if (next.done) throw new IncompleteStreamError('upstream stream ended before its first event');
    if (next.value.frames.length > 0) return next.value;
  }
}

function errorOf(frame: Frame): { type?: unknown; message?: unknown } {
  const ev = frame.event as { error?: { type?: unknown; message?: unknown } };
  return ev.error ?? {};
}

function failureOf(err: unknown): UpstreamFailure {
  if (err instanceof UpstreamError) return err.failure;
  if (err instanceof StreamErrorEvent) return failureFromErrorEvent(err.error);
  if (err instanceof IncompleteStreamError) return { kind: 'stream', status: 200, message: err.message, retryAfterMs: null };
  if (err instanceof SyntaxError) return { kind: 'stream', status: 200, message: `upstream sent malformed event data (${err.message})`, retryAfterMs: null };
  return { kind: 'stream', status: null, message: err instanceof Error ? err.message : String(err), retryAfterMs: null };
}
