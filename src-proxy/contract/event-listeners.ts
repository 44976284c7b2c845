// Listeners of live control events, for every client (HTTP, in-process): the stream behind them (an SSE
// connection, a subscription to the runtime's bus) is opened with the first listener and closed with
// the last. A listener that throws neither stops the others nor breaks the stream.

import type { ControlEventName, ControlEvents, EventListener } from './control-api.js';

export class ControlEventListeners {
  private readonly byName = new Map<ControlEventName, Set<(payload: unknown) => void>>();
  private count = 0;

  constructor(
    private readonly open: () => void,
    private readonly close: () => void,
    /** Where a throwing listener's error goes; by default it is rethrown on its own, outside the stream. */
    private readonly onListenerError: (err: unknown) => void = (err) =>
      queueMicrotask(() => {
        throw err;
      }),
  ) {}

  add<K extends ControlEventName>(name: K, listener: EventListener<K>): () => void {
    let set = this.byName.get(name);
    if (!set) {
      set = new Set();
      this.byName.set(name, set);
    }
    // Each subscription gets its own wrapper, so subscribing one function twice needs two unsubscribes.
    const wrapped = (payload: unknown) => listener(payload as ControlEvents[K]);
    set.add(wrapped);
    if (this.count++ === 0) this.open();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      set.delete(wrapped);
      if (--this.count === 0) this.close();
    };
  }

  /** Hands an event from the stream to its listeners (a snapshot of them: who subscribes meanwhile waits for the next). */
  deliver(name: string, payload: unknown): void {
    for (const listener of [...(this.byName.get(name as ControlEventName) ?? [])]) {
      try {
        listener(payload);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /** Whether anyone listens to `name`. */
  hears(name: ControlEventName): boolean {
    return (this.byName.get(name)?.size ?? 0) > 0;
  }

  get active(): boolean {
    return this.count > 0;
  }
}
