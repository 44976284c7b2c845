// Which account each conversation is bound to, per provider and upstream model. A port: one gateway
// keeps the bindings in memory; gateways that share a pool share them, so a conversation that moves to
// another gateway stays on the account holding its prompt cache.

export interface SessionBindings {
  /** The conversation's bindings (binding key -> account id), or undefined; counts as a use of it. */
  get(sessionKey: string): ReadonlyMap<string, string> | undefined;
  /** Binds the conversation's `bindingKey` to `accountId`. */
  set(sessionKey: string, bindingKey: string, accountId: string): void;
}

const DEFAULT_MAX_SESSIONS = 10_000;

/** Bindings in memory, the least recently used conversation forgotten past `maxSessions`. */
export class MemorySessionBindings implements SessionBindings {
  private readonly maxSessions: number;
  // Insertion order is recency order: a hit re-inserts its key, eviction takes the first key.
  private readonly sessions = new Map<string, Map<string, string>>();

  constructor(opts: { maxSessions?: number /* default 10_000 */ } = {}) {
    const max = opts.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxSessions must be a non-negative integer, got ${max}`);
    this.maxSessions = max;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(sessionKey: string): ReadonlyMap<string, string> | undefined {
    const bindings = this.sessions.get(sessionKey);
    if (bindings) {
      this.sessions.delete(sessionKey);
      this.sessions.set(sessionKey, bindings);
    }
    return bindings;
  }

  set(sessionKey: string, bindingKey: string, accountId: string): void {
    if (this.maxSessions === 0) return;
    const existing = this.sessions.get(sessionKey);
    if (existing) {
      existing.set(bindingKey, accountId);
      return;
    }
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
    this.sessions.set(sessionKey, new Map([[bindingKey, accountId]]));
  }

  /** Every binding, least recently used first (what a shared store is seeded with). */
  entries(): Array<[string, ReadonlyMap<string, string>]> {
    return [...this.sessions];
  }
}
