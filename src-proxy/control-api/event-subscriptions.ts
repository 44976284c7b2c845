// Listeners of live control events, for the clients: the project's event bus, plus the stream behind it
// (an SSE connection, an in-process bus) opened with the first listener and closed with the last.

import type { ControlEventName, ControlEvents, EventListener } from '../contract/index.js';
import { EventBus } from '../lib/event-bus.js';

export class EventSubscriptions {
  // A listener that throws neither stops the others nor reaches the stream reading events (the bus reports it).
  private readonly bus = new EventBus<ControlEvents>();
  private count = 0;

  constructor(
    private readonly open: () => void,
    private readonly close: () => void,
  ) {}

  add<K extends ControlEventName>(name: K, listener: EventListener<K>): () => void {
    const off = this.bus.on(name, listener);
    if (this.count++ === 0) this.open();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      off();
      if (--this.count === 0) this.close();
    };
  }

  /** Hands an event from the stream to its listeners. */
  deliver(name: string, payload: unknown): void {
    this.bus.emit(name as ControlEventName, payload as ControlEvents[ControlEventName]);
  }

  get active(): boolean {
    return this.count > 0;
  }
}
