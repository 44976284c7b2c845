// Failures in and out of the protocol: an upstream `error` event becomes a classified failure, and a
// failure the gateway gives up on becomes the Anthropic error a client expects (right status, right
// type, `retry-after` when a wait is known, `x-should-retry: false` when retrying cannot help).

import type { FailureKind, ProviderKind } from '../contract/index.js';
import { GatewayError } from '../anthropic/errors.js';
import { clientError, FAILURE_TABLE, kindOfErrorType } from '../providers/failure-table.js';
import type { UpstreamFailure } from '../providers/types.js';
import { redactJson, type Redact } from '../lib/redactor.js';

/** The failure with the secrets the gateway holds cut out of the upstream's words and body. */
export function redactFailure(failure: UpstreamFailure, redact: Redact): UpstreamFailure {
  const message = redact(failure.message);
  const clientBody = redactJson(failure.clientBody, redact);
  if (message === failure.message && clientBody === failure.clientBody) return failure;
  return { ...failure, message, clientBody };
}

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

/**
 * An upstream's words, made safe to show inside Claude Code. Claude Code reads any error message that
 * mentions `x-api-key` as a problem with its own key ("Invalid API key · Fix external API key"), which
 * sends the user after the wrong key when it is an account's key the upstream refused.
 */
export function upstreamWords(message: string): string {
  return message.replace(/x-api-key/gi, 'API key');
}

/** Where a refused account is fixed, for the messages that name one. */
const FIX_ACCOUNT = "Fix the account's key in Switchyard (console → Accounts) or add another account.";

/** What the client is told about each kind, after `via` (which account) — the words; the table gives the rest. */
const WORDING: Readonly<Record<FailureKind, (via: string, f: UpstreamFailure) => string>> = {
  invalid: (_via, f) => f.message,
  rate_limit: (via, f) => `Rate limited by ${via}: ${upstreamWords(f.message)}`,
  quota: (via, f) => `Quota exhausted on ${via}: ${upstreamWords(f.message)}`,
  auth: (via, f) =>
    `${capitalise(via)} is out of service: its upstream refused the account's key or sign-in (${f.status ?? 401}: ${upstreamWords(f.message)}). ${FIX_ACCOUNT}`,
  forbidden: (via, f) => `${capitalise(via)} is not allowed to do this (${f.status ?? 403}): ${upstreamWords(f.message)}`,
  not_found: (via, f) => `Not found on ${via}: ${upstreamWords(f.message)}`,
  overloaded: (via, f) => `Upstream overloaded (${via}): ${upstreamWords(f.message)}`,
  timeout: (via, f) => `Upstream timed out (${via}): ${upstreamWords(f.message)}`,
  network: (via, f) => `Could not reach ${via}: ${upstreamWords(f.message)}`,
  stream: (via, f) => `The stream from ${via} broke: ${upstreamWords(f.message)}`,
  server: (via, f) => `Upstream error (${via}): ${upstreamWords(f.message)}`,
};

/** The answer to the client when the gateway stops trying. `label` names the account that failed last. */
export function failureResponse(failure: UpstreamFailure, label: string, chain: string | null = null): GatewayError {
  const row = FAILURE_TABLE[failure.kind];
  const headers: Record<string, string> = {};
  if (row.sayWait && failure.retryAfterMs !== null) headers['retry-after'] = seconds(failure.retryAfterMs);
  if (row.sayNoRetry) headers['x-should-retry'] = 'false';
  const worded = WORDING[failure.kind](`upstream account "${label}"`, failure);
  const message = chain === null || failure.kind === 'invalid' ? worded : `${worded} Route: ${chain}.`;
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
  /** Enabled accounts out of service because their upstream refused their key or sign-in. */
  refused?: ReadonlyArray<{ label: string }>;
}

/** The answer when every enabled account of the kind is out of service: it names them, and what to do. */
function refusedResponse(refused: ReadonlyArray<{ label: string }>, route: { provider: ProviderKind; model: string }, chain: string | null): GatewayError {
  const names = refused.map((a) => `"${a.label}"`).join(', ');
  const who =
    refused.length === 1
      ? `The ${route.provider} account ${names} is out of service: its upstream refused its key or sign-in`
      : `The ${route.provider} accounts ${names} are out of service: their upstreams refused their keys or sign-ins`;
  const also = chain === null ? '' : ` Route: ${chain}.`;
  return new GatewayError(
    502,
    `${who}, so no ${route.provider} account can serve ${route.model}. ${FIX_ACCOUNT}${also}`,
    { 'x-should-retry': 'false' },
    'api_error',
  );
}

/** The answer when the pool has nothing to offer before any attempt was made. `chain`: every link's fate, for a route of several. */
export function noAccountResponse(n: NoAccount, route: { provider: ProviderKind; model: string }, now: number, chain: string | null = null): GatewayError {
  if (n.reason === 'no_accounts' && n.refused !== undefined && n.refused.length > 0) return refusedResponse(n.refused, route, chain);
  const also = chain === null ? '' : ` Route: ${chain}.`;
  if (n.reason !== 'all_cooling') {
    return new GatewayError(
      503,
      `No enabled ${route.provider} account can serve ${route.model}. Add one (switchyard accounts add) or re-enable one in the console.${also}`,
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
      `Every ${route.provider} account that can serve ${route.model} is cooling down after rate limits; the first is available again at ${at}.${also}`,
      wait,
    );
  }
  const why =
    n.cooldownReason === 'network' ? 'could not be reached' : n.cooldownReason === 'forbidden' ? 'was refused access' : `failed (${n.cooldownReason})`;
  return new GatewayError(
    503,
    `Every ${route.provider} account that can serve ${route.model} is resting after its upstream ${why}; the first is tried again at ${at}.${also}`,
    wait,
    'overloaded_error',
  );
}
