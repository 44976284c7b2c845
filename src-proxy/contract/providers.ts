import { z } from 'zod';
import { ACCOUNT_KIND_NAMES, type AccountKind } from './account-kinds.js';

/** Upstream kinds: the account kinds. A mapping rule routes a model to one of these; accounts belong to exactly one. */
export const PROVIDER_KINDS = ACCOUNT_KIND_NAMES;
export const ProviderKindSchema = z.enum(PROVIDER_KINDS);
export type ProviderKind = AccountKind;

/**
 * Why an upstream attempt failed, as the retry policy sees it. The core reports these codes; the shells
 * choose the words.
 */
export const FAILURE_KINDS = [
  'rate_limit', // 429 with a reset in sight
  'quota', // 429 that will not clear soon (daily or plan quota)
  'auth', // 401: the account's credential is wrong
  'forbidden', // 403
  'not_found', // 404: model or endpoint unknown to this upstream
  'overloaded', // 529 / 503 / upstream `overloaded_error`
  'server', // other 5xx
  'network', // connection refused, reset, DNS, TLS
  'timeout', // no headers or no data in time
  'invalid', // 4xx the client must fix; never retried
  'stream', // the upstream stream broke or ended before the message was complete
] as const;
export const FailureKindSchema = z.enum(FAILURE_KINDS);
export type FailureKind = z.infer<typeof FailureKindSchema>;
