// The one way a ControlApi call crosses a boundary (HTTP today, IPC next): the method name is checked
// against the contract's list, the arguments against the method's schema, and whatever the core throws
// becomes a ControlResult with a code. Every transport calls this; none checks arguments itself.

import {
  CONTROL_ARGS,
  CONTROL_EVENT_NAMES,
  CONTROL_METHODS,
  ControlError,
  ControlEventListeners,
  type ControlApi,
  type ControlClient,
  type ControlEvents,
  type ControlMethod,
  type ControlResult,
} from '../contract/index.js';
import type { EventBus } from '../lib/event-bus.js';
import { reportUnhandled } from '../lib/report.js';

export function isControlMethod(name: string): name is ControlMethod {
  return (CONTROL_METHODS as string[]).includes(name);
}

/** Calls `method` on `api` with arguments from outside; never throws. A bug goes to `report`, not to the caller. */
export async function dispatch(api: ControlApi, method: string, rawArgs: unknown, report?: (err: unknown) => void): Promise<ControlResult<unknown>> {
  try {
    if (!isControlMethod(method)) throw new ControlError('not_found', `no control method ${method}`);
    const parsed = CONTROL_ARGS[method].safeParse(rawArgs ?? []);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      throw new ControlError('invalid_argument', `${method}: ${detail}`);
    }
    const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
    const value = await fn.apply(api, parsed.data as unknown[]);
    return { ok: true, value: value ?? null };
  } catch (err) {
    if (err instanceof ControlError) return { ok: false, error: { code: err.code, message: err.message } };
    // A bug of ours: the caller learns that much, the shell's report the details.
    report?.(err);
    return { ok: false, error: { code: 'internal', message: `${method} failed inside the core` } };
  }
}

/**
 * A ControlClient whose every call goes through `dispatch`, as a remote one would, with the events of
 * `events`: for in-process shells and tests.
 */
export function dispatchingClient(api: ControlApi, events: EventBus<ControlEvents>): ControlClient {
  const offs: Array<() => void> = [];
  const subscriptions: ControlEventListeners = new ControlEventListeners(
    () => {
      for (const name of CONTROL_EVENT_NAMES) offs.push(events.on(name, (payload) => subscriptions.deliver(name, payload)));
    },
    () => {
      for (const off of offs.splice(0)) off();
    },
    (err) => reportUnhandled('event listener', err),
  );
  const client: Record<string, unknown> = { onEvent: subscriptions.add.bind(subscriptions) };
  for (const method of CONTROL_METHODS) {
    client[method] = async (...args: unknown[]) => {
      // The arguments cross as JSON would, so nothing passes by reference that a transport could not carry.
      const result = await dispatch(api, method, JSON.parse(JSON.stringify(args)) as unknown);
      if (!result.ok) throw new ControlError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return client as unknown as ControlClient;
}
