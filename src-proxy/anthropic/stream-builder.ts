// The inverse of the collector: a translating provider tells the builder what content arrived, and the
// builder answers with the Anthropic stream events to send now, always forming a valid sequence
// (protocols B.2): message_start first, blocks indexed 0, 1, 2, … with one open at a time, each block's
// deltas of its own kind, and message_delta (stop_reason and cumulative usage) then message_stop last.
//
// message_start goes out lazily, with the first content (the first-yield rule: a provider yields
// nothing until the upstream produced content, so a failure before that can still move to another
// account). Events are plain objects, never reused or changed once returned: a Frame serialises its
// event lazily, so an object changed later would change what is sent.
//
// Thinking and signatures: the API sends a block's signature_delta last, just before its
// content_block_stop, and the signature covers the thinking before it. So after a signature the
// thinking block is complete: more thinking opens a new thinking block (the SDK would append it to the
// signed block, but the signature would then cover text it was not made for), and a second signature
// opens a new empty thinking block rather than replacing the first (either signature may be the one
// the upstream needs back). Consecutive thinking blocks are valid, as with interleaved thinking.
//
// Calls after finish() are programming errors and throw, except a second finish(), which returns [].

import { newId } from './ids.js';
import type { ContentBlock, StreamEvent, Usage } from './types.js';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

export interface BuilderStart {
  model: string;
  /** The message id; a fresh `msg_…` id by default. */
  id?: string;
  /** The input tokens as far as known when the message starts (an estimate is fine; finish corrects it). */
  inputTokens?: number;
  cacheReadInputTokens?: number;
}

interface OpenThinking {
  kind: 'thinking';
  index: number;
  signed: boolean;
}
type OpenBlock = OpenThinking | { kind: 'text'; index: number };

export class StreamBuilder {
  private readonly id: string;
  private readonly model: string;
  private readonly totals: Usage;
  private open: OpenBlock | null = null;
  private nextIndex = 0;
  private startSent = false;
  private finished = false;

  constructor(start: BuilderStart) {
    this.id = start.id ?? newId('msg');
    this.model = start.model;
    // The API always sends both cache counters; 0 until the upstream says otherwise.
    this.totals = {
      input_tokens: start.inputTokens ?? 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: start.cacheReadInputTokens ?? 0,
    };
  }

  /** True once message_start has been emitted (i.e. some content arrived). */
  get started(): boolean {
    return this.startSent;
  }

  /** Thinking text; opens a thinking block if the open block is not thinking (or is already signed). Empty strings emit nothing. */
  thinking(text: string): StreamEvent[] {
    this.assertNotFinished('thinking');
    if (text === '') return [];
    const out: StreamEvent[] = [];
    const block = this.unsignedThinking(out);
    out.push({ type: 'content_block_delta', index: block.index, delta: { type: 'thinking_delta', thinking: text } });
    return out;
  }

  /**
   * A thinking signature: signature_delta on the open thinking block. With no unsigned thinking block
   * open (Gemini may send a signature-only part), it opens an empty thinking block to carry it.
   * Closes nothing by itself. An empty signature emits nothing.
   */
  signature(signature: string): StreamEvent[] {
    this.assertNotFinished('signature');
    if (signature === '') return [];
    const out: StreamEvent[] = [];
    const block = this.unsignedThinking(out);
    out.push({ type: 'content_block_delta', index: block.index, delta: { type: 'signature_delta', signature } });
    block.signed = true;
    return out;
  }

  /** Redacted thinking: a complete redacted_thinking block. */
  redactedThinking(data: string): StreamEvent[] {
    this.assertNotFinished('redactedThinking');
    const out: StreamEvent[] = [];
    this.completeBlock(out, { type: 'redacted_thinking', data });
    return out;
  }

  /** Visible text; opens a text block if the open block is not text. Empty strings emit nothing. */
  text(text: string): StreamEvent[] {
    this.assertNotFinished('text');
    if (text === '') return [];
    const out: StreamEvent[] = [];
    let index: number;
    if (this.open?.kind === 'text') {
      index = this.open.index;
    } else {
      index = this.beginBlock(out, { type: 'text', text: '' });
      this.open = { kind: 'text', index };
    }
    out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    return out;
  }

  /**
   * A complete tool call: content_block_start (tool_use with input {}), exactly one input_json_delta
   * with the whole JSON, content_block_stop. An absent (undefined or null) input is sent as {}.
   */
  toolUse(call: { id: string; name: string; input: unknown }): StreamEvent[] {
    this.assertNotFinished('toolUse');
    const out: StreamEvent[] = [];
    const index = this.beginBlock(out, { type: 'tool_use', id: call.id, name: call.name, input: {} });
    out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.input ?? {}) } });
    out.push({ type: 'content_block_stop', index });
    return out;
  }

  /** Usage learned mid-stream (merged; later values win; undefined and null change nothing). */
  usage(u: Partial<Usage>): void {
    this.assertNotFinished('usage');
    this.merge(u);
  }

  /**
   * Ends the message: message_start if no content came (so an empty message is still valid), closes the
   * open block, message_delta {stop_reason, stop_sequence} with the cumulative usage (output_tokens 0
   * when never told), message_stop. A second finish returns [].
   */
  finish(f: { stopReason: StopReason; stopSequence?: string | null; usage?: Partial<Usage> }): StreamEvent[] {
    if (this.finished) return [];
    if (f.usage) this.merge(f.usage);
    const out: StreamEvent[] = [];
    this.ensureStarted(out);
    this.closeOpen(out);
    out.push({
      type: 'message_delta',
      delta: { stop_reason: f.stopReason, stop_sequence: f.stopSequence ?? null },
      usage: { ...this.totals },
    });
    out.push({ type: 'message_stop' });
    this.finished = true;
    return out;
  }

  // -------------------------------------------------------------------------------------------------

  private assertNotFinished(call: string): void {
    if (this.finished) throw new Error(`StreamBuilder: ${call}() after finish()`);
  }

  private merge(u: Partial<Usage>): void {
    for (const [key, value] of Object.entries(u)) {
      if (value !== undefined && value !== null) (this.totals as Record<string, unknown>)[key] = value;
    }
  }

  private ensureStarted(out: StreamEvent[]): void {
    if (this.startSent) return;
    this.startSent = true;
    out.push({
      type: 'message_start',
      message: {
        id: this.id,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // As the API: output_tokens 1 at the start; message_delta carries the real count.
        usage: { ...this.totals, output_tokens: 1 },
      },
    });
  }

  private closeOpen(out: StreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'content_block_stop', index: this.open.index });
    this.open = null;
  }

  /** Starts the message if needed, closes the open block and starts a new one; returns its index. */
  private beginBlock(out: StreamEvent[], block: ContentBlock): number {
    this.ensureStarted(out);
    this.closeOpen(out);
    const index = this.nextIndex++;
    out.push({ type: 'content_block_start', index, content_block: block });
    return index;
  }

  /** The open thinking block if it has no signature yet, or a new one. */
  private unsignedThinking(out: StreamEvent[]): OpenThinking {
    if (this.open?.kind === 'thinking' && !this.open.signed) return this.open;
    const index = this.beginBlock(out, { type: 'thinking', thinking: '', signature: '' });
    const block: OpenThinking = { kind: 'thinking', index, signed: false };
    this.open = block;
    return block;
  }

  /** A block that arrives whole: start and stop, nothing left open. */
  private completeBlock(out: StreamEvent[], block: ContentBlock): void {
    const index = this.beginBlock(out, block);
    out.push({ type: 'content_block_stop', index });
  }
}
