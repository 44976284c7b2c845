// What the runtime knows of the team it belongs to: its own name in it, the team's picture for the
// console (the gateways and whether the store answers), the other gateways' log entries as they come.

import type { GatewayStatus, RequestLogEntry, TeamStatus } from '../contract/index.js';

export interface TeamLink {
  /** This gateway's id in the team; its log entries carry it. */
  readonly instance: string;
  status(): TeamStatus;
  /** Tells the link how to describe this gateway to the others (its address changes as it starts and stops). */
  attach(self: { status: () => GatewayStatus; version: string }): void;
  onRemoteEntry(listener: (e: RequestLogEntry) => void): () => void;
  /** The team's picture changed (a gateway came or went, the store went away or came back). */
  onStatusChange(listener: () => void): () => void;
  /** Stops heartbeats and readers, sends what is waiting (bounded in time), closes the connections. */
  close(): Promise<void>;
}
