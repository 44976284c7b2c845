// Turns a stream of Anthropic events into the Message a non-streaming client expects. It applies the
// events exactly as the official SDK's accumulator does, so a stream and its collected message agree.

import type { Frame } from './sse.js';
import type { ContentBlock, Message, StreamEvent } from './types.js';

/** The stream carried an `error` event. */
export class StreamErrorEvent extends Error {
  constructor(readonly error: { type: string; message: string }) {
    super(error.message);
    this.name = 'StreamErrorEvent';
  }
}

/** The stream ended before `message_stop`. */
export class IncompleteStreamError extends Error {
  constructor(message = 'upstream stream ended before message_stop') {
    super(message);
    this.name = 'IncompleteStreamError';
  }
}

export class MessageAccumulator {
  private message: Message | null = null;
  private readonly jsonBuffers = new Map<number, string>();
  done = false;

  apply(event: StreamEvent): void {
    switch (event.type) {
      case 'message_start':
        this.message = { ...event.message, content: [] };
        return;
      case 'content_block_start':
        this.current().content.push({ ...event.content_block });
        return;
      case 'content_block_delta':
        this.applyDelta(event.index, event.delta);
        return;
      case 'content_block_stop':
        this.finishBlock(event.index);
        return;
      case 'message_delta': {
        const msg = this.current();
        msg.stop_reason = event.delta.stop_reason;
        msg.stop_sequence = event.delta.stop_sequence ?? null;
        for (const [key, value] of Object.entries(event.usage)) {
          if (value !== null && value !== undefined) (msg.usage as Record<string, unknown>)[key] = value;
        }
        return;
      }
      case 'message_stop':
        this.done = true;
        return;
      case 'error':
        throw new StreamErrorEvent(event.error);
      default:
        return; // ping and event types from the future carry nothing to keep
    }
  }

  result(): Message {
    if (!this.done || !this.message) throw new IncompleteStreamError();
    return this.message;
  }

  private current(): Message {
    if (!this.message) throw new IncompleteStreamError('upstream stream did not start with message_start');
    return this.message;
  }

  /** Like the SDK, a delta applies only to a block of its own kind; a stray one changes nothing. */
  private applyDelta(index: number, delta: { type: string; [key: string]: unknown }): void {
    const block: ContentBlock | undefined = this.current().content[index];
    if (!block) return;
    switch (delta.type) {
      case 'text_delta':
        if (block.type === 'text') block.text = String(block.text ?? '') + String(delta.text ?? '');
        return;
      case 'thinking_delta':
        if (block.type === 'thinking') block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
        return;
      case 'signature_delta':
        if (block.type === 'thinking') block.signature = delta.signature;
        return;
      case 'input_json_delta':
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          this.jsonBuffers.set(index, (this.jsonBuffers.get(index) ?? '') + String(delta.partial_json ?? ''));
        }
        return;
      case 'citations_delta':
        if (block.type === 'text') block.citations = [...((block.citations as unknown[] | null | undefined) ?? []), delta.citation];
        return;
      default:
        return;
    }
  }

  private finishBlock(index: number): void {
    const json = this.jsonBuffers.get(index);
    if (json === undefined) return;
    this.jsonBuffers.delete(index);
    const block = this.current().content[index];
    if (block) block.input = json.trim() === '' ? {} : JSON.parse(json);
  }
}

export async function collectMessage(frames: AsyncIterable<Frame>): Promise<Message> {
  const acc = new MessageAccumulator();
  for await (const frame of frames) {
    acc.apply(frame.event);
    if (acc.done) break;
  }
  return acc.result();
}

/** The events that stream a complete message: what the API would have sent for it. */
export function messageToEvents(message: Message): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } },
    },
  ];
  message.content.forEach((block, index) => {
    const { start, deltas } = splitBlock(block);
    events.push({ type: 'content_block_start', index, content_block: start });
    for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index });
  });
  events.push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason ?? 'end_turn', stop_sequence: message.stop_sequence ?? null },
    usage: { ...message.usage },
  });
  events.push({ type: 'message_stop' });
  return events;
}

function splitBlock(block: ContentBlock): { start: ContentBlock; deltas: Array<{ type: string; [key: string]: unknown }> } {
  switch (block.type) {
    case 'text': {
      // Citations stream as citations_delta; other fields (`citations: null`) stay on the start block.
      const citations = Array.isArray(block.citations) ? (block.citations as unknown[]) : null;
      const deltas: Array<{ type: string; [key: string]: unknown }> = block.text ? [{ type: 'text_delta', text: block.text }] : [];
      for (const citation of citations ?? []) deltas.push({ type: 'citations_delta', citation });
      return { start: { ...block, text: '', ...(citations ? { citations: [] } : {}) }, deltas };
    }
    case 'thinking': {
      const deltas: Array<{ type: string; [key: string]: unknown }> = [];
      if (block.thinking) deltas.push({ type: 'thinking_delta', thinking: block.thinking });
      if (block.signature) deltas.push({ type: 'signature_delta', signature: block.signature });
      return { start: { type: 'thinking', thinking: '', signature: '' }, deltas };
    }
    case 'tool_use':
    case 'server_tool_use':
      return {
        start: { ...block, input: {} },
        deltas: [{ type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) }],
      };
    default:
      return { start: block, deltas: [] };
  }
}
