import type { ControlEventName, ControlEvents, EventListener } from '../../src-proxy/contract/index.js';

/** Listeners per event name; the stream behind them is opened with the first and closed with the last. */
export class EventListeners {
  private readonly byName = new Map<string, Set<(payload: unknown) => void>>();
  private count = 0;

  constructor(
    private readonly open: () => void,
    private readonly close: () => void,
  ) {}

  add<K extends ControlEventName>(name: K, listener: EventListener<K>): () => void {
    const set = this.byName.get(name) ?? new Set();
    this.byName.set(name, set);
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

  deliver(name: string, payload: unknown): void {
    for (const listener of [...(this.byName.get(name) ?? [])]) {
      // One failing listener must not keep the event from the others or break the stream.
      try {
        listener(payload);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  get active(): boolean {
    return this.count > 0;
  }
}
