// The request history port: where the request log keeps entries across restarts.

import type { RequestLogEntry } from '../contract/index.js';
import type { LoggedEntry } from './logged-entry.js';

export interface RequestHistory {
  /** The newest `limit` entries, oldest first. */
  load(limit: number): Promise<RequestLogEntry[]>;
  /** Entries in the order they were recorded, already serialized. */
  append(entries: readonly LoggedEntry[]): Promise<void>;
  clear(): Promise<void>;
  /** Waits for pending writes; later appends reject. */
  close(): Promise<void>;
}
