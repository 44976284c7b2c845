import {
  CONTROL_EVENT_NAMES,
  CONTROL_METHODS,
  controlErrorOf,
  type ControlApi,
  type ControlClient,
  type ControlEventName,
  type ControlMethod,
  type ControlResult,
  type EventListener,
} from './control-api.js';

/** The global name under which the desktop preload exposes the bridge to the console. */
export const DESKTOP_BRIDGE_KEY = 'switchyard';

/** The IPC channel of one ControlApi method. */
export function channelFor(method: ControlMethod): string {
  return `switchyard:${method}`;
}
/** The one channel main pushes live events on, as (name, payload). */
export const EVENT_CHANNEL = 'switchyard:event';

/**
 * What the desktop preload exposes: one named function per ControlApi method, answering a ControlResult
 * (an error thrown across IPC would lose its code), and a listener registration without the raw IPC event.
 */
export type DesktopBridge = {
  [M in ControlMethod]: (...args: Parameters<ControlApi[M]>) => Promise<ControlResult<Awaited<ReturnType<ControlApi[M]>>>>;
} & {
  onEvent<K extends ControlEventName>(name: K, listener: EventListener<K>): () => void;
};

export function isControlEventName(name: unknown): name is ControlEventName {
  return (CONTROL_EVENT_NAMES as readonly unknown[]).includes(name);
}

/** The console's ControlClient over the desktop bridge: results become values or ControlErrors again. */
export function clientFromBridge(bridge: DesktopBridge): ControlClient {
  const client: Record<string, unknown> = { onEvent: bridge.onEvent.bind(bridge) };
  for (const method of CONTROL_METHODS) {
    const call = bridge[method] as (...args: unknown[]) => Promise<ControlResult<unknown>>;
    client[method] = async (...args: unknown[]) => {
      const result = await call(...args);
      if (!result.ok) throw controlErrorOf(result.error);
      return result.value;
    };
  }
  return client as unknown as ControlClient;
}
