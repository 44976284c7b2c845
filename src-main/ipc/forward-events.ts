// Live events, main to console: every core event goes to the console window on one channel as
// (name, payload), as long as the window exists.

import { CONTROL_EVENT_NAMES, EVENT_CHANNEL, type ControlEvents } from '../../src-proxy/contract/index.js';
import type { EventBus } from '../../src-proxy/lib/event-bus.js';

export interface EventTargetLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Forwards until the returned function is called; a destroyed target is skipped, not an error. */
export function forwardEvents(events: EventBus<ControlEvents>, target: () => EventTargetLike | null): () => void {
  const offs = CONTROL_EVENT_NAMES.map((name) =>
    events.on(name, (payload) => {
      const t = target();
      if (t && !t.isDestroyed()) t.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
