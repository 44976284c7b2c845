// Every key a team keeps in its Redis database, under one prefix. A team is one database (`/DB` in the
// URL); two teams on one server use two databases.

export const PREFIX = 'switchyard:';

export const KEYS = {
  /** Hash: `salt` (for the key derivation) and `check` (a value sealed under the team key). */
  team: `${PREFIX}team`,
  /** Sorted set of account ids, by creation time: every gateway lists accounts in the same order. */
  accountIds: `${PREFIX}accounts`,
  account: (id: string) => `${PREFIX}account:${id}`,
  /** Hash: account id -> sealed secret. */
  secrets: `${PREFIX}secrets`,
  /** Hash: setting name -> sealed JSON value. */
  settings: `${PREFIX}settings`,
  /** Hash: gateway id -> the sequence number of its last write applied (replays are skipped). */
  applied: `${PREFIX}applied`,
  /** Hash: conversation key -> JSON of its bindings; and a sorted set by last use, to bound it. */
  sessions: `${PREFIX}sessions`,
  sessionsRecent: `${PREFIX}sessions:recent`,
  /** Stream of request log entries, capped. */
  log: `${PREFIX}log`,
  /** Hash: gateway id -> JSON of its presence (address, version, heartbeat). */
  gateways: `${PREFIX}gateways`,
  statsIndex: (bucket: string) => `${PREFIX}stats:${bucket}`,
  statsBucket: (bucket: string, start: number) => `${PREFIX}stats:${bucket}:${start}`,
  /** String: one gateway's attempts under way per account (JSON); it expires unless the gateway's heartbeat renews it. */
  inFlight: (instance: string) => `${PREFIX}inflight:${instance}`,
  /** The pub/sub channel each gateway announces its attempts under way on. */
  inFlightChannel: `${PREFIX}inflight`,
  /** Held by the gateway seeding an empty team from its data folder. */
  seedLock: `${PREFIX}seeding`,
  /** The pub/sub channel every change is announced on. */
  changes: `${PREFIX}changes`,
} as const;
