// A stable key per conversation, for account stickiness. Claude Code names its session in
// `metadata.user_id`; other clients get a key from their first user message, which stays the same for
// every turn of a conversation while the rest of the history grows.
//
// A bare `user_id` without a session is deliberately not used as a key (the product we are modelled on
// did): it names a user, and pinning all of a user's conversations to one account defeats the rotation.

import { hash } from 'node:crypto';
import type { ContentBlock, RequestBase } from '../anthropic/types.js';

// The key is held in a bounded map for hours; an absurd id from a misbehaving client should not be.
const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// `user_<hex>_account_<uuid>_session_<uuid>`; the account part is empty when not logged in.
const LEGACY_USER_ID = /_session_([^_]+)$/;

function sessionIdOf(userId: string): string | null {
  let id: unknown = null;
  if (userId.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(userId);
      if (parsed !== null && typeof parsed === 'object') id = (parsed as { session_id?: unknown }).session_id;
    } catch {
      return null;
    }
  } else {
    id = LEGACY_USER_ID.exec(userId)?.[1] ?? null;
  }
  return typeof id === 'string' && SESSION_ID.test(id) ? id : null;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content as ContentBlock[]) {
    if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') parts.push(block.text);
  }
  return parts.join('\n');
}

export function sessionKeyOf(req: RequestBase): string | null {
  const userId = req.metadata?.user_id;
  if (typeof userId === 'string') {
    const id = sessionIdOf(userId);
    if (id !== null) return `session:${id}`;
  }
  if (!Array.isArray(req.messages)) return null;
  // Only the first user text is hashed: later turns change with every request, and hashing a whole
  // 300 KB history per request would cost more than the routing it serves.
  for (const message of req.messages) {
    if (message?.role !== 'user') continue;
    const text = textOf(message.content);
    if (!/\S/.test(text)) continue;
    return `first:${hash('sha256', text, 'hex').slice(0, 16)}`;
  }
  return null;
}
