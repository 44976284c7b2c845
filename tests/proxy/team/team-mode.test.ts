// Team mode as two gateways of one team run it: each with its own data folder and listener, one real
// redis-server between them, real upstream fakes behind. Each test uses its own Redis database.

import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { TeamJoinError } from '../../../src-proxy/team/join-team.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';
import { accountOf, eventually, question, SECRET, teamHarness, whenAccounts, type Member } from './team-harness.js';

const { member, twoGateways, upstream, sharedAccounts, freshUrl, redis: redisServer, cleanup } = teamHarness();

describe('team mode', () => {
  it('shows an account and the gateway key added through one gateway on the other, which serves with them', async () => {
    const [a, b] = await twoGateways();
    const fake = await upstream();
    await a.runtime.addAccount({ provider: 'anthropic', label: 'shared@example.com', api_key: 'sk-shared', options: { base_url: fake.url } });
    await a.runtime.updateSettings({ api_key: 'sk-sy-team-key', auth_mode: 'all-except-health' });
    await eventually(async () => (await b.runtime.listAccounts()).length === 1 && (await b.runtime.getSettings()).auth_mode === 'all-except-health');
    expect((await b.runtime.getSettings()).api_key).toBe('sk-sy-team-key');
    const refused = await postJson(`${b.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'wrong' } });
    expect(refused.status).toBe(401);
    const res = await postJson(`${b.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-sy-team-key' } });
    expect(res.status).toBe(200);
    expect(accountOf(res)).toBe('shared@example.com');
    expect(fake.messageRequests().at(-1)!.key).toBe('sk-shared');
  });

  // A mark reaches the other gateway by the store's announcement, with no polling: each test waits for
  // the change event, then asks the other gateway straight away. (How long the trip takes is measured
  // by `npm run bench`.)
  it('honours on one gateway the cooldown a 429 taught the other, as soon as the store announces it', async () => {
    const [a, b] = await twoGateways();
    const [limited] = await sharedAccounts(a, b, ['limited@example.com', 'healthy@example.com'] as const);
    limited.setDefault({ kind: 'error', status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '60' } });
    const cooled = whenAccounts(b, (list) => list.some((x) => x.label === 'limited@example.com' && x.cooldowns.length > 0));
    // A's rotation starts at the first account: the 429, then the other account serves.
    const first = await postJson(`${a.url}/v1/messages`, question('a'));
    expect(first.status).toBe(200);
    expect(accountOf(first)).toBe('healthy@example.com');
    expect(limited.messageRequests()).toHaveLength(1);
    await cooled;
    // B's own rotation would start at the first account, in conversations of their own; it knows better.
    for (let i = 0; i < 4; i++) expect(accountOf(await postJson(`${b.url}/v1/messages`, question(i)))).toBe('healthy@example.com');
    expect(limited.messageRequests()).toHaveLength(1);
  });

  it('passes over on one gateway an account whose rate-limit window the other learned is used up', async () => {
    const [a, b] = await twoGateways();
    const [spent] = await sharedAccounts(a, b, ['spent@example.com', 'fresh@example.com'] as const);
    const reset = new Date(Date.now() + 3_600_000).toISOString();
    spent.setDefault({
      kind: 'reply',
      headers: {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': reset,
      },
    });
    const marked = whenAccounts(b, (list) => list.some((x) => x.label === 'spent@example.com' && x.learned.rate_limits.some((r) => r.remaining === 0)));
    // The answer that uses up the window is served; it is the last one this account gets.
    expect(accountOf(await postJson(`${a.url}/v1/messages`, question('a')))).toBe('spent@example.com');
    await marked;
    for (let i = 0; i < 4; i++) expect(accountOf(await postJson(`${b.url}/v1/messages`, question(i)))).toBe('fresh@example.com');
    expect(spent.messageRequests()).toHaveLength(1);
  });

  it('continues a conversation bound on one gateway on the same account through the other', async () => {
    const [a, b] = await twoGateways();
    await sharedAccounts(a, b, ['one@example.com', 'two@example.com']);
    const session = { metadata: { user_id: JSON.stringify({ session_id: 'conversation-1' }) } };
    expect(accountOf(await postJson(`${a.url}/v1/messages`, messagesBody()))).toBe('one@example.com');
    expect(accountOf(await postJson(`${a.url}/v1/messages`, messagesBody(session)))).toBe('two@example.com');
    // B has served nothing: its rotation would pick `one`. The conversation stays on `two`.
    await eventually(async () => {
      const res = await postJson(`${b.url}/v1/messages`, messagesBody(session));
      return accountOf(res) === 'two@example.com';
    }, 1000);
    for (let i = 0; i < 3; i++) expect(accountOf(await postJson(`${b.url}/v1/messages`, messagesBody(session)))).toBe('two@example.com');
  });

  it('adds up both gateways’ requests in the stats and lists both in the log, each with the gateway that served it', async () => {
    const [a, b] = await twoGateways();
    const fake = await upstream();
    await a.runtime.addAccount({ provider: 'anthropic', label: 'shared@example.com', api_key: 'sk', options: { base_url: fake.url } });
    await eventually(async () => (await b.runtime.listAccounts()).length === 1);
    for (let i = 0; i < 3; i++) expect((await postJson(`${a.url}/v1/messages`, messagesBody())).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await postJson(`${b.url}/v1/messages`, messagesBody())).status).toBe(200);
    for (const m of [a, b]) {
      await eventually(async () => (await m.runtime.getStats({ bucket: 'day' })).totals.requests === 5);
      expect((await m.runtime.getStats({ bucket: 'hour', instance: a.instance })).totals.requests).toBe(3);
      expect((await m.runtime.getStats({ bucket: 'hour', instance: b.instance })).totals.requests).toBe(2);
      await eventually(async () => (await m.runtime.listRequests({})).length === 5);
      expect((await m.runtime.listRequests({ instance: b.instance })).map((e) => e.instance)).toEqual([b.instance, b.instance]);
      // What both gateways spent, added up in the store as the requests are.
      const spent = (await m.runtime.listRequests({})).reduce((sum, e) => sum + (e.cost_usd ?? 0), 0);
      expect(spent).toBeGreaterThan(0);
      expect((await m.runtime.getStats({ bucket: 'day' })).totals.cost_usd).toBeCloseTo(spent, 8);
    }
    await eventually(async () => (await b.runtime.listAccounts())[0]!.stats.requests === 5);
  });

  it('stops a gateway listening beyond loopback when another gateway of the team turns authentication off', async () => {
    const url = freshUrl();
    const a = await member(url);
    await a.runtime.updateSettings({ api_key: 'sk-sy-lan-key', auth_mode: 'strict' });
    const lan = await member(url, { host: '0.0.0.0', start: false });
    await eventually(async () => (await lan.runtime.getSettings()).auth_mode === 'strict');
    expect((await lan.runtime.startGateway()).running).toBe(true);
    await a.runtime.updateSettings({ auth_mode: 'off' });
    await eventually(async () => !(await lan.runtime.getStatus()).running);
  });

  it('refuses a gateway whose team secret is not the team’s', async () => {
    const url = freshUrl();
    await member(url);
    const joining = member(url, { secret: 'another secret, long enough' });
    await expect(joining).rejects.toThrow(TeamJoinError);
    await expect(joining).rejects.toMatchObject({ code: 'wrong_secret' });
  });

  it('keeps nothing secret readable in the store', async () => {
    const [a, , url] = await twoGateways();
    const fake = await upstream();
    await a.runtime.addAccount({ provider: 'anthropic', label: 'shared@example.com', api_key: 'sk-fake-VERYSECRETKEY', options: { base_url: fake.url } });
    await a.runtime.updateSettings({ api_key: 'sk-sy-GATEWAYSECRET', google: { client_secret: 'GOCSPX-CLIENTSECRET' } });
    expect((await postJson(`${a.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'sk-sy-GATEWAYSECRET' } })).status).toBe(200);
    const client = new Redis(url);
    cleanup(async () => void client.disconnect());
    const dump: string[] = [];
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      if (type === 'hash') dump.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'zset') dump.push(JSON.stringify(await client.zrange(key, 0, -1)));
      else if (type === 'stream') dump.push(JSON.stringify(await client.xrange(key, '-', '+')));
      else if (type === 'string') dump.push((await client.get(key)) ?? '');
      dump.push(((await client.dumpBuffer(key)) ?? Buffer.alloc(0)).toString('latin1'));
    }
    const text = dump.join('\n');
    expect(text).toContain('shared@example.com');
    for (const secret of ['VERYSECRETKEY', 'GATEWAYSECRET', 'CLIENTSECRET', SECRET]) expect(text).not.toContain(secret);
  });
});

describe('team mode while the store is away', () => {
  it('serves every request while Redis hangs, and adds up nothing twice and nothing lost once it answers again', async () => {
    const [a, b] = await twoGateways();
    const fake = await upstream();
    await a.runtime.addAccount({ provider: 'anthropic', label: 'shared@example.com', api_key: 'sk', options: { base_url: fake.url } });
    await eventually(async () => (await b.runtime.listAccounts()).length === 1);
    const send = async (m: Member) => (await postJson(`${m.url}/v1/messages`, messagesBody())).status;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await send(i % 2 === 0 ? a : b));
    redisServer().pause();
    try {
      for (let i = 0; i < 20; i++) statuses.push(await send(i % 2 === 0 ? a : b));
      await eventually(async () => (await a.runtime.getStatus()).team!.unreachable_since !== null);
      for (let i = 0; i < 10; i++) statuses.push(await send(i % 2 === 0 ? a : b));
    } finally {
      redisServer().resume();
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    for (const m of [a, b]) {
      await eventually(async () => (await m.runtime.getStatus()).team!.unreachable_since === null, 10_000);
      await eventually(async () => (await m.runtime.getStats({ bucket: 'day' })).totals.requests === 40, 10_000);
    }
    await eventually(async () => (await b.runtime.listAccounts())[0]!.stats.requests === 40, 10_000);
  });

  it('fails no request when Redis is killed in the middle of a load on both gateways, and shares the log again once it is back', async () => {
    const [a, b, url] = await twoGateways();
    const fake = await upstream();
    fake.setDefault({ kind: 'reply', chunks: 4, chunkDelayMs: 5 });
    await a.runtime.addAccount({ provider: 'anthropic', label: 'shared@example.com', api_key: 'sk-load', options: { base_url: fake.url } });
    await eventually(async () => (await b.runtime.listAccounts()).length === 1);
    // Four clients, two per gateway, streaming, 80 requests in all; Redis dies after the 20th answer and
    // comes back (empty) after the 50th, while the others are on their way.
    const TOTAL = 80;
    const statuses: number[] = [];
    let started = 0;
    let killing: Promise<void> | null = null;
    let restarting: Promise<void> | null = null;
    const client = async (m: Member) => {
      while (started < TOTAL) {
        const n = started++;
        const res = await postJson(`${m.url}/v1/messages`, { ...question(`load ${n}`), stream: true });
        await res.text();
        statuses.push(res.status);
        if (statuses.length === 20) killing = redisServer().kill();
        if (statuses.length === 50) restarting = (async () => (await killing, await redisServer().restart()))();
      }
    };
    await Promise.all([client(a), client(a), client(b), client(b)]);
    await restarting;
    expect(statuses).toHaveLength(TOTAL);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    for (const m of [a, b]) await eventually(async () => (await m.runtime.getStatus()).team!.unreachable_since === null, 10_000);
    // The store has the team again, and a request through B reaches A's log through it.
    expect((await (await member(url, { start: false })).runtime.listAccounts()).map((x) => x.label)).toEqual(['shared@example.com']);
    const after = await postJson(`${b.url}/v1/messages`, { ...question('after'), model: 'claude-opus-4-1' });
    expect(after.status).toBe(200);
    await eventually(async () => (await a.runtime.listRequests({ instance: b.instance })).some((e) => e.inbound_model === 'claude-opus-4-1'), 10_000);
  });

  it('serves every request while Redis is killed, and writes the team back when it returns empty', async () => {
    const [a, b, url] = await twoGateways();
    const fake = await upstream();
    await a.runtime.addAccount({ provider: 'anthropic', label: 'shared@example.com', api_key: 'sk-kept', options: { base_url: fake.url } });
    await eventually(async () => (await b.runtime.listAccounts()).length === 1);
    const send = async (m: Member) => (await postJson(`${m.url}/v1/messages`, messagesBody())).status;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await send(i % 2 === 0 ? a : b));
    await redisServer().kill();
    for (let i = 0; i < 10; i++) statuses.push(await send(i % 2 === 0 ? a : b));
    await redisServer().restart();
    for (let i = 0; i < 6; i++) statuses.push(await send(i % 2 === 0 ? a : b));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    for (const m of [a, b]) await eventually(async () => (await m.runtime.getStatus()).team!.unreachable_since === null, 10_000);
    // The store has the team again: a gateway that joins now finds the account and its key.
    const c = await member(url);
    expect((await c.runtime.listAccounts()).map((x) => x.label)).toEqual(['shared@example.com']);
    expect((await postJson(`${c.url}/v1/messages`, messagesBody())).status).toBe(200);
    expect(fake.messageRequests().at(-1)!.key).toBe('sk-kept');
  });
});
