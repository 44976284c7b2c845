// Request cleanup before a request leaves the gateway. Both functions are copy-on-write: they return
// their input unchanged (the same object) when there is nothing to do, so the common case costs a scan
// and no allocation, and the client's original bytes can still be forwarded.

import type { ContentBlock, InputMessage, RequestBase } from './types.js';

function asBlocks(content: InputMessage['content']): ContentBlock[] {
  return typeof content === 'string' ? (content === '' ? [] : [{ type: 'text', text: content }]) : content;
}

function mergeContent(a: InputMessage['content'], b: InputMessage['content']): InputMessage['content'] {
  if (typeof a === 'string' && typeof b === 'string') return a === '' ? b : b === '' ? a : `${a}\n\n${b}`;
  return [...asBlocks(a), ...asBlocks(b)];
}

/** Merges consecutive messages with the same role, which strict upstreams reject. */
export function mergeConsecutiveSameRole<R extends { messages: InputMessage[] }>(req: R): R {
  const { messages } = req;
  let needed = false;
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]!.role === messages[i - 1]!.role) {
      needed = true;
      break;
    }
  }
  if (!needed) return req;
  const merged: InputMessage[] = [];
  for (const m of messages) {
    const last = merged[merged.length - 1];
    if (last && last.role === m.role) {
      merged[merged.length - 1] = { ...last, content: mergeContent(last.content, m.content) };
    } else {
      merged.push(m);
    }
  }
  return { ...req, messages: merged };
}

/** A block without `cache_control`, also inside `tool_result` content; the same block when it has none. */
function stripBlock(block: ContentBlock): ContentBlock {
  // Nested content is not validated: a non-object there is the upstream's to reject, not ours to crash on.
  if (typeof block !== 'object' || block === null) return block;
  let out = block;
  if ('cache_control' in block) {
    const { cache_control: _drop, ...rest } = block;
    out = rest as ContentBlock;
  }
  if (Array.isArray(block.content)) {
    const inner = stripBlocks(block.content as ContentBlock[]);
    if (inner !== block.content) out = { ...out, content: inner };
  }
  return out;
}

function stripBlocks(blocks: ContentBlock[]): ContentBlock[] {
  let out: ContentBlock[] | null = null;
  for (let i = 0; i < blocks.length; i++) {
    const stripped = stripBlock(blocks[i]!);
    if (stripped !== blocks[i]) {
      out ??= blocks.slice();
      out[i] = stripped;
    }
  }
  return out ?? blocks;
}

/** Removes every `cache_control` (system, tools, message blocks, top level) for upstreams that reject it. */
export function stripCacheControl<R extends RequestBase>(req: R): R {
  let out: R = req;
  const set = <K extends string>(key: K, value: unknown) => {
    if (out === req) out = { ...req };
    (out as Record<string, unknown>)[key] = value;
  };
  if ('cache_control' in req) {
    const { cache_control: _drop, ...rest } = req;
    out = rest as R;
  }
  if (Array.isArray(req.system)) {
    const system = stripBlocks(req.system);
    if (system !== req.system) set('system', system);
  }
  if (Array.isArray(req.tools)) {
    const tools = stripBlocks(req.tools as ContentBlock[]);
    if (tools !== req.tools) set('tools', tools);
  }
  let messages: InputMessage[] | null = null;
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i]!;
    if (typeof m.content === 'string') continue;
    const content = stripBlocks(m.content);
    if (content !== m.content) {
      messages ??= req.messages.slice();
      messages[i] = { ...m, content };
    }
  }
  if (messages) set('messages', messages);
  return out;
}
