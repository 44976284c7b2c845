// A log entry as the log keeps it: its JSON, made once when the request finishes, and its time. Entries
// wait in memory for the console and for the history file; kept as one string each rather than as a
// graph of small objects, they cost the garbage collector a copy instead of a walk.

import type { RequestLogEntry } from '../contract/index.js';

export interface LoggedEntry {
  readonly id: string;
  /** Epoch ms when the request arrived (the entry's `time`). */
  readonly time: number;
  /** The entry as JSON: what the history file stores and the console list parses back. */
  readonly json: string;
  /** The gateway of the team that served it (team mode). */
  readonly instance?: string;
}

export function logged(entry: RequestLogEntry): LoggedEntry {
  return entry.instance === undefined
    ? { id: entry.id, time: entry.time, json: JSON.stringify(entry) }
    : { id: entry.id, time: entry.time, json: JSON.stringify(entry), instance: entry.instance };
}

export function loggedAll(entries: readonly RequestLogEntry[]): LoggedEntry[] {
  return entries.map(logged);
}
