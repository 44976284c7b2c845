// The one way a ControlApi call crosses a boundary (HTTP today, IPC next): the method name is checked
// against the contract's list, the arguments against the method's schema, and whatever the core throws
// becomes a ControlResult with a code. Every transport calls this; none checks arguments itself.

import {
  CONTROL_ARGS,
  CONTROL_EVENT_NAMES,
  CONTROL_METHODS,
  ControlError,
  ControlEventListeners,
  controlErrorOf,
  type ControlApi,
  type ControlClient,
  type ControlEvents,
  type ControlMethod,
  type ControlResult,
  issuesSummary,
  validationIssues,
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
      // Paths start at the argument's own fields: which argument it was is clear from the method.
      const issues = validationIssues(parsed.error.issues, rawArgs).map((i) => ({ ...i, path: typeof i.path[0] === 'number' ? i.path.slice(1) : i.path }));
      throw new ControlError('invalid_argument', `${method}: ${issuesSummary(issues)}`, issues);
    }
    // The schemas drop what they do not know; a call that named a field nobody reads is refused rather
    // than answered with a success that changed nothing.
    const unknown = unknownFields(rawArgs, parsed.data);
    if (unknown.length > 0) {
      const issues = unknown.map((p) => {
        const path = p.split('.').slice(1);
        return { path, code: 'unknown_field' as const, field: path.at(-1) ?? p };
      });
      throw new ControlError('invalid_argument', `${method}: ${unknown.map((p) => `${p}: unknown field`).join('; ')}`, issues);
    }
    const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
    const value = await fn.apply(api, parsed.data as unknown[]);
    return { ok: true, value: value ?? null };
  } catch (err) {
    if (err instanceof ControlError) return { ok: false, error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
    // A bug of ours: the caller learns that much, the shell's report the details.
    report?.(err);
    return { ok: false, error: { code: 'internal', message: `${method} failed inside the core` } };
  }
}

/**
 * The paths of object keys in `given` that the parsed value `kept` does not have: the fields a schema
 * stripped because it does not know them. Both are walked side by side, without recursion; where the
 * schema turned a value into something else, there is nothing to compare.
 */
export function unknownFields(given: unknown, kept: unknown): string[] {
  const found: string[] = [];
  const stack: Array<{ given: unknown; kept: unknown; path: string }> = [{ given, kept, path: '' }];
  while (stack.length > 0) {
    const { given: g, kept: k, path } = stack.pop()!;
    if (Array.isArray(g)) {
      if (!Array.isArray(k)) continue;
      for (let i = 0; i < Math.min(g.length, k.length); i++) stack.push({ given: g[i], kept: k[i], path: join(path, String(i)) });
    } else if (isPlainObject(g) && isPlainObject(k)) {
      for (const key of Object.keys(g)) {
        if (g[key] === undefined) continue;
        if (!Object.hasOwn(k, key)) found.push(join(path, key));
        else stack.push({ given: g[key], kept: k[key], path: join(path, key) });
      }
    }
  }
  return found.sort();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
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
      if (!result.ok) throw controlErrorOf(result.error);
      return result.value;
    };
  }
  return client as unknown as ControlClient;
}
