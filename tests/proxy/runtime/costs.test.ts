// What requests cost, from the upstream's usage to the log, the stats and back after a restart: the
// gateway on a data folder of its own, in front of a fake Anthropic-compatible upstream.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { openFileRuntime } from '../../../src-proxy/cli/file-runtime.js';
import type { Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';

let dir: string;
let upstream: FakeAnthropic;
let runtime: Runtime | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-costs-'));
  upstream = await startFakeAnthropic({
    defaultBehaviour: {
      kind: 'reply',
      text: 'ok',
      usage: { input_tokens: 1200, output_tokens: 300, cache_creation_input_tokens: 4000, cache_read_input_tokens: 20_000 },
    },
  });
});
afterEach(async () => {
  await runtime?.close();
  runtime = null;
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<{ runtime: Runtime; url: string; entries: RequestLogEntry[] }> {
  const r = await openFileRuntime(dir, { listenOverride: { host: '127.0.0.1', port: 0 } });
  runtime = r;
  const entries: RequestLogEntry[] = [];
  r.events.on('request', (e) => entries.push(e));
  const status = await r.startGateway();
  return { runtime: r, url: status.url!, entries };
}

// glm-4.6 at its shipped price: $0.60 input, $2.20 output, $0.60 cache write, $0.11 cache read per million.
const GLM = (1200 * 0.6 + 300 * 2.2 + 4000 * 0.6 + 20_000 * 0.11) / 1e6;
// The same tokens at claude-opus-4-5's list price: $5, $25, $6.25, $0.50.
const OPUS = (1200 * 5 + 300 * 25 + 4000 * 6.25 + 20_000 * 0.5) / 1e6;

describe('costs', () => {
  it.each([false, true])('prices a mapped request by the model that served it, cache tokens included (stream: %s)', async (stream) => {
    const gw = await open();
    await gw.runtime.addAccount({ provider: 'anthropic', label: 'zai', api_key: 'sk-z', options: { base_url: upstream.url } });
    await gw.runtime.updateSettings({ model_rules: [{ match: 'claude-opus-*', provider: 'anthropic', model: 'glm-4.6' }] });
    const res = await postJson(`${gw.url}/v1/messages`, messagesBody({ model: 'claude-opus-4-5', stream }));
    await res.text();
    await expect.poll(() => gw.entries.length).toBe(1);
    const [entry] = gw.entries;
    expect(entry).toMatchObject({ inbound_model: 'claude-opus-4-5', mapped_model: 'glm-4.6', priced_as: 'glm-4.6*', cache_read_input_tokens: 20_000 });
    expect(entry!.cost_usd).toBeCloseTo(GLM, 9);
    expect(entry!.requested_cost_usd).toBeCloseTo(OPUS, 9);
  });

  it('a model without a price shows none until one is set, and then costs what it was set to', async () => {
    const gw = await open();
    await gw.runtime.addAccount({ provider: 'anthropic', label: 'house', api_key: 'sk-h', options: { base_url: upstream.url } });
    await gw.runtime.updateSettings({ model_rules: [{ match: 'claude-*', provider: 'anthropic', model: 'house-model' }] });
    await (await postJson(`${gw.url}/v1/messages`, messagesBody())).text();
    await gw.runtime.updateSettings({ model_prices: [{ model: 'house-model', input: 1, output: 1, cache_write: 1, cache_read: 1 }] });
    await (await postJson(`${gw.url}/v1/messages`, messagesBody())).text();
    await expect.poll(() => gw.entries.length).toBe(2);
    expect(gw.entries.map((e) => e.cost_usd)).toEqual([null, (1200 + 300 + 4000 + 20_000) / 1e6]);
    const totals = (await gw.runtime.getStats({ bucket: 'day' })).totals;
    expect(totals).toMatchObject({ requests: 2, unpriced: 1 });
    expect(totals.cost_usd).toBeCloseTo(25_500 / 1e6, 9);
  });

  it('keeps what was spent across a restart, in the stats and in the request history', async () => {
    const first = await open();
    await first.runtime.addAccount({ provider: 'anthropic', label: 'zai', api_key: 'sk-z', options: { base_url: upstream.url } });
    await first.runtime.updateSettings({ model_rules: [{ match: 'claude-*', provider: 'anthropic', model: 'glm-4.6' }] });
    for (let i = 0; i < 3; i++) await (await postJson(`${first.url}/v1/messages`, messagesBody())).text();
    await expect.poll(() => first.entries.length).toBe(3);
    await first.runtime.close();
    runtime = null;

    const second = await open();
    const stats = await second.runtime.getStats({ bucket: 'day' });
    expect(stats.totals.cost_usd).toBeCloseTo(3 * GLM, 9);
    expect(stats.buckets).toMatchObject([{ model: 'glm-4.6', requests: 3 }]);
    const history = await second.runtime.listRequests({});
    expect(history.map((e) => e.priced_as)).toEqual(['glm-4.6*', 'glm-4.6*', 'glm-4.6*']);
    expect(history[0]!.cost_usd).toBeCloseTo(GLM, 9);
  });
});
