// The console's ControlClient over the headless console's HTTP API: one POST per call with the console
// token, live events over one streamed SSE response. The stream reopens after a growing pause when
// `serve` restarts, and then replays the current status, settings and accounts as events, so the pages
// show what the new process holds without knowing there was a restart.

import { CONTROL_METHODS, ControlError, type ControlClient, type ControlResult } from '../../src-proxy/contract/index.js';
import { EventListeners } from './event-listeners.js';
import { SseParser } from './sse-parser.js';
import { UnreachableError } from './unreachable-error.js';

export const RECONNECT_FIRST_MS = 250;
export const RECONNECT_MAX_MS = 5000;

export interface HttpClientOptions {
  /** Origin of the console listener; '' for the page's own. */
  baseUrl?: string;
  token: string;
  /** The token was refused: the console should ask for it again. */
  onUnauthorized(): void;
  fetch?: typeof fetch;
}

export function createHttpControlClient(opts: HttpClientOptions): ControlClient {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = opts.baseUrl ?? '';
  const headers = { authorization: `Bearer ${opts.token}` };

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
      });
    } catch {
      throw new UnreachableError();
    }
    if (res.status === 401) opts.onUnauthorized();
    let result: ControlResult<unknown>;
    try {
      result = (await res.json()) as ControlResult<unknown>;
    } catch {
      throw new UnreachableError(`unexpected answer (${res.status})`);
    }
    if (!result.ok) throw new ControlError(result.error.code, result.error.message);
    return result.value;
  };

  const client: Record<string, unknown> = {};
  for (const method of CONTROL_METHODS) client[method] = (...args: unknown[]) => call(method, args);

  const stream = new EventStream(base, headers, doFetch, opts.onUnauthorized, async (deliver) => {
    const [status, settings, accounts] = await Promise.all([call('getStatus', []), call('getSettings', []), call('listAccounts', [])]);
    deliver('status', status);
    deliver('settings', settings);
    deliver('accounts', accounts);
  });
  client.onEvent = stream.listeners.add.bind(stream.listeners);
  return client as unknown as ControlClient;
}

type Deliver = (name: string, payload: unknown) => void;

class EventStream {
  readonly listeners = new EventListeners(
    () => this.connect(),
    () => this.disconnect(),
  );
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wait = RECONNECT_FIRST_MS;
  private connectedBefore = false;

  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
    private readonly doFetch: typeof fetch,
    private readonly onUnauthorized: () => void,
    private readonly resync: (deliver: Deliver) => Promise<void>,
  ) {}

  private connect(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.read(abort.signal).then(
      (again) => again && this.retry(abort),
      () => this.retry(abort),
    );
  }

  /** Reads until the stream ends; false when it should not be reopened. */
  private async read(signal: AbortSignal): Promise<boolean> {
    const res = await this.doFetch(`${this.base}/api/events`, { headers: this.headers, signal });
    if (res.status === 401) {
      this.onUnauthorized();
      return false;
    }
    if (res.status !== 200 || !res.body) return true;
    this.wait = RECONNECT_FIRST_MS;
    const deliver: Deliver = (name, payload) => this.listeners.deliver(name, payload);
    if (this.connectedBefore) void this.resync(deliver).catch(() => undefined);
    this.connectedBefore = true;
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      for (const { event, data } of parser.push(decoder.decode(value, { stream: true }))) {
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          continue;
        }
        deliver(event, payload);
      }
    }
  }

  private retry(ended: AbortController): void {
    if (this.abort !== ended || !this.listeners.active) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.listeners.active && this.abort === ended) this.connect();
    }, this.wait);
    this.wait = Math.min(this.wait * 2, RECONNECT_MAX_MS);
  }

  private disconnect(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    this.abort = null;
  }
}
