// Failures in and out of the protocol: an upstream `error` event becomes a classified failure, and a
// failure the gateway gives up on becomes the Anthropic error a client expects (right status, right
// type, `retry-after` when a wait is known, `x-should-retry: false` when retrying cannot help).

import type { FailureKind, ProviderKind } from '../contract/index.js';
import { GatewayError } from '../anthropic/errors.js';
import type { UpstreamFailure } from '../providers/types.js';
import type { RunResult } from './attempt-runner.js';
import type { Reply } from './reply.js';
import type { RequestRecord } from './request-record.js';

const KIND_BY_ERROR_TYPE: Record<string, FailureKind> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limit',
  api_error: 'server',
  authentication_error: 'auth',
  permission_error: 'forbidden',
  not_found_error: 'not_found',
  invalid_request_error: 'invalid',
  request_too_large: 'invalid',
  timeout_error: 'timeout',
  billing_error: 'quota',
};

/** An `event: error` the upstream sent instead of (or in the middle of) a message. */
export function failureFromErrorEvent(error: { type?: unknown; message?: unknown }): UpstreamFailure {
  const type = typeof error.type === 'string' ? error.type : 'api_error';
  // The type is the upstream's text: an own-property lookup, so `constructor` is not a kind.
  const kind = Object.hasOwn(KIND_BY_ERROR_TYPE, type) ? KIND_BY_ERROR_TYPE[type]! : 'server';
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

/** The answer to the client when the gateway stops trying. `label` names the account that failed last. */
export function failureResponse(failure: UpstreamFailure, label: string): GatewayError {
  const via = `upstream account "${label}"`;
  const wait: Record<string, string> = failure.retryAfterMs !== null ? { 'retry-after': seconds(failure.retryAfterMs) } : {};
  switch (failure.kind) {
    case 'invalid':
      return new GatewayError(failure.status ?? 400, failure.message);
    case 'rate_limit':
      return new GatewayError(429, `Rate limited by ${via}: ${failure.message}`, wait);
    case 'quota':
      return new GatewayError(429, `Quota exhausted on ${via}: ${failure.message}`, { ...wait, 'x-should-retry': 'false' }, 'rate_limit_error');
    case 'auth':
      // Not 401: that would tell Claude Code its own key is wrong and send the user to /login.
      return new GatewayError(
        502,
        `The API key of ${via} was rejected (${failure.status ?? 401}): ${failure.message}`,
        { 'x-should-retry': 'false' },
        'api_error',
      );
    case 'forbidden':
      return new GatewayError(
        502,
        `${capitalise(via)} is not allowed to do this (${failure.status ?? 403}): ${failure.message}`,
        { 'x-should-retry': 'false' },
        'api_error',
      );
    case 'not_found':
      return new GatewayError(404, `Not found on ${via}: ${failure.message}`);
    case 'overloaded':
      return new GatewayError(529, `Upstream overloaded (${via}): ${failure.message}`, wait);
    case 'timeout':
      return new GatewayError(504, `Upstream timed out (${via}): ${failure.message}`);
    case 'network':
      return new GatewayError(502, `Could not reach ${via}: ${failure.message}`, {}, 'api_error');
    case 'stream':
      return new GatewayError(502, `The stream from ${via} broke: ${failure.message}`, {}, 'api_error');
    case 'server':
      return new GatewayError(
        failure.status !== null && failure.status >= 500 ? failure.status : 500,
        `Upstream error (${via}): ${failure.message}`,
        {},
        'api_error',
      );
  }
}

/** The `event: error` sent when a stream fails after the 200 was committed. */
export function streamErrorEvent(failure: UpstreamFailure): { type: 'error'; error: { type: string; message: string } } {
  const transient = failure.kind === 'overloaded' || failure.kind === 'stream' || failure.kind === 'network' || failure.kind === 'timeout';
  return { type: 'error', error: { type: transient ? 'overloaded_error' : 'api_error', message: failure.message } };
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
function noAccountResponse(n: NoAccount, route: { provider: ProviderKind; model: string }, now: number): GatewayError {
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

/** Answers a request the runner gave up on, and notes in the log what the client was told. */
export function answerFailure(
  result: Extract<RunResult<unknown>, { kind: 'failed' | 'no_account' }>,
  reply: Reply,
  record: RequestRecord,
  route: { provider: ProviderKind; model: string },
): void {
  if (result.kind === 'no_account') {
    const err = noAccountResponse(result, route, Date.now());
    if (result.account) {
      record.servedBy(result.account);
      reply.set('x-account-email', result.account.label);
    }
    record.failed(err.type, err.message);
    reply.error(err);
    record.finish(err.status);
    return;
  }
  const { failure, account } = result;
  record.servedBy(account);
  if (result.committed) {
    // The 200 is out; the stream already carries the error.
    record.failed(streamErrorEvent(failure).error.type, failure.message);
    record.finish(200);
    return;
  }
  const err = failureResponse(failure, account.label);
  record.failed(err.type, err.message);
  reply.set('x-account-email', account.label);
  if (failure.kind === 'invalid' && failure.clientBody !== undefined) reply.json(err.status, failure.clientBody);
  else reply.error(err);
  record.finish(err.status);
}
