// What a complete, correct answer looks like. A fast error would look like a fast proxy, so every
// client process checks what it got and the bench stops at the first wrong answer.

import { SHORT_REPLY, STREAM_CHUNKS } from './bodies.js';

/** A non-streaming answer must be one assistant message carrying the fake's reply. */
export function checkMessage(status: number, body: string): void {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 300)}`);
  const msg = JSON.parse(body) as { type?: unknown; content?: Array<{ text?: unknown }> };
  if (msg.type !== 'message' || msg.content?.[0]?.text !== SHORT_REPLY) throw new Error(`the answer is not the fake's message: ${body.slice(0, 300)}`);
}

/** A streamed short answer must carry the fake's reply in its text deltas, then message_stop. */
export function checkShortStream(status: number, body: string): void {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 300)}`);
  let text = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const data = JSON.parse(line.slice(6)) as { type?: unknown; delta?: { type?: unknown; text?: unknown } };
    if (data.type === 'content_block_delta' && data.delta?.type === 'text_delta') text += String(data.delta.text);
  }
  if (text !== SHORT_REPLY || !body.includes('event: message_stop')) throw new Error(`the stream is not the fake's reply: ${body.slice(0, 300)}`);
}

/** A streamed answer must carry every text delta, then message_stop. */
export function checkStream(status: number, body: string): void {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 300)}`);
  const deltas = body.split('"type":"text_delta"').length - 1;
  if (deltas !== STREAM_CHUNKS || !body.includes('event: message_stop')) {
    throw new Error(`the stream had ${deltas} text deltas (expected ${STREAM_CHUNKS}) or no message_stop`);
  }
}

/** An upstream's own answer to a direct call (Gemini's or Code Assist's shape) must carry the fake's reply. */
export function checkUpstreamReply(status: number, body: string): void {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 300)}`);
  if (!body.includes(SHORT_REPLY)) throw new Error(`the answer does not carry the fake's reply: ${body.slice(0, 300)}`);
}
