// The usage port: where finished requests are counted and where the Stats page reads the counts. One
// gateway keeps them in memory and a file (UsageStats); gateways that share a pool add theirs up in the
// shared store, each under its own name.

import type { RequestLogEntry, StatsQuery, StatsReport } from '../contract/index.js';

export interface UsageLedger {
  /** Reads what is kept from earlier runs; before the first request. */
  load(): Promise<void>;
  /** Counts one finished request of this gateway. On every request's path: never waits, never throws. */
  record(entry: RequestLogEntry): void;
  report(query: StatsQuery): StatsReport | Promise<StatsReport>;
  /** Writes what is pending now (at shutdown). */
  flush(): Promise<void>;
}
