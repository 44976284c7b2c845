// Usage per hour and per day, per account and upstream model: what the console's Stats page and the
// Overview's "today" figures are built from.

import { describe, expect, it } from 'vitest';
import { HOURLY_RETENTION_MS, localDay, UsageStats, type StatsSnapshot, type StatsStore } from '../../../src-proxy/logs/usage-stats.js';
import { makeEntry } from './entry-fixture.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 10, 15); // 10:15 UTC

class MemoryStatsStore implements StatsStore {
  saved: StatsSnapshot[] = [];
  constructor(private initial: StatsSnapshot | null = null) {}
  async load() {
    return this.initial;
  }
  async save(s: StatsSnapshot) {
    this.saved.push(s);
  }
}

describe('UsageStats', () => {
  it('adds requests, failures and tokens into the hour and the local day they happened in, per account and model', () => {
    const stats = new UsageStats({ now: () => T0 });
    stats.record(makeEntry('a', T0, { input_tokens: 100, output_tokens: 10 }));
    stats.record(makeEntry('b', T0 + 60_000, { input_tokens: 50, output_tokens: 5 }));
    stats.record(makeEntry('c', T0 + HOUR, { status: 429, input_tokens: null, output_tokens: null }));
    stats.record(makeEntry('d', T0, { account_id: 'acc-2', mapped_model: 'gemini-3-pro-preview' }));

    const hourly = stats.report({ bucket: 'hour' });
    expect(hourly.buckets).toEqual([
      {
        start: Date.UTC(2026, 11, 1, 10),
        account_id: 'acc-1',
        model: 'claude-sonnet-4-5',
        requests: 2,
        failures: 0,
        input_tokens: 150,
        output_tokens: 15,
        cost_usd: 0,
        unpriced: 2,
      },
      {
        start: Date.UTC(2026, 11, 1, 10),
        account_id: 'acc-2',
        model: 'gemini-3-pro-preview',
        requests: 1,
        failures: 0,
        input_tokens: 100,
        output_tokens: 20,
        cost_usd: 0,
        unpriced: 1,
      },
      {
        start: Date.UTC(2026, 11, 1, 11),
        account_id: 'acc-1',
        model: 'claude-sonnet-4-5',
        requests: 1,
        failures: 1,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
        unpriced: 0,
      },
    ]);
    expect(hourly.totals).toEqual({ requests: 4, failures: 1, input_tokens: 250, output_tokens: 35, cost_usd: 0, unpriced: 3 });

    const daily = stats.report({ bucket: 'day' });
    expect(daily.buckets.map((b) => [b.start, b.account_id, b.requests])).toEqual([
      [localDay(T0).start, 'acc-1', 3],
      [localDay(T0).start, 'acc-2', 1],
    ]);
  });

  it.each([
    ['the model asked for when no upstream model was chosen', { mapped_model: null, account_id: null }, null, 'claude-sonnet-4-5'],
    ['"unknown" when the request named no model', { mapped_model: null, inbound_model: null, account_id: null }, null, 'unknown'],
    ['the upstream model otherwise', { mapped_model: 'glm-4.6' }, 'acc-1', 'glm-4.6'],
  ] as const)('counts a request under %s', (_name, overrides, account, model) => {
    const stats = new UsageStats({ now: () => T0 });
    stats.record(makeEntry('a', T0, overrides));
    expect(stats.report({ bucket: 'hour' }).buckets).toMatchObject([{ account_id: account, model }]);
  });

  it('adds up what priced requests cost, and counts the ones without a price apart instead of as $0', () => {
    const stats = new UsageStats({ now: () => T0 });
    stats.record(makeEntry('a', T0, { cost_usd: 0.25 }));
    stats.record(makeEntry('b', T0, { cost_usd: 0.5 }));
    stats.record(makeEntry('c', T0, { cost_usd: null, input_tokens: 10 }));
    stats.record(makeEntry('d', T0, { cost_usd: null, input_tokens: null, output_tokens: null, status: 502 }));
    expect(stats.report({ bucket: 'day' }).totals).toMatchObject({ requests: 4, cost_usd: 0.75, unpriced: 1 });
  });

  it('leaves out model listings and count_tokens calls', () => {
    const stats = new UsageStats({ now: () => T0 });
    stats.record(makeEntry('a', T0, { route: 'models' }));
    stats.record(makeEntry('b', T0, { route: 'count_tokens' }));
    expect(stats.report({ bucket: 'day' }).totals.requests).toBe(0);
  });

  it('answers a time window: buckets starting at or after since and before until', () => {
    const stats = new UsageStats({ now: () => T0 });
    for (let h = 0; h < 5; h++) stats.record(makeEntry(`e${h}`, T0 + h * HOUR));
    const start = Date.UTC(2026, 11, 1, 11);
    const report = stats.report({ bucket: 'hour', since: start, until: start + 2 * HOUR });
    expect(report.buckets.map((b) => b.start)).toEqual([start, start + HOUR]);
    expect(report.totals.requests).toBe(2);
  });

  it('gives day buckets that start at local midnight, across the day boundary', () => {
    const stats = new UsageStats({ now: () => T0 });
    const { start, end } = localDay(T0);
    stats.record(makeEntry('late', end - 1));
    stats.record(makeEntry('early', end));
    expect(stats.report({ bucket: 'day' }).buckets.map((b) => b.start)).toEqual([start, end]);
    expect(new Date(end).getHours()).toBe(0);
  });

  it('survives a restart through its store, and writes changes together after a delay rather than per request', async () => {
    const store = new MemoryStatsStore();
    const first = new UsageStats({ store, now: () => T0, saveDelayMs: 60_000 });
    await first.load();
    for (let i = 0; i < 50; i++) first.record(makeEntry(`e${i}`, T0));
    expect(store.saved).toHaveLength(0);
    await first.flush();
    expect(store.saved).toHaveLength(1);

    const second = new UsageStats({ store: new MemoryStatsStore(store.saved[0]!), now: () => T0 });
    await second.load();
    expect(second.report({ bucket: 'day' }).totals.requests).toBe(50);
    second.record(makeEntry('more', T0, { cost_usd: 0.01 }));
    expect(second.report({ bucket: 'hour' }).totals).toMatchObject({ requests: 51, cost_usd: 0.01 });
  });

  it('forgets hourly detail past its retention but keeps the days', async () => {
    const old = T0 - HOURLY_RETENTION_MS - HOUR;
    const store = new MemoryStatsStore();
    const before = new UsageStats({ store, now: () => old });
    before.record(makeEntry('old', old));
    await before.flush();
    const after = new UsageStats({ store: new MemoryStatsStore(store.saved[0]!), now: () => T0 });
    await after.load();
    expect(after.report({ bucket: 'hour' }).buckets).toEqual([]);
    expect(after.report({ bucket: 'day' }).totals.requests).toBe(1);
  });

  it('reports a failed write and writes everything again with the next change', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const saved: StatsSnapshot[] = [];
    const store: StatsStore = {
      load: async () => null,
      save: async (s) => {
        if (fail) throw new Error('disk full');
        saved.push(s);
      },
    };
    const stats = new UsageStats({ store, now: () => T0, onError: (e) => errors.push(e) });
    stats.record(makeEntry('a', T0));
    await stats.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    stats.record(makeEntry('b', T0));
    await stats.flush();
    expect(saved[0]!.day[0]!.requests).toBe(2);
  });
});
