// A Gemini SSE answer read event by event through the translator, with the first-yield rule: the first
// events are awaited before the stream is handed over, so a failure before any content is still an
// attempt that failed. Code Assist wraps each event in an envelope; `unwrap` takes it off.
//
// Gemini ends every complete answer with a chunk naming its finishReason (or, for a blocked prompt, the
// promptFeedback's blockReason). A stream that closes without one was cut short, however cleanly the
// connection ended: it is a broken stream, never an answer that ended its turn.

import { FrameBatch } from '../../anthropic/sse.js';
import type { StreamEvent } from '../../anthropic/types.js';
import { streamFailure, type TimeoutSettings } from '../shared/network-errors.js';
import { SseDataSplitter } from '../shared/sse-data.js';
import { UpstreamError, type AttemptContext, type UpstreamFailure } from '../types.js';
import type { GenerateContentResponse } from './gemini-types.js';
import { classifyGoogleFailure } from './google-errors.js';
import { GeminiResponseError, type GeminiStreamTranslator } from './response-mapper.js';

export type StreamChunk = GenerateContentResponse & { error?: unknown };

const TRUNCATED: UpstreamFailure = {
  kind: 'stream',
  status: 200,
  message: 'upstream stream ended without a finish reason: the answer was cut short',
  retryAfterMs: null,
};

/** The event data as Gemini sends it: the chunk itself. */
const asIs = (parsed: unknown): StreamChunk => parsed as StreamChunk;

export class EventReader {
  private readonly it: AsyncIterator<Buffer>;
  private readonly splitter = new SseDataSplitter();
  private done = false;
  /** The upstream said how the answer ends: a finishReason, or a blocked prompt. */
  private terminated = false;

  constructor(
    body: AsyncIterable<Buffer>,
    private readonly translator: GeminiStreamTranslator,
    private readonly ctx: AttemptContext,
    private readonly now: () => number,
    private readonly secret: string,
    private readonly unwrap: (parsed: unknown) => StreamChunk = asIs,
  ) {
    this.it = body[Symbol.asyncIterator]();
  }

  /** The events of the first chunks that carried content (the end of the message, for an empty one). */
  async firstEvents(): Promise<StreamEvent[]> {
    for (;;) {
      const events = await this.next();
      if (events === null) return this.end();
      if (events.length > 0) return events;
    }
  }

  async *batches(first: StreamEvent[]): AsyncGenerator<FrameBatch> {
    try {
      yield FrameBatch.of(first);
      for (;;) {
        const events = await this.next();
        if (events === null) {
          const last = this.end();
          if (last.length > 0) yield FrameBatch.of(last);
          return;
        }
        if (events.length > 0) yield FrameBatch.of(events);
      }
    } catch (err) {
      throw new UpstreamError(readFailure(err, this.ctx));
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.it.return?.();
  }

  /** The events one upstream chunk gave (often none), or null at the end of the stream. */
  private async next(): Promise<StreamEvent[] | null> {
    if (this.done) return null;
    const chunk = await this.it.next();
    const datas = chunk.done ? this.splitter.end() : this.splitter.push(chunk.value);
    if (chunk.done) this.done = true;
    const events: StreamEvent[] = [];
    for (const data of datas) {
      const response = this.unwrap(JSON.parse(data));
      if (response.error !== undefined) throw new UpstreamError(this.midStreamError(response.error, data));
      if (response.candidates?.[0]?.finishReason || response.promptFeedback?.blockReason) this.terminated = true;
      events.push(...this.translator.push(response));
    }
    return chunk.done && events.length === 0 ? null : events;
  }

  /** The closing events, once the upstream has said the answer is complete. */
  private end(): StreamEvent[] {
    if (!this.terminated) throw new UpstreamError(TRUNCATED);
    return this.translator.end();
  }

  private midStreamError(error: unknown, data: string): UpstreamFailure {
    const code = (error as { code?: unknown } | null)?.code;
    return classifyGoogleFailure(typeof code === 'number' ? code : 500, {}, JSON.stringify({ error }) || data, this.now(), this.secret);
  }
}

/** What went wrong while reading an answer, as a failure the attempt loop understands. */
export function readFailure(err: unknown, timeouts: TimeoutSettings): UpstreamFailure {
  if (err instanceof UpstreamError) return err.failure;
  if (err instanceof GeminiResponseError) {
    return err.kind === 'bad_tool_call'
      ? { kind: 'server', status: 200, message: `upstream produced a malformed tool call (${err.message})`, retryAfterMs: null }
      : { kind: 'stream', status: 200, message: err.message, retryAfterMs: null };
  }
  if (err instanceof SyntaxError) return { kind: 'stream', status: 200, message: `upstream sent malformed event data (${err.message})`, retryAfterMs: null };
  if (err instanceof RangeError) return { kind: 'stream', status: 200, message: err.message, retryAfterMs: null };
  return streamFailure(err, timeouts);
}
