// Which gateways a team has: each one's heartbeat is written again every second, and one whose
// heartbeat stops is no longer counted once it is ALIVE_MS old. The console's and the CLI's "Team: N
// gateways" counts the gateways alive, so a killed gateway leaves that count within ALIVE_MS plus one
// heartbeat of the gateway looking (6 s).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALIVE_MS, HEARTBEAT_MS, parseGateways, PresenceBeat, type Presence } from '../../../src-proxy/team/presence.js';
import { loadRedisClient, TeamConnection } from '../../../src-proxy/team/team-connection.js';
import { describeTeam } from '../../../src-proxy/cli/wording.js';
import { teamHarness } from './team-harness.js';

const harness = teamHarness();

afterEach(() => {
  vi.useRealTimers();
});

const presence = (id: string, beat: number): string =>
  JSON.stringify({ id, address: null, version: '1.0.0', started_at: 0, last_heartbeat: beat } satisfies Presence);

describe('the gateways of a team, from their heartbeats', () => {
  it.each([
    { silentFor: 0, alive: true },
    { silentFor: ALIVE_MS, alive: true },
    { silentFor: ALIVE_MS + 1, alive: false },
  ])('counts a gateway silent for $silentFor ms as alive: $alive', ({ silentFor, alive }) => {
    const now = 1_000_000;
    const { gateways } = parseGateways({ other: presence('other', now - silentFor), me: presence('me', now - silentFor) }, 'me', now);
    expect(gateways.find((g) => g.id === 'other')!.alive).toBe(alive);
    // This gateway is there, whatever the store last held for it.
    expect(gateways.find((g) => g.id === 'me')!.alive).toBe(true);
  });

  it('forgets a gateway silent for an hour, and one whose record does not parse', () => {
    const now = 10_000_000;
    const { gateways, forgotten } = parseGateways({ old: presence('old', now - 3_600_001), broken: '{', me: presence('me', now) }, 'me', now);
    expect(gateways.map((g) => g.id)).toEqual(['me']);
    expect(forgotten.sort()).toEqual(['broken', 'old']);
  });
});

describe('heartbeats through the store', () => {
  async function beating(url: string, id: string, clock: { t: number }): Promise<PresenceBeat> {
    const conn = new TeamConnection(url, await loadRedisClient());
    await conn.open();
    harness.cleanup(async () => conn.close());
    const beat = new PresenceBeat(
      conn,
      () => ({ id, address: null, version: '1.0.0', started_at: 0, last_heartbeat: clock.t }),
      () => undefined,
      () => clock.t,
    );
    harness.cleanup(() => beat.leave(id));
    return beat;
  }

  const nextBeat = (p: PresenceBeat) =>
    new Promise<void>((resolve) => {
      const off = p.beats.on('beat', () => {
        off();
        resolve();
      });
    });

  it('writes each gateway’s heartbeat again every second once started', async () => {
    const url = harness.freshUrl();
    const clock = { t: 1_000_000 };
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const me = await beating(url, 'me', clock);
    const watcher = await beating(url, 'watcher', clock);
    const first = nextBeat(me);
    me.start();
    await first;
    for (let i = 1; i <= 3; i++) {
      clock.t += HEARTBEAT_MS;
      const next = nextBeat(me);
      vi.advanceTimersByTime(HEARTBEAT_MS);
      await next;
      await watcher.beat();
      expect(watcher.list().find((g) => g.id === 'me')).toMatchObject({ last_heartbeat: clock.t, alive: true });
    }
  });

  it('drops a gateway whose heartbeat stopped from the count once it is more than ALIVE_MS old', async () => {
    const url = harness.freshUrl();
    const clock = { t: 1_000_000 };
    const dead = await beating(url, 'dead', { t: clock.t });
    const watcher = await beating(url, 'watcher', clock);
    await dead.beat();
    await watcher.beat();
    const status = () => describeTeam({ instance: 'watcher', store: 'redis://x', unreachable_since: null, gateways: watcher.list() }, clock.t)[0];
    expect(status()).toBe('Team: 2 gateways on redis://x');
    clock.t += ALIVE_MS;
    await watcher.beat();
    expect(status()).toBe('Team: 2 gateways on redis://x');
    clock.t += 1;
    await watcher.beat();
    expect(status()).toBe('Team: 1 gateway on redis://x');
  });
});
