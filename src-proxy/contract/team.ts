/** One gateway of a team (several gateways sharing one pool through a Redis store). */
export interface TeamGateway {
  id: string;
  /** Where its gateway listens (its base URL), null while it is stopped. */
  address: string | null;
  version: string;
  started_at: number;
  /** When it last said it was there (epoch ms). */
  last_heartbeat: number;
  /** It said so within the last few seconds. */
  alive: boolean;
  /** The gateway answering this call. */
  self: boolean;
}

export interface TeamStatus {
  /** This gateway's id in the team, as its request log entries name it. */
  instance: string;
  /** The store's address, without any password. */
  store: string;
  /** Since when the store does not answer (epoch ms), null while it does. */
  unreachable_since: number | null;
  /** Every gateway seen recently, this one included, alive first. */
  gateways: TeamGateway[];
}
