// What the gateway needs from the rest of the core. The runtime provides it; tests can too.

import type { RequestLogEntry, Settings } from '../contract/index.js';
import type { AccountPool } from '../accounts/pool-ports.js';
import type { Redact } from '../lib/redactor.js';
import type { ProviderRegistry } from '../providers/types.js';
import type { RetryPolicy } from '../routing/retry-policy.js';

export interface GatewayDeps {
  settings(): Settings;
  pool: AccountPool;
  providers: ProviderRegistry;
  recordRequest(entry: RequestLogEntry): void;
  retryPolicy?: RetryPolicy;
  /** Keep-alive ping period for silent streams; 15 s unless a test needs it shorter. */
  pingIntervalMs?: number;
  /** Unexpected exceptions (bugs), for the shell to report; never sent to clients in detail. */
  onInternalError?(err: unknown): void;
  /** Cuts every secret the gateway holds (keys, tokens, the OAuth client secret) out of text an upstream sent. */
  redact: Redact;
}
