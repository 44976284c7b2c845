// A history an Anthropic-compatible upstream accepts, whatever served its earlier turns (pure). Thinking
// blocks carry signatures only the upstream that wrote them can verify: blocks another family wrote
// (the gateway's `gsig1.` signatures from Gemini and Code Assist), another Anthropic-compatible upstream
// signed (`foreign`), or that arrived unsigned are left out,
// as Anthropic would refuse them ("Invalid signature in thinking block"). When that leaves a thinking
// tool loop whose assistant turn does not start with a thinking block, thinking is switched off for this
// request, which Anthropic accepts, rather than failing it; the next turn thinks again.

import type { PreparedRequest } from '../../anthropic/prepared-request.js';
import { activeToolTurn, startsWithThinking, thinkingRequested, withThinkingOff } from '../../anthropic/tool-turn.js';
import type { ContentBlock, InputMessage, RequestBase } from '../../anthropic/types.js';
import type { NoteCode } from '../../contract/index.js';
import { isGeminiSignature } from '../gemini/signature-cache.js';

/** Whether a signature was made by another Anthropic-compatible upstream than the one the request goes to. */
export type ForeignSignature = (signature: string) => boolean;

const NONE_FOREIGN: ForeignSignature = () => false;

/** A thinking block the upstream could not have written: signed by another family or upstream, or not signed at all. */
function foreignThinking(block: ContentBlock, foreign: ForeignSignature): boolean {
  if (block?.type !== 'thinking') return false;
  const signature = block.signature;
  return typeof signature !== 'string' || signature === '' || isGeminiSignature(signature) || foreign(signature);
}

/** The assistant message without foreign thinking; the same object when it has none. */
function withoutForeignThinking(message: InputMessage, foreign: ForeignSignature): InputMessage {
  if (message.role !== 'assistant' || typeof message.content === 'string' || !message.content.some((b) => foreignThinking(b, foreign))) return message;
  const content = message.content.filter((b) => !foreignThinking(b, foreign));
  // An assistant turn that held nothing but thinking keeps its place in the conversation.
  return { ...message, content: content.length > 0 ? content : [{ type: 'text', text: '(thinking omitted)' }] };
}

/** The request as an Anthropic upstream takes it; `req` itself when its history is already Anthropic's own. */
export function anthropicHistory<R extends RequestBase>(req: PreparedRequest<R>, foreign: ForeignSignature = NONE_FOREIGN): PreparedRequest<R> {
  const body = req.body;
  let messages: InputMessage[] | null = null;
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i]!;
    const kept = withoutForeignThinking(m, foreign);
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
