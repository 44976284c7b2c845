// Failures in and out of the protocol: an upstream `error` event becomes a classified failure, and a
// failure the gateway gives up on becomes the Anthropic error a client expects (right status, right
// type, `retry-after` when a wait is known, `x-should-retry: false` when retrying cannot help).

import type { FailureKind, ProviderKind } from '../contract/index.js';
import { GatewayError } from '../anthropic/errors.js';
import { clientError, FAILURE_TABLE, kindOfErrorType } from '../providers/failure-table.js';
import type { UpstreamFailure } from '../providers/types.js';

/** An `event: error` the upstream sent instead of (or in the middle of) a message. */
export function failureFromErrorEvent(error: { type?: unknown; message?: unknown }): UpstreamFailure {
  const type = typeof error.type === 'string' ? error.type : 'api_error';
  const kind = kindOfErrorType(type);
  return {
    kind,
    status: null,
    message: typeof error.message === 'string' ? error.message : type,
    retryAfterMs: null,
    clientBody: kind === 'invalid' ? { type: 'error', error } : undefined,
  };
}

function seconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** What the client is told about each kind, after `via` (which account) — the words; the table gives the rest. */
const WORDING: Readonly<Record<FailureKind, (via: string, f: UpstreamFailure) => string>> = {
  invalid: (_via, f) => f.message,
  rate_limit: (via, f) => `Rate limited by ${via}: ${f.message}`,
  quota: (via, f) => `Quota exhausted on ${via}: ${f.message}`,
  auth: (via, f) => `The key or sign-in of ${via} was refused (${f.status ?? 401}): ${f.message}`,
  forbidden: (via, f) => `${capitalise(via)} is not allowed to do this (${f.status ?? 403}): ${f.message}`,
  not_found: (via, f) => `Not found on ${via}: ${f.message}`,
  overloaded: (via, f) => `Upstream overloaded (${via}): ${f.message}`,
  timeout: (via, f) => `Upstream timed out (${via}): ${f.message}`,
  network: (via, f) => `Could not reach ${via}: ${f.message}`,
  stream: (via, f) => `The stream from ${via} broke: ${f.message}`,
  server: (via, f) => `Upstream error (${via}): ${f.message}`,
};

/** The answer to the client when the gateway stops trying. `label` names the account that failed last. */
export function failureResponse(failure: UpstreamFailure, label: string): GatewayError {
  const row = FAILURE_TABLE[failure.kind];
  const headers: Record<string, string> = {};
  if (row.sayWait && failure.retryAfterMs !== null) headers['retry-after'] = seconds(failure.retryAfterMs);
  if (row.sayNoRetry) headers['x-should-retry'] = 'false';
  const message = WORDING[failure.kind](`upstream account "${label}"`, failure);
  const { status, type } = clientError(failure.kind, failure.status);
  return new GatewayError(status, message, headers, type);
}

/** The `event: error` sent when a stream fails after the 200 was committed. */
export function streamErrorEvent(failure: UpstreamFailure): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type: FAILURE_TABLE[failure.kind].streamErrorType, message: failure.message } };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Why no account could take an attempt (see AccountSelector.select). */
export interface NoAccount {
  reason: 'no_accounts' | 'all_cooling' | 'exhausted';
  retryAt: number | null;
  cooldownReason?: FailureKind;
}

/** The answer when the pool has nothing to offer before any attempt was made. */
export function noAccountResponse(n: NoAccount, route: { provider: ProviderKind; model: string }, now: number): GatewayError {
  if (n.reason !== 'all_cooling') {
    return new GatewayError(
      503,
      `No enabled ${route.provider} account can serve ${route.model}. Add one (switchyard accounts add) or re-enable one in the console.`,
      { 'x-should-retry': 'false' },
      'api_error',
    );
  }
  const waitMs = Math.max(0, (n.retryAt ?? now) - now);
  const at = new Date(now + waitMs).toISOString();
  const wait = { 'retry-after': seconds(waitMs) };
  if (n.cooldownReason === 'rate_limit' || n.cooldownReason === 'quota' || n.cooldownReason === undefined) {
    return new GatewayError(
      429,
      `Every ${route.provider} account that can serve ${route.model} is cooling down after rate limits; the first is available again at ${at}.`,
      wait,
    );
  }
  const why =
    n.cooldownReason === 'network' ? 'could not be reached' : n.cooldownReason === 'forbidden' ? 'was refused access' : `failed (${n.cooldownReason})`;
  return new GatewayError(
    503,
    `Every ${route.provider} account that can serve ${route.model} is resting after its upstream ${why}; the first is tried again at ${at}.`,
    wait,
    'overloaded_error',
  );
}
