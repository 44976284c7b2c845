// The connections to the team's Redis, and whether it answers. Every command is bounded in time and
// fails at once while the connection is down (no offline queue): nothing a request waits on ever goes
// through here, and what must reach the store is kept by the outbox until it does. Reconnecting is the
// client's own, with a growing pause up to two seconds.

import type { Redis, RedisOptions } from 'ioredis';
import { EventBus } from '../lib/event-bus.js';
import { APPLY_SCRIPT } from './apply-script.js';

/** What one command may take before the store counts as unreachable. */
export const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_PAUSE_MS = 2000;

export interface TeamRedis extends Redis {
  syApply(prefix: string, origin: string, ops: string): Promise<number>;
}

export interface ConnectionEvents {
  /** The store answers again after it did not (or for the first time). */
  up: undefined;
  down: { since: number };
}

/**
 * The Redis client, loaded only when a gateway joins a team: a gateway that runs alone, as most do, never
 * pays the memory its code takes (about 15 MB).
 */
export async function loadRedisClient(): Promise<typeof Redis> {
  return (await import('ioredis')).Redis;
}

function options(): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_PAUSE_MS),
    // Pub/sub and blocking reads come back by themselves after a reconnect.
    autoResubscribe: true,
  };
}

export class TeamConnection {
  readonly events = new EventBus<ConnectionEvents>();
  /** Writes and reads. */
  readonly cmd: TeamRedis;
  /** The changes channel. */
  readonly sub: Redis;
  /** Blocking reads of the request log stream. */
  readonly reader: Redis;
  private downSince: number | null = null;
  private closed = false;

  constructor(
    readonly url: string,
    RedisClient: typeof Redis,
    private readonly now: () => number = Date.now,
  ) {
    this.cmd = new RedisClient(url, options()) as TeamRedis;
    this.cmd.defineCommand('syApply', { numberOfKeys: 0, lua: APPLY_SCRIPT });
    this.sub = new RedisClient(url, options());
    // A blocking read waits up to a second on the server; its own bound is above that.
    this.reader = new RedisClient(url, { ...options(), commandTimeout: 3 * COMMAND_TIMEOUT_MS });
    for (const client of [this.cmd, this.sub, this.reader]) {
      // Errors surface as the state below; ioredis would otherwise print them.
      client.on('error', () => undefined);
    }
    this.cmd.on('ready', () => this.markUp());
    this.cmd.on('close', () => this.markDown());
  }

  /** Connects all three; rejects (and closes) when the store cannot be reached or refuses. */
  async open(): Promise<void> {
    try {
      await Promise.all([this.cmd.connect(), this.sub.connect(), this.reader.connect()]);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  get reachable(): boolean {
    return this.downSince === null && this.cmd.status === 'ready';
  }

  get unreachableSince(): number | null {
    return this.downSince;
  }

  /** A command failed: the store counts as unreachable until the next one succeeds. */
  markDown(): void {
    if (this.closed || this.downSince !== null) return;
    this.downSince = this.now();
    this.events.emit('down', { since: this.downSince });
  }

  markUp(): void {
    if (this.closed) return;
    const wasDown = this.downSince !== null;
    this.downSince = null;
    if (wasDown) this.events.emit('up', undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const client of [this.cmd, this.sub, this.reader]) client.disconnect();
  }
}

/** The URL without its password, for messages and the console. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis (an address that does not parse)';
  }
}
