// Listeners of live control events by name, for the clients: the stream behind them (an SSE connection,
// an in-process bus) is opened with the first listener and closed with the last.

import type { ControlEventName, ControlEvents, EventListener } from '../contract/index.js';

export class EventSubscriptions {
  private readonly listeners = new Map<ControlEventName, Set<(payload: unknown) => void>>();
  private count = 0;

  constructor(
    private readonly open: () => void,
    private readonly close: () => void,
  ) {}

  add<K extends ControlEventName>(name: K, listener: EventListener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const entry = (payload: unknown) => listener(payload as ControlEvents[K]);
    set.add(entry);
    if (this.count++ === 0) this.open();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      set.delete(entry);
      if (--this.count === 0) this.close();
    };
  }

  /** Hands an event to its listeners; one that throws does not keep it from the others. */
  deliver(name: string, payload: unknown): void {
    for (const listener of [...(this.listeners.get(name as ControlEventName) ?? [])]) {
      try {
        listener(payload);
      } catch {
        // A console view's bug must not stop the others from updating.
      }
    }
  }

  get active(): boolean {
    return this.count > 0;
  }
}
