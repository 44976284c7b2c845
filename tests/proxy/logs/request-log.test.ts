import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import type { LoggedEntry } from '../../../src-proxy/logs/logged-entry.js';
import { RequestLog, type RequestHistory } from '../../../src-proxy/logs/request-log.js';
import { makeEntries, makeEntry } from './entry-fixture.js';

class FakeHistory implements RequestHistory {
  stored: RequestLogEntry[] = [];
  appends: RequestLogEntry[][] = [];
  failAppends = false;
  cleared = 0;
  closed = false;

  async load(limit: number): Promise<RequestLogEntry[]> {
    return this.stored.slice(-limit);
  }
  async append(logged: readonly LoggedEntry[]): Promise<void> {
    if (this.failAppends) throw new Error('disk full');
    const entries = logged.map((e) => JSON.parse(e.json) as RequestLogEntry);
    this.appends.push(entries);
    this.stored.push(...entries);
  }
  async clear(): Promise<void> {
    this.cleared++;
    this.stored = [];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const ids = (entries: RequestLogEntry[]) => entries.map((e) => e.id);

describe('RequestLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists newest first and keeps only memoryLimit entries', () => {
    const log = new RequestLog({ memoryLimit: 3 });
    for (const e of makeEntries(5)) log.record(e);
    expect(ids(log.list({}))).toEqual(['e4', 'e3', 'e2']);
  });

  it('returns 100 entries by default and honours limit', () => {
    const log = new RequestLog({ memoryLimit: 500 });
    for (const e of makeEntries(150)) log.record(e);
    expect(log.list({})).toHaveLength(100);
    expect(log.list({})[0]!.id).toBe('e149');
    expect(ids(log.list({ limit: 2 }))).toEqual(['e149', 'e148']);
  });

  it('pages backwards with before_time', () => {
    const log = new RequestLog({ memoryLimit: 100 });
    for (const e of makeEntries(10)) log.record(e);
    const first = log.list({ limit: 4 });
    const second = log.list({ limit: 4, before_time: first.at(-1)!.time });
    expect(ids(first)).toEqual(['e9', 'e8', 'e7', 'e6']);
    expect(ids(second)).toEqual(['e5', 'e4', 'e3', 'e2']);
  });

  it('orders by arrival time, so a long request recorded late does not break paging', () => {
    const log = new RequestLog({ memoryLimit: 100 });
    log.record(makeEntry('short-1', 2000));
    log.record(makeEntry('short-2', 3000));
    log.record(makeEntry('long', 1000));
    log.record(makeEntry('short-3', 4000));
    expect(ids(log.list({}))).toEqual(['short-3', 'short-2', 'short-1', 'long']);
    expect(ids(log.list({ before_time: 2000 }))).toEqual(['long']);
  });

  it('passes each entry to onEntry and survives a throwing onEntry', () => {
    const errors: unknown[] = [];
    const seen: string[] = [];
    const log = new RequestLog({
      memoryLimit: 10,
      onEntry: (e) => {
        seen.push(e.id);
        throw new Error('console gone');
      },
      onError: (error) => errors.push(error),
    });
    expect(() => log.record(makeEntry('a', 1))).not.toThrow();
    expect(seen).toEqual(['a']);
    expect(errors).toHaveLength(1);
    expect(ids(log.list({}))).toEqual(['a']);
  });

  it('writes to history in one batch per flush interval', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const history = new FakeHistory();
    const log = new RequestLog({ memoryLimit: 10, history });
    for (const e of makeEntries(1000)) log.record(e);
    expect(history.appends).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(1);
    return vi.advanceTimersByTimeAsync(250).then(() => {
      expect(history.appends.map((batch) => batch.length)).toEqual([1000]);
      expect(ids(history.appends[0]!).slice(0, 2)).toEqual(['e0', 'e1']);
    });
  });

  it('honours a custom flush interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const history = new FakeHistory();
    const log = new RequestLog({ memoryLimit: 10, history, flushIntervalMs: 1000 });
    log.record(makeEntry('a', 1));
    await vi.advanceTimersByTimeAsync(999);
    expect(history.appends).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(history.appends).toHaveLength(1);
  });

  it('close() writes what is pending and closes the history', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const history = new FakeHistory();
    const log = new RequestLog({ memoryLimit: 10, history });
    log.record(makeEntry('a', 1));
    log.record(makeEntry('b', 2));
    await Promise.all([log.close(), log.close()]);
    expect(vi.getTimerCount()).toBe(0);
    expect(ids(history.stored)).toEqual(['a', 'b']);
    expect(history.closed).toBe(true);
  });

  it('load() puts history behind entries recorded since start, without duplicates', async () => {
    const history = new FakeHistory();
    history.stored = makeEntries(5);
    const log = new RequestLog({ memoryLimit: 4, history });
    log.record(makeEntry('e4', 1004));
    log.record(makeEntry('new', 2000));
    await log.load();
    expect(ids(log.list({}))).toEqual(['new', 'e4', 'e3', 'e2']);
  });

  it('reports a failing history once per streak and keeps the entries in memory', async () => {
    const history = new FakeHistory();
    history.failAppends = true;
    const errors: unknown[] = [];
    const log = new RequestLog({ memoryLimit: 10, history, onError: (e) => errors.push(e) });
    log.record(makeEntry('a', 1));
    await log.flush();
    log.record(makeEntry('b', 2));
    await log.flush();
    expect(errors).toHaveLength(1);
    expect(ids(log.list({}))).toEqual(['b', 'a']);

    history.failAppends = false;
    log.record(makeEntry('c', 3));
    await log.flush();
    history.failAppends = true;
    log.record(makeEntry('d', 4));
    await log.flush();
    expect(errors).toHaveLength(2);
    await log.close();
  });

  it('clear() empties memory, drops pending entries and clears history', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const history = new FakeHistory();
    const log = new RequestLog({ memoryLimit: 10, history });
    log.record(makeEntry('a', 1));
    await log.clear();
    expect(log.list({})).toEqual([]);
    expect(history.cleared).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    await log.close();
    expect(history.stored).toEqual([]);
  });

  it('works without history', async () => {
    const log = new RequestLog({ memoryLimit: 2 });
    log.record(makeEntry('a', 1));
    await log.load();
    await log.clear();
    await log.close();
    expect(log.list({})).toEqual([]);
  });
});

describe('entries another gateway recorded', () => {
  it('are listed beside this gateway’s own, newest first, but neither kept in history nor sent live again', async () => {
    const history = new FakeHistory();
    const onEntry = vi.fn();
    const log = new RequestLog({ memoryLimit: 10, history, onEntry, flushIntervalMs: 1 });
    log.record(makeEntry('own', 100));
    log.ingest(makeEntry('theirs', 200, { instance: 'gw-2' }));
    await log.close();
    expect(ids(log.list())).toEqual(['theirs', 'own']);
    expect(ids(history.stored)).toEqual(['own']);
    expect(onEntry).toHaveBeenCalledTimes(1);
  });
});
