// Conversation bindings of a team: each gateway keeps them in memory as one gateway does, and a new
// binding goes to the store, which announces it to the others; so a conversation that reaches another
// gateway next stays on the account holding its prompt cache. The store keeps the most recent ones.

import { MemorySessionBindings, type SessionBindings } from '../routing/session-bindings.js';
import type { Outbox } from './outbox.js';

export const MAX_SHARED_SESSIONS = 10_000;

export class TeamSessionBindings implements SessionBindings {
  private readonly memory = new MemorySessionBindings({ maxSessions: MAX_SHARED_SESSIONS });

  constructor(
    private readonly outbox: Outbox,
    private readonly now: () => number = Date.now,
  ) {}

  get(sessionKey: string): ReadonlyMap<string, string> | undefined {
    return this.memory.get(sessionKey);
  }

  set(sessionKey: string, bindingKey: string, accountId: string): void {
    this.memory.set(sessionKey, bindingKey, accountId);
    this.outbox.push({ k: 'bind', sk: sessionKey, bk: bindingKey, a: accountId, t: this.now(), max: MAX_SHARED_SESSIONS });
  }

  applyRemote(sessionKey: string, bindingKey: string, accountId: string): void {
    this.memory.set(sessionKey, bindingKey, accountId);
  }

  /** Bindings read from the store, least recently used first. */
  load(sessions: ReadonlyArray<[string, Readonly<Record<string, string>>]>): void {
    for (const [sessionKey, bindings] of sessions) {
      for (const [bindingKey, accountId] of Object.entries(bindings)) this.memory.set(sessionKey, bindingKey, accountId);
    }
  }
}
