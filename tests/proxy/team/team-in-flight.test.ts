// Attempts under way, counted across a team: a stream held on one gateway keeps the others off its
// account while it lasts, and nothing stays counted once it ends or its gateway is gone.

import { describe, expect, it } from 'vitest';
import type { TeamGateway } from '../../../src-proxy/contract/index.js';
import { loadRedisClient, TeamConnection } from '../../../src-proxy/team/team-connection.js';
import { TeamInFlight } from '../../../src-proxy/team/team-in-flight.js';
import { postJson } from '../../helpers/sse-client.js';
import { accountOf, eventually, question, teamHarness } from './team-harness.js';

const harness = teamHarness();

const { twoGateways, sharedAccounts } = harness;

function gateway(id: string, alive: boolean, self = false): TeamGateway {
  return { id, address: null, version: '0.0.0', started_at: 0, last_heartbeat: 0, alive, self };
}

async function connection(url: string): Promise<TeamConnection> {
  const conn = new TeamConnection(url, await loadRedisClient());
  await conn.open();
  harness.cleanup(async () => conn.close());
  return conn;
}

describe('attempts under way in a team', () => {
  it('sends the other gateway’s next requests to another account while a stream holds one, and back once it ends', async () => {
    const [a, b] = await twoGateways();
    const [one] = await sharedAccounts(a, b, ['one@example.com', 'two@example.com'] as const);
    const [oneId] = (await b.runtime.listAccounts()).map((x) => x.id);

    // A's rotation starts at `one`: its upstream holds the request until the client goes away.
    one.setDefault({ kind: 'hang' });
    const client = new AbortController();
    const held = postJson(`${a.url}/v1/messages`, { ...question(0), stream: true }, { signal: client.signal }).catch(() => null);
    await one.waitFor(() => one.messageRequests().length === 1);
    await eventually(() => b.team.inFlight.count(oneId!) === 1);

    // B's own rotation would start at `one` too; it is busy on A, so B's requests go to `two`.
    for (let i = 1; i <= 3; i++) expect(accountOf(await postJson(`${b.url}/v1/messages`, question(i)))).toBe('two@example.com');
    expect(one.messageRequests()).toHaveLength(1);

    client.abort();
    await held;
    await eventually(() => b.team.inFlight.count(oneId!) === 0 && a.team.inFlight.count(oneId!) === 0);
    one.setDefault({ kind: 'reply' });
    expect(accountOf(await postJson(`${b.url}/v1/messages`, question(4)))).toBe('one@example.com');
  });

  it('forgets the count of a gateway whose heartbeat stopped, and the count a gateway left behind expires with it', async () => {
    const url = harness.freshUrl();
    const mine = new TeamInFlight(await connection(url), 'mine');
    const gone = new TeamInFlight(await connection(url), 'gone');
    const end = gone.begin('acct-1');
    await gone.beat([gateway('gone', true, true)]);
    await mine.beat([gateway('mine', true, true), gateway('gone', true)]);
    expect(mine.count('acct-1')).toBe(1);

    // `gone` stops beating with its attempt never ended (as a killed process does).
    await mine.beat([gateway('mine', true, true), gateway('gone', false)]);
    expect(mine.count('acct-1')).toBe(0);
    end();

    // Its key outlives it only as long as a heartbeat would: the store set an expiry on it.
    const probe = await connection(url);
    const ttl = await probe.cmd.pttl('switchyard:inflight:gone');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('takes a cleanly stopped gateway’s count out of the store at once', async () => {
    const url = harness.freshUrl();
    const mine = new TeamInFlight(await connection(url), 'mine');
    const leaving = new TeamInFlight(await connection(url), 'leaving');
    leaving.begin('acct-1');
    await leaving.beat([gateway('leaving', true, true)]);
    await mine.beat([gateway('mine', true, true), gateway('leaving', true)]);
    expect(mine.count('acct-1')).toBe(1);
    await leaving.close();
    await mine.beat([gateway('mine', true, true), gateway('leaving', true)]);
    expect(mine.count('acct-1')).toBe(0);
  });
});
