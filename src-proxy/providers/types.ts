// The seam between the gateway and an upstream. The gateway speaks Anthropic inside; a provider
// translates at the edge and reports failures as classified kinds the retry policy understands.

import type { Account, FailureKind, NoteCode, ProviderKind } from '../contract/index.js';
import type { AccountCredentials } from '../accounts/pool-ports.js';
import type { FrameBatch } from '../anthropic/sse.js';
import type { PreparedRequest } from '../anthropic/prepared-request.js';
import type { CountTokensRequest, Message, RequestBase } from '../anthropic/types.js';

export interface AttemptContext {
  /** Aborted when the client goes away or the gateway gives up on this attempt. */
  readonly signal: AbortSignal;
  /**
   * The same event as a plain callback (called at once if it already happened); returns an unsubscribe.
   * Cheaper than `signal` on the hot path, where an AbortSignal per request shows in profiles.
   */
  onAbort(listener: () => void): () => void;
  /** Client headers worth forwarding (`anthropic-version`, `anthropic-beta`), lower-case names. */
  forwardHeaders: Record<string, string>;
  requestId: string;
  /** How long to wait for the upstream's response headers; 0 leaves the wait to `signal`. */
  headersTimeoutMs: number;
  /** How long the upstream's body may stay silent between chunks. */
  idleTimeoutMs: number;
}

export interface UpstreamFailure {
  kind: FailureKind;
  /** Upstream HTTP status when there was one. */
  status: number | null;
  /** Upstream's own message, safe to show (never contains the credential). */
  message: string;
  /** How long the upstream asked us to wait (retry-after, reset hints), in ms. */
  retryAfterMs: number | null;
  /** For `invalid` failures: the upstream's Anthropic error body, relayed to the client as is. */
  clientBody?: unknown;
}

/** A failure raised while reading an upstream stream. */
export class UpstreamError extends Error {
  constructor(readonly failure: UpstreamFailure) {
    super(failure.message);
    this.name = 'UpstreamError';
  }
}

interface AttemptSuccessBase {
  ok: true;
  upstreamModel: string;
  /** Upstream response headers worth relaying to the client (rate-limit hints, upstream request id). */
  relayHeaders: Record<string, string>;
  /** What the provider changed about the request so the upstream would take it, for the log. */
  notes?: readonly NoteCode[];
}

export type AttemptSuccess =
  | (AttemptSuccessBase & {
      kind: 'stream';
      /**
       * Anthropic stream events, `message_start` first, in the batches they arrived in. Throws
       * UpstreamError if the upstream breaks.
       */
      batches: AsyncIterable<FrameBatch>;
    })
  | (AttemptSuccessBase & {
      kind: 'message';
      message: Message;
      /** The upstream's exact JSON bytes for `message`, when they can be relayed as they are. */
      raw: Buffer | null;
    });

export type AttemptResult = AttemptSuccess | { ok: false; failure: UpstreamFailure };

export type CountTokensResult = { ok: true; inputTokens: number } | { ok: false; failure: UpstreamFailure };

export interface ProviderCapabilities {
  /** True when this account's upstream answers count_tokens. */
  countTokens: boolean;
}

/**
 * The first-yield rule. A stream a provider returns yields nothing until the upstream has produced its
 * first content (a translating provider: the first events its stream builder emits; an Anthropic
 * upstream: its first event), and a failure before that is a classified failure, returned as
 * `{ ok: false }` or thrown by the stream as an UpstreamError before its first batch. The gateway
 * commits the 200 only when it holds that first batch, so such a failure can still be retried on
 * another account; a failure after it ends the client's stream with `event: error`.
 */
export interface Provider<A extends Account = Account> {
  readonly kind: ProviderKind;
  capabilities(account: A): ProviderCapabilities;
  /**
   * The request as this account's upstream can take it: what it rejects is stripped or converted here
   * (cache_control, thinking from another model family, fields and beta flags), by the provider, never
   * by the gateway. Called once per attempt; returns `req` itself when nothing needs to change.
   */
  prepare<R extends RequestBase>(req: PreparedRequest<R>, account: A): PreparedRequest<R>;
  /**
   * Sends one attempt. `req.body.stream` says what the client wants; a provider may stream internally
   * either way and return frames, or return a complete message for a non-streaming client.
   */
  send(req: PreparedRequest, creds: AccountCredentials<A>, ctx: AttemptContext): Promise<AttemptResult>;
  countTokens(req: PreparedRequest<CountTokensRequest>, creds: AccountCredentials<A>, ctx: AttemptContext): Promise<CountTokensResult>;
  /** Releases connection pools. */
  close(): Promise<void>;
}

/** One provider per kind; a kind without one does not compile. */
export type ProviderRegistry = { readonly [K in ProviderKind]: Provider<Extract<Account, { provider: K }>> };

/**
 * The provider serving a route. Accounts reach it only through selection by provider kind, so the
 * account it receives is always of its own kind; the widening is sound.
 */
export function providerFor(registry: ProviderRegistry, kind: ProviderKind): Provider {
  return registry[kind] as Provider;
}
