// The seam between the gateway and an upstream. The gateway speaks Anthropic inside; a provider
// translates at the edge and reports failures as classified kinds the retry policy understands.

import type { Account, FailureKind, ProviderKind } from '../contract/index.js';
import type { Frame } from '../anthropic/sse.js';
import type { PreparedRequest } from '../anthropic/prepared-request.js';

export interface AttemptContext {
  /** Aborted when the client goes away or the gateway gives up on this attempt. */
  signal: AbortSignal;
  /** Client headers worth forwarding (`anthropic-version`, `anthropic-beta`), lower-case names. */
  forwardHeaders: Record<string, string>;
  requestId: string;
  /** Headers timeout and per-chunk body timeout for the upstream call. */
  timeoutMs: number;
}

/** What a provider needs about the account it sends on: the stored record and its secret. */
export interface AccountCredentials<A extends Account = Account> {
  account: A;
  secret: string;
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

export type AttemptResult =
  | {
      ok: true;
      /** Anthropic stream events, `message_start` first. Throws UpstreamError if the upstream breaks. */
      frames: AsyncIterable<Frame>;
      upstreamModel: string;
      /** Upstream response headers to relay (request-id, rate-limit hints). */
      relayHeaders: Record<string, string>;
    }
  | { ok: false; failure: UpstreamFailure };

export type CountTokensResult =
  | { ok: true; inputTokens: number }
  | { ok: false; failure: UpstreamFailure };

export interface ProviderCapabilities {
  /** False when this account's upstream rejects `cache_control` fields. */
  acceptsCacheControl: boolean;
  /** True when this account's upstream answers count_tokens. */
  countTokens: boolean;
}

export interface Provider<A extends Account = Account> {
  readonly kind: ProviderKind;
  capabilities(account: A): ProviderCapabilities;
  send(req: PreparedRequest, creds: AccountCredentials<A>, ctx: AttemptContext): Promise<AttemptResult>;
  countTokens(req: PreparedRequest, creds: AccountCredentials<A>, ctx: AttemptContext): Promise<CountTokensResult>;
  /** Releases connection pools. */
  close(): Promise<void>;
}
