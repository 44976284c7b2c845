// Claude Code sends "Warmup" requests (one user turn whose text is exactly `Warmup`) to prime prompt
// caches for the main agent and each sub-agent. Through a gateway they only spend quota, so they are
// answered locally. Only the shape of the whole conversation is trusted: a real conversation that
// merely mentions the word, or has any assistant turn, is never intercepted.

import { messageToEvents } from './collector.js';
import { newId } from './ids.js';
import type { ContentBlock, Message, MessagesRequest, StreamEvent } from './types.js';

const WARMUP = 'Warmup';

function isWarmupText(content: string | ContentBlock[]): boolean {
  if (typeof content === 'string') return content.trim() === WARMUP;
  let text = '';
  for (const block of content) {
    if (block.type !== 'text') return false;
    const t = String(block.text ?? '').trim();
    // Claude Code may prepend reminders to the first user turn; they are not the user's words.
    if (t.startsWith('<system-reminder>')) continue;
    text += t;
  }
  return text === WARMUP;
}

export function isWarmupRequest(req: MessagesRequest): boolean {
  const userTurns = req.messages.filter((m) => m.role === 'user');
  if (userTurns.length !== 1 || req.messages.some((m) => m.role === 'assistant')) return false;
  return isWarmupText(userTurns[0]!.content);
}

export function warmupMessage(model: string): Message {
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'OK' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

export function warmupEvents(model: string): StreamEvent[] {
  return messageToEvents(warmupMessage(model));
}
