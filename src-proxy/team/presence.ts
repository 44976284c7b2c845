// Which gateways are in the team: each one writes a heartbeat to the store every second, with its
// address and version, and reads everyone's. The heartbeat also tells a gateway that the store answers
// again after it did not.

import type { TeamGateway } from '../contract/index.js';
import { EventBus } from '../lib/event-bus.js';
import { KEYS } from './team-keys.js';
import type { TeamConnection } from './team-connection.js';

export const HEARTBEAT_MS = 1000;
/** A gateway silent this long is shown as gone; silent for an hour it is forgotten. */
export const ALIVE_MS = 5000;
const FORGET_MS = 3_600_000;

export interface Presence {
  id: string;
  address: string | null;
  version: string;
  started_at: number;
  last_heartbeat: number;
}

export function parseGateways(raw: Record<string, string>, self: string, now: number): { gateways: TeamGateway[]; forgotten: string[] } {
  const gateways: TeamGateway[] = [];
  const forgotten: string[] = [];
  for (const [id, text] of Object.entries(raw)) {
    let p: Presence;
    try {
      p = JSON.parse(text) as Presence;
    } catch {
      forgotten.push(id);
      continue;
    }
    if (now - p.last_heartbeat > FORGET_MS) {
      forgotten.push(id);
      continue;
    }
    gateways.push({ ...p, id, alive: id === self || now - p.last_heartbeat <= ALIVE_MS, self: id === self });
  }
  gateways.sort((a, b) => Number(b.alive) - Number(a.alive) || a.started_at - b.started_at || a.id.localeCompare(b.id));
  return { gateways, forgotten };
}

export class PresenceBeat {
  /** After every heartbeat, answered or not, with the gateways as it left them. */
  readonly beats = new EventBus<{ beat: readonly TeamGateway[] }>();
  private timer: NodeJS.Timeout | null = null;
  private gateways: TeamGateway[] = [];
  private signature = '';

  constructor(
    private readonly conn: TeamConnection,
    private readonly self: () => Presence,
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  list(): TeamGateway[] {
    return this.gateways;
  }

  async beat(): Promise<void> {
    const me = this.self();
    try {
      const [, raw] = (await this.conn.cmd.pipeline().hset(KEYS.gateways, me.id, JSON.stringify(me)).hgetall(KEYS.gateways).exec()) ?? [];
      if (!raw || raw[0]) throw raw?.[0] ?? new Error('no answer');
      this.conn.markUp();
      const { gateways, forgotten } = parseGateways(raw[1] as Record<string, string>, me.id, this.now());
      if (forgotten.length > 0) await this.conn.cmd.hdel(KEYS.gateways, ...forgotten);
      this.gateways = gateways;
    } catch {
      this.conn.markDown();
      // Without the store only this gateway is known to be alive.
      this.gateways = this.gateways.map((g) => ({ ...g, alive: g.self, ...(g.self ? { last_heartbeat: me.last_heartbeat } : {}) }));
    }
    const signature = this.gateways.map((g) => `${g.id}:${g.alive}:${g.address}`).join(',');
    if (signature !== this.signature) {
      this.signature = signature;
      this.onChange();
    }
    this.beats.emit('beat', this.gateways);
  }

  /** Stops beating and takes this gateway out of the list at once (a clean stop). */
  async leave(id: string): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.conn.cmd.hdel(KEYS.gateways, id).catch(() => undefined);
  }
}
