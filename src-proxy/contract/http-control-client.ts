// The ControlClient over the headless console's HTTP API, for the browser console and the command line
// alike: one POST per call with the console token, live events over one streamed SSE response. It is
// built from the contract's method list, so a method added there is callable here without a change.
// The stream opens with the first listener and closes with the last; when it ends (`serve` restarted,
// the network dropped) it reopens after a growing pause and replays the current state (status, settings,
// accounts, updates) as events, so a listener holds what the new process holds without knowing there
// was a restart.

import {
  CONTROL_METHODS,
  controlErrorOf,
  type ControlApi,
  type ControlClient,
  type ControlEventName,
  type ControlEvents,
  type ControlMethod,
  type ControlResult,
} from './control-api.js';
import { ControlEventListeners } from './event-listeners.js';
import { SseTextParser } from './sse-text.js';

export const CONTROL_API_PREFIX = '/api/';
export const CONTROL_EVENTS_PATH = '/api/events';
export const RECONNECT_FIRST_MS = 250;
export const RECONNECT_MAX_MS = 5000;

/** The core could not be reached at all (stopped, restarting, or the network is down), or did not answer as itself. */
export class UnreachableError extends Error {
  constructor(message = 'switchyard is not answering') {
    super(message);
    this.name = 'UnreachableError';
  }
}

export interface HttpControlClientOptions {
  /** Origin of the console listener; '' (the default) for the page's own. */
  baseUrl?: string;
  token: string;
  /** The token was refused: the shell should ask for it again. */
  onUnauthorized?(): void;
  /** How long one call may take; unbounded when absent. The event stream has no such limit. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Where an error thrown by an event listener goes (it never reaches the stream). */
  onListenerError?(err: unknown): void;
}

/** The calls without arguments whose answer is a whole event's payload. */
type StateCall<K extends ControlEventName> = {
  [M in ControlMethod]: Parameters<ControlApi[M]> extends [] ? (Awaited<ReturnType<ControlApi[M]>> extends ControlEvents[K] ? M : never) : never;
}[ControlMethod];

/** Events that carry a whole piece of state, and the call that reads it now: replayed after a reconnect. */
const REPLAYED: { readonly [K in 'status' | 'settings' | 'accounts' | 'update']: StateCall<K> } = {
  status: 'getStatus',
  settings: 'getSettings',
  accounts: 'listAccounts',
  update: 'getUpdateStatus',
};

export function createHttpControlClient(opts: HttpControlClientOptions): ControlClient {
  const doFetch = opts.fetch ?? ((input: string | URL | Request, init?: RequestInit) => fetch(input, init));
  const base = opts.baseUrl ?? '';
  const where = base || 'this page';
  const headers = { authorization: `Bearer ${opts.token}` };

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const signal = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${CONTROL_API_PREFIX}${method}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
        signal,
      });
      text = await res.text();
    } catch (err) {
      throw new UnreachableError(`cannot reach the running switchyard at ${where} (${reasonOf(err)})`);
    }
    if (res.status === 401) opts.onUnauthorized?.();
    let result: ControlResult<unknown>;
    try {
      result = JSON.parse(text) as ControlResult<unknown>;
    } catch {
      throw new UnreachableError(`unexpected answer from ${where} (HTTP ${res.status})`);
    }
    if (!result.ok) throw controlErrorOf(result.error);
    return result.value;
  };

  const client: Record<string, unknown> = {};
  for (const method of CONTROL_METHODS) client[method] = (...args: unknown[]) => call(method, args);
  const stream = new EventStream(`${base}${CONTROL_EVENTS_PATH}`, headers, doFetch, opts, call);
  client.onEvent = stream.listeners.add.bind(stream.listeners);
  return client as unknown as ControlClient;
}

function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

class EventStream {
  readonly listeners: ControlEventListeners;
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wait = RECONNECT_FIRST_MS;
  /** This opening follows one that failed or ended, while someone listened throughout. */
  private reopening = false;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly doFetch: typeof fetch,
    private readonly opts: HttpControlClientOptions,
    private readonly call: (method: string, args: unknown[]) => Promise<unknown>,
  ) {
    this.listeners = new ControlEventListeners(
      () => this.connect(),
      () => this.disconnect(),
      opts.onListenerError,
    );
  }

  private connect(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.read(abort.signal).then(
      (again) => again && this.retry(abort),
      () => this.retry(abort),
    );
  }

  /** Reads until the stream ends; false when it must not be reopened (the token was refused). */
  private async read(signal: AbortSignal): Promise<boolean> {
    const res = await this.doFetch(this.url, { headers: this.headers, signal });
    if (res.status === 401) {
      await res.body?.cancel();
      this.opts.onUnauthorized?.();
      return false;
    }
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      return true;
    }
    this.wait = RECONNECT_FIRST_MS;
    // Events sent while the stream was down are lost; the state they carried is read again instead.
    if (this.reopening) void this.replay();
    const parser = new SseTextParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      for (const { event, data } of parser.push(decoder.decode(value, { stream: true }))) {
        if (event === null) continue;
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          continue;
        }
        this.listeners.deliver(event, payload);
      }
    }
  }

  /** The current state, as events, for those who listen to it. A call that fails is left to the next reconnect. */
  private async replay(): Promise<void> {
    const names = (Object.keys(REPLAYED) as Array<keyof typeof REPLAYED>).filter((name) => this.listeners.hears(name));
    await Promise.all(
      names.map(async (name) => {
        try {
          this.listeners.deliver(name, await this.call(REPLAYED[name], []));
        } catch {
          // Unreachable again: the stream will end and reconnect too.
        }
      }),
    );
  }

  /** The stream ended or failed: open it again while someone still listens, waiting longer each time. */
  private retry(ended: AbortController): void {
    if (this.abort !== ended || !this.listeners.active) return;
    this.reopening = true;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.listeners.active && this.abort === ended) this.connect();
    }, this.wait);
    // In Node, a pause before reconnecting does not keep the process alive on its own.
    (this.timer as { unref?: () => void }).unref?.();
    this.wait = Math.min(this.wait * 2, RECONNECT_MAX_MS);
  }

  private disconnect(): void {
    this.reopening = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    this.abort = null;
  }
}
