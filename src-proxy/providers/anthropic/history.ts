// A history an Anthropic-compatible upstream accepts, whatever served its earlier turns (pure). Thinking
// blocks carry signatures only the model family that wrote them can verify: blocks another family wrote
// (the gateway's `gsig1.` signatures from Gemini and Code Assist) or that arrived unsigned are left out,
// as Anthropic would refuse them ("Invalid signature in thinking block"). When that leaves a thinking
// tool loop whose assistant turn does not start with a thinking block, thinking is switched off for this
// request, which Anthropic accepts, rather than failing it; the next turn thinks again.

import type { PreparedRequest } from '../../anthropic/prepared-request.js';
import { activeToolTurn, startsWithThinking, thinkingRequested, withThinkingOff } from '../../anthropic/tool-turn.js';
import type { ContentBlock, InputMessage, RequestBase } from '../../anthropic/types.js';
import type { NoteCode } from '../../contract/index.js';
import { isGeminiSignature } from '../gemini/signature-cache.js';

/** A thinking block Anthropic could not have written: signed by another family, or not signed at all. */
function foreignThinking(block: ContentBlock): boolean {
  if (block?.type !== 'thinking') return false;
  const signature = block.signature;
  return typeof signature !== 'string' || signature === '' || isGeminiSignature(signature);
}

/** The assistant message without foreign thinking; the same object when it has none. */
function withoutForeignThinking(message: InputMessage): InputMessage {
  if (message.role !== 'assistant' || typeof message.content === 'string' || !message.content.some(foreignThinking)) return message;
  const content = message.content.filter((b) => !foreignThinking(b));
  // An assistant turn that held nothing but thinking keeps its place in the conversation.
  return { ...message, content: content.length > 0 ? content : [{ type: 'text', text: '(thinking omitted)' }] };
}

/** The request as an Anthropic upstream takes it; `req` itself when its history is already Anthropic's own. */
export function anthropicHistory<R extends RequestBase>(req: PreparedRequest<R>): PreparedRequest<R> {
  const body = req.body;
  let messages: InputMessage[] | null = null;
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i]!;
    const kept = withoutForeignThinking(m);
    if (kept !== m) {
      messages ??= body.messages.slice();
      messages[i] = kept;
    }
  }
  const notes: NoteCode[] = [];
  let out: R = body;
  if (messages) {
    out = { ...body, messages };
    notes.push('thinking_dropped');
  }
  if (thinkingRequested(out)) {
    const turn = activeToolTurn(out.messages);
    if (turn && !startsWithThinking(turn, () => true)) {
      out = withThinkingOff(out);
      notes.push('thinking_off_tool_turn');
    }
  }
  return req.with(out, notes);
}
