// A typed publish/subscribe hub. Publishers sit on the request path, so one broken subscriber (a closed
// console socket, a bug in a view) must neither throw into the publisher nor starve the others.

import { reportUnhandled } from './report.js';

export type ListenerErrorHandler = (error: unknown, event: string) => void;

export interface EventBusOptions {
  /** Where a throwing listener's error goes; by default a process warning. */
  onListenerError?: ListenerErrorHandler;
}

export class EventBus<E extends object> {
  private readonly listeners = new Map<keyof E, Set<(payload: never) => void>>();
  private readonly onListenerError: ListenerErrorHandler;

  constructor(opts: EventBusOptions = {}) {
    this.onListenerError = opts.onListenerError ?? ((error, event) => reportUnhandled(`listener for "${event}"`, error));
  }

  on<K extends keyof E>(name: K, fn: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    // Each subscription gets its own wrapper so subscribing the same function twice needs two unsubscribes.
    const entry = (payload: never) => fn(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<K extends keyof E>(name: K, payload: E[K]): void {
    const set = this.listeners.get(name);
    if (!set || set.size === 0) return;
    // A snapshot: listeners that subscribe or unsubscribe during this emit do not change who hears it.
    for (const fn of [...set] as ((payload: E[K]) => void)[]) {
      try {
        fn(payload);
      } catch (error) {
        this.reportListenerError(error, String(name));
      }
    }
  }

  listenerCount(name: keyof E): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  private reportListenerError(error: unknown, event: string): void {
    try {
      this.onListenerError(error, event);
    } catch {
      // The error handler failing is the last straw; emit still must not throw.
    }
  }
}
