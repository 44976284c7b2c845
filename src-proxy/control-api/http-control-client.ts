// A ControlClient that calls a running core over HTTP. It is built from the contract's method list, so a
// method added to the contract is available here without a line changing. Live events come over one SSE
// connection, opened with the first listener, reopened (after a growing pause) when the core restarts,
// and closed with the last listener.

import { request } from 'undici';
import { CONTROL_METHODS, ControlError, type ControlClient, type ControlResult } from '../contract/index.js';
import { SseDataSplitter } from '../providers/shared/sse-data.js';
import { EventSubscriptions } from './event-subscriptions.js';
import { API_PREFIX, EVENTS_PATH } from './console-server.js';

const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5000;

export function createHttpControlClient(baseUrl: string, token: string, timeoutMs = 10_000): ControlClient {
  const callMethod = async (method: string, args: unknown[]): Promise<unknown> => {
    let text: string;
    try {
      const res = await request(`${baseUrl}${API_PREFIX}${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      text = await res.body.text();
    } catch (err) {
      throw new ControlError('internal', `cannot reach the running switchyard at ${baseUrl} (${(err as { code?: string }).code ?? String(err)})`);
    }
    let result: ControlResult<unknown>;
    try {
      result = JSON.parse(text) as ControlResult<unknown>;
    } catch {
      throw new ControlError('internal', `unexpected answer from ${baseUrl}`);
    }
    if (!result.ok) throw new ControlError(result.error.code, result.error.message);
    return result.value;
  };
  const events = new EventStream(baseUrl, token);
  const client: Record<string, unknown> = { onEvent: events.subscriptions.add.bind(events.subscriptions) };
  for (const method of CONTROL_METHODS) client[method] = (...args: unknown[]) => callMethod(method, args);
  return client as unknown as ControlClient;
}

/** The core's live events over SSE, for as long as someone listens. */
class EventStream {
  readonly subscriptions = new EventSubscriptions(
    () => this.connect(),
    () => this.disconnect(),
  );
  private abort: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wait = RECONNECT_FIRST_MS;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private connect(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.read(abort.signal).then(
      () => this.retry(abort),
      () => this.retry(abort),
    );
  }

  private async read(signal: AbortSignal): Promise<void> {
    const res = await request(`${this.baseUrl}${EVENTS_PATH}`, { method: 'GET', headers: { authorization: `Bearer ${this.token}` }, signal });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return;
    }
    this.wait = RECONNECT_FIRST_MS;
    const splitter = new SseDataSplitter();
    for await (const chunk of res.body) {
      for (const { event, data } of splitter.pushEvents(chunk as Buffer)) if (event !== null) this.subscriptions.deliver(event, JSON.parse(data));
    }
  }

  /** The stream ended or failed: open it again while someone still listens, waiting longer each time. */
  private retry(ended: AbortController): void {
    if (this.abort !== ended || !this.subscriptions.active) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.subscriptions.active && this.abort === ended) this.connect();
    }, this.wait);
    this.timer.unref();
    this.wait = Math.min(this.wait * 2, RECONNECT_MAX_MS);
  }

  private disconnect(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    this.abort = null;
  }
}
