// The log entry of one request, filled in as the pipeline goes and published exactly once, by the
// request's exchange. The pipeline says what happened (routed, attempted, usage, failed, clientGone); the
// record decides how that reads in the log, so no handler writes entry fields of its own.

import type { AttemptRecord, FailureKind, LinkRecord, NoteCode, ProviderKind, RequestLogEntry } from '../contract/index.js';

const NO_LINKS: readonly LinkRecord[] = Object.freeze([]);

/** Status logged for a request whose client went away before the answer (nginx's convention). */
export const CLIENT_CLOSED = 499;

interface AccountRef {
  id: string;
  label: string;
}

export interface UsageFields {
  input_tokens?: unknown;
  output_tokens?: unknown;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
}

export class RequestRecord {
  private readonly startedAt = performance.now();
  private readonly time = Date.now();
  private ttfb: number | null = null;
  private published = false;
  private inboundModel: string | null = null;
  private stream = false;
  private mappedModel: string | null = null;
  private provider: ProviderKind | null = null;
  private account: AccountRef | null = null;
  private readonly attempts: AttemptRecord[] = [];
  private links: readonly LinkRecord[] = NO_LINKS;
  private notes: NoteCode[] | null = null;
  private inputTokens: number | null = null;
  private outputTokens: number | null = null;
  private cacheRead: number | null = null;
  private cacheCreation: number | null = null;
  private stopReason: string | null = null;
  private localAnswer: RequestLogEntry['local'] = null;
  private errorType: string | null = null;
  private errorMessage: string | null = null;
  private aborted = false;

  constructor(
    readonly id: string,
    readonly method: string,
    readonly path: string,
    private readonly route: RequestLogEntry['route'],
    private readonly publish: (entry: RequestLogEntry) => void,
  ) {}

  /** The validated request: which model the client asked for, and whether it wants a stream. */
  received(model: string, stream: boolean): void {
    this.inboundModel = model;
    this.stream = stream;
  }

  routed(route: { provider: ProviderKind; model: string }): void {
    this.provider = route.provider;
    this.mappedModel = route.model;
  }

  /** Answered here rather than by an upstream. */
  answeredLocally(kind: NonNullable<RequestLogEntry['local']>): void {
    this.localAnswer = kind;
  }

  /** The account that served the request, or failed it last. */
  servedBy(account: AccountRef): void {
    this.account = account;
  }

  /** One upstream attempt that started at `startedAt` (performance.now()), on the route's link number `link`. */
  attempted(account: AccountRef, startedAt: number, status: number | null, failure: FailureKind | null, message: string | null, link = 0): void {
    this.attempts.push({
      account_id: account.id,
      account_label: account.label,
      status,
      failure,
      message,
      latency_ms: Math.round(performance.now() - startedAt),
      link,
    });
  }

  /** What became of each link of the route: served, failed, skipped and why, or not reached. */
  linked(links: readonly LinkRecord[]): void {
    this.links = links;
  }

  /** Something the gateway changed about the request for its upstream; each code once. */
  noted(code: NoteCode): void {
    this.notes ??= [];
    if (!this.notes.includes(code)) this.notes.push(code);
  }

  get linkRecords(): readonly LinkRecord[] {
    return this.links;
  }

  /** Whether an attempt on this account already went through (e.g. before the client left mid-stream). */
  succeededOn(accountId: string): boolean {
    return this.attempts.some((a) => a.account_id === accountId && a.failure === null);
  }

  /** Token counts as the upstream reports them; a field it leaves out keeps the value seen so far. */
  usage(u: UsageFields, stopReason: string | null = null): void {
    if (typeof u.input_tokens === 'number') this.inputTokens = u.input_tokens;
    if (typeof u.output_tokens === 'number') this.outputTokens = u.output_tokens;
    if (typeof u.cache_read_input_tokens === 'number') this.cacheRead = u.cache_read_input_tokens;
    if (typeof u.cache_creation_input_tokens === 'number') this.cacheCreation = u.cache_creation_input_tokens;
    if (stopReason) this.stopReason = stopReason;
  }

  get tokens(): { input_tokens: number | null; output_tokens: number | null } {
    return { input_tokens: this.inputTokens, output_tokens: this.outputTokens };
  }

  /** The error the client got (or that ended its stream). */
  failed(type: string, message: string): void {
    this.errorType = type;
    this.errorMessage = message;
  }

  clientGone(): void {
    this.aborted = true;
  }

  get clientAborted(): boolean {
    return this.aborted;
  }

  /** Marks the first byte of the response body; later calls keep the first value. */
  firstByte(): void {
    this.ttfb ??= performance.now() - this.startedAt;
  }

  finish(status: number): void {
    if (this.published) return;
    this.published = true;
    this.publish({
      id: this.id,
      time: this.time,
      method: this.method,
      path: this.path,
      route: this.route,
      inbound_model: this.inboundModel,
      mapped_model: this.mappedModel,
      provider: this.provider,
      account_id: this.account?.id ?? null,
      account_label: this.account?.label ?? null,
      stream: this.stream,
      status,
      attempts: this.attempts,
      links: [...this.links],
      notes: this.notes ?? [],
      latency_ms: round(performance.now() - this.startedAt),
      ttfb_ms: this.ttfb === null ? null : round(this.ttfb),
      input_tokens: this.inputTokens,
      output_tokens: this.outputTokens,
      cache_read_input_tokens: this.cacheRead,
      cache_creation_input_tokens: this.cacheCreation,
      stop_reason: this.stopReason,
      // Priced where the log takes the entry, with the price table of that moment.
      cost_usd: null,
      priced_as: null,
      requested_cost_usd: null,
      local: this.localAnswer,
      error_type: this.errorType,
      error_message: this.errorMessage,
      client_aborted: this.aborted,
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
