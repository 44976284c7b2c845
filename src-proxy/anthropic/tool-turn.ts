// Anthropic's rule for thinking in a tool loop: when thinking is on and the request ends with the
// results of the last assistant turn's tool calls, that assistant turn must start with its thinking
// block, signed by the model that wrote it. A history that crossed model families often has no such
// block; these helpers find the turn in question and switch thinking off for one request.

import type { ContentBlock, InputMessage, RequestBase } from './types.js';

function blocks(content: InputMessage['content']): readonly ContentBlock[] {
  return typeof content === 'string' ? [] : content;
}

/**
 * The assistant turn whose tool calls the request answers: the last assistant message, when the last
 * message is the user's and carries tool results. Null when the request does not continue a tool loop.
 * Mid-conversation system messages are passed over.
 */
export function activeToolTurn(messages: readonly InputMessage[]): InputMessage | null {
  let i = messages.length - 1;
  while (i >= 0 && messages[i]!.role === 'system') i--;
  const last = messages[i];
  if (!last || last.role !== 'user' || !blocks(last.content).some((b) => b?.type === 'tool_result')) return null;
  i--;
  while (i >= 0 && messages[i]!.role === 'system') i--;
  const turn = messages[i];
  if (!turn || turn.role !== 'assistant' || !blocks(turn.content).some((b) => b?.type === 'tool_use')) return null;
  return turn;
}

/** Whether the message's first block is a thinking block the target can verify. */
export function startsWithThinking(message: InputMessage, verifiable: (block: ContentBlock) => boolean): boolean {
  const first = blocks(message.content)[0];
  return first !== undefined && (first.type === 'thinking' || first.type === 'redacted_thinking') && verifiable(first);
}

/** Whether the client asked for thinking (`enabled`, `adaptive`, or a type newer than the gateway). */
export function thinkingRequested(req: RequestBase): boolean {
  const thinking = req.thinking;
  return typeof thinking === 'object' && thinking !== null && (thinking as { type?: unknown }).type !== 'disabled';
}

/** Context edits that only exist with thinking on (`clear_thinking_*`); the API refuses them without it. */
const THINKING_EDIT = /^clear_thinking/;

/** The request with thinking off: `thinking: disabled`, and no context edit that needs thinking. */
export function withThinkingOff<R extends RequestBase>(req: R): R {
  const out: Record<string, unknown> = { ...req, thinking: { type: 'disabled' } };
  const cm = req.context_management;
  if (typeof cm === 'object' && cm !== null && Array.isArray((cm as { edits?: unknown }).edits)) {
    const edits = (cm as { edits: Array<{ type?: unknown }> }).edits.filter((e) => !(typeof e?.type === 'string' && THINKING_EDIT.test(e.type)));
    if (edits.length === 0) delete out.context_management;
    else out.context_management = { ...cm, edits };
  }
  return out as R;
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: ContentBlock) => (b?.type === 'text' && typeof b.text === 'string' ? b.text : `[${String(b?.type)} omitted]`)).join('\n');
}

/**
 * The request with the tool turn it continues told as text: the assistant turn's calls become text
 * saying what was called with what, its thinking goes, and the results in the last user message become
 * text saying what came back. The request then continues a conversation, not a tool loop, and needs no
 * signed thinking. Unchanged when it continues no tool loop.
 */
export function withToolTurnAsText<R extends RequestBase>(req: R): R {
  const turn = activeToolTurn(req.messages);
  if (!turn || typeof turn.content === 'string') return req;
  const names = new Map<string, string>();
  const told: ContentBlock[] = [];
  for (const block of turn.content) {
    if (block?.type === 'thinking' || block?.type === 'redacted_thinking') continue;
    if (block?.type === 'tool_use') {
      names.set(String(block.id), String(block.name));
      told.push({ type: 'text', text: `[called the tool ${String(block.name)} with ${JSON.stringify(block.input ?? {})}]` });
    } else told.push(block);
  }
  const turnIndex = req.messages.lastIndexOf(turn);
  const messages = req.messages.slice();
  messages[turnIndex] = { ...turn, content: told };
  const lastIndex = messages.length - 1 - [...messages].reverse().findIndex((m) => m.role === 'user');
  const last = messages[lastIndex]!;
  if (typeof last.content !== 'string') {
    messages[lastIndex] = {
      ...last,
      content: last.content.map((b) =>
        b?.type === 'tool_result'
          ? {
              type: 'text',
              text: `[the tool ${names.get(String(b.tool_use_id)) ?? String(b.tool_use_id)} ${b.is_error === true ? 'failed' : 'returned'}:]\n${resultText(b.content)}`,
            }
          : b,
      ),
    };
  }
  return { ...req, messages };
}
