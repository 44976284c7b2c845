// Attempts under way per account across a team. A gateway counts its own in memory, as one gateway
// does, and tells the others: a moment after a change (at most one write on its way at a time, the
// changes meanwhile joined into the next) it stores its whole count under a key of its own that expires
// with its heartbeat, and announces it on a channel. An attempt that begins and ends within that moment
// is not worth telling: most answers are that quick, and sending nothing for them keeps the store off
// every request. Selection reads the sum from memory: no request waits on
// the store. A gateway killed mid-request leaves nothing behind: its key expires, and the others drop
// its counts as soon as its heartbeat is missing.

import type { TeamGateway } from '../contract/index.js';
import { LocalInFlight, type InFlight } from '../routing/in-flight.js';
import { ALIVE_MS } from './presence.js';
import { KEYS } from './team-keys.js';
import type { TeamConnection } from './team-connection.js';

/** How long a change waits before it is told; what is undone meanwhile is never sent. */
export const TELL_AFTER_MS = 20;

/** What a gateway stores and announces: its counts, with an order (start time, then change number). */
interface Snapshot {
  o: string;
  /** When the gateway started: a gateway that restarts under the same id starts a new order. */
  b: number;
  n: number;
  c: Record<string, number>;
}

export class TeamInFlight implements InFlight {
  private readonly own = new LocalInFlight(() => this.changed());
  private readonly others = new Map<string, Snapshot>();
  /** The other gateways' counts added up per account. */
  private totals = new Map<string, number>();
  private readonly boot: number;
  private n = 0;
  /** The counts last stored, as JSON. */
  private told = '{}';
  private dirty = false;
  private sending = false;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly conn: TeamConnection,
    private readonly instance: string,
    now: () => number = Date.now,
  ) {
    this.boot = now();
    conn.events.on('up', () => this.changed());
  }

  begin(accountId: string): () => void {
    return this.own.begin(accountId);
  }

  count(accountId: string): number {
    return this.own.count(accountId) + (this.totals.get(accountId) ?? 0);
  }

  /** A count another gateway announced. */
  applyRemote(text: string): void {
    const s = parseSnapshot(text);
    if (!s || s.o === this.instance) return;
    if (this.take(s)) this.sum();
  }

  /**
   * With each heartbeat: stores this gateway's count again (which keeps its key alive), reads the others'
   * (what an announcement missed while the store was away), and forgets the gateways that fell silent.
   */
  async beat(gateways: readonly TeamGateway[]): Promise<void> {
    if (this.closed) return;
    const alive = gateways.filter((g) => g.alive && !g.self).map((g) => g.id);
    let changed = false;
    for (const id of this.others.keys()) {
      if (!alive.includes(id)) changed = this.others.delete(id) || changed;
    }
    if (this.conn.reachable) {
      try {
        const pipeline = this.conn.cmd.pipeline().set(KEYS.inFlight(this.instance), this.snapshotText(), 'PX', ALIVE_MS);
        if (alive.length > 0) pipeline.mget(...alive.map((id) => KEYS.inFlight(id)));
        const results = (await pipeline.exec()) ?? [];
        for (const [err] of results) if (err) throw err;
        const stored = (results[1]?.[1] ?? []) as Array<string | null>;
        alive.forEach((id, i) => {
          const s = stored[i] ? parseSnapshot(stored[i]) : null;
          // No key: the gateway's count expired with it, or it never had one.
          if (!s) changed = this.others.delete(id) || changed;
          else changed = this.take(s) || changed;
        });
      } catch {
        this.conn.markDown();
      }
    }
    if (changed) this.sum();
  }

  /** Takes this gateway's count out of the store at once (a clean stop). */
  async close(): Promise<void> {
    this.closed = true;
    await this.conn.cmd
      .pipeline()
      .del(KEYS.inFlight(this.instance))
      .publish(KEYS.inFlightChannel, JSON.stringify({ o: this.instance, b: this.boot, n: ++this.n, c: {} } satisfies Snapshot))
      .exec()
      .catch(() => undefined);
  }

  private changed(): void {
    this.dirty = true;
    if (this.scheduled || this.sending || this.closed) return;
    this.scheduled = true;
    setTimeout(() => void this.send(), TELL_AFTER_MS).unref();
  }

  private async send(): Promise<void> {
    this.scheduled = false;
    this.sending = true;
    try {
      while (this.dirty && !this.closed && this.conn.reachable) {
        this.dirty = false;
        if (JSON.stringify(this.own.snapshot()) === this.told) break;
        const text = this.snapshotText();
        try {
          const results =
            (await this.conn.cmd.pipeline().set(KEYS.inFlight(this.instance), text, 'PX', ALIVE_MS).publish(KEYS.inFlightChannel, text).exec()) ?? [];
          for (const [err] of results) if (err) throw err;
        } catch {
          // The next heartbeat after the store is back stores the count again.
          this.conn.markDown();
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private snapshotText(): string {
    const c = this.own.snapshot();
    this.told = JSON.stringify(c);
    return JSON.stringify({ o: this.instance, b: this.boot, n: ++this.n, c } satisfies Snapshot);
  }

  /** Keeps `s` if it is newer than what this gateway has from its sender; whether it did. */
  private take(s: Snapshot): boolean {
    const had = this.others.get(s.o);
    if (had && (had.b > s.b || (had.b === s.b && had.n >= s.n))) return false;
    this.others.set(s.o, s);
    return true;
  }

  private sum(): void {
    const totals = new Map<string, number>();
    for (const s of this.others.values()) {
      for (const [id, n] of Object.entries(s.c)) totals.set(id, (totals.get(id) ?? 0) + n);
    }
    this.totals = totals;
  }
}

function parseSnapshot(text: string): Snapshot | null {
  try {
    const s = JSON.parse(text) as Snapshot;
    if (typeof s.o !== 'string' || typeof s.b !== 'number' || typeof s.n !== 'number' || typeof s.c !== 'object' || s.c === null) return null;
    for (const n of Object.values(s.c)) if (typeof n !== 'number' || !(n > 0)) return null;
    return s;
  } catch {
    return null;
  }
}
