// The models list through HTTP, as Claude Code's model discovery reads it: for each pool and rule set,
// every id listed on /v1/models, /v1/models/claude and /v1/models/{id} is then answered by a request,
// never with a 404, and an id that no link can serve is neither listed nor found.

import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-upstream.js';
import { startGateway, type TestAccount, type TestGateway } from '../../helpers/gateway.js';
import { postJson, readJson } from '../../helpers/sse-client.js';

let anthropic: FakeAnthropic;
let gemini: FakeGemini;
let gateway: TestGateway;

afterEach(async () => {
  await gateway?.close();
  await anthropic?.close();
  await gemini?.close();
});

type Pool = Array<'claude' | 'claude-disabled' | 'zai' | 'studio'>;

async function setup(pool: Pool, rules: ModelRule[]) {
  anthropic = await startFakeAnthropic({ keys: ['sk-ant', 'sk-zai'] });
  gemini = await startFakeGemini({ keys: ['AIza-1'] });
  const all: Record<Pool[number], TestAccount> = {
    claude: { label: 'claude', baseUrl: anthropic.url, key: 'sk-ant' },
    'claude-disabled': { label: 'claude', baseUrl: anthropic.url, key: 'sk-ant' },
    zai: { label: 'zai', group: 'china', baseUrl: anthropic.url, key: 'sk-zai' },
    studio: { provider: 'gemini', label: 'studio', baseUrl: gemini.url, key: 'AIza-1' },
  };
  gateway = await startGateway({ accounts: pool.map((name) => all[name]), settings: { model_rules: rules } });
  if (pool.includes('claude-disabled')) {
    const off = gateway.accounts.find((a) => a.label === 'claude')!;
    await gateway.runtime.updateAccount(off.id, { enabled: false });
  }
}

async function listed(path: string): Promise<string[]> {
  const res = await fetch(`${gateway.url}${path}?limit=1000`);
  expect(res.status).toBe(200);
  return ((await readJson(res)).data as Array<{ id: string }>).map((m) => m.id);
}

const CHAIN: ModelRule = { match: 'claude-*', provider: 'anthropic', accounts: ['claude'], fallback: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] };

describe('the models list names only what some link serves', () => {
  it.each<[string, Pool, ModelRule[], string[], string[]]>([
    ['an Anthropic key, no rules: the Claude models', ['claude'], [], ['claude-sonnet-4-6', 'claude-opus-4-6'], ['glm-4.6']],
    ['a Gemini key alone: no Claude model, which the Gemini API does not serve', ['studio'], [], [], ['claude-sonnet-4-6']],
    [
      'a Gemini key under a rule that maps Claude to Gemini',
      ['studio'],
      [{ match: 'claude-*', provider: 'gemini', model: 'gemini-2.5-flash' }],
      ['claude-sonnet-4-6'],
      [],
    ],
    ['a chain whose primary account is disabled: served by the fallback', ['claude-disabled', 'studio'], [CHAIN], ['claude-opus-4-6'], []],
    ['a chain with neither link served', ['claude-disabled'], [CHAIN], [], ['claude-opus-4-6']],
    [
      'a rule narrowed to a group, and one to an account that does not exist any more',
      ['zai', 'studio'],
      [
        { match: 'glm-4.6', provider: 'anthropic', accounts: ['china'] },
        { match: 'kimi-k2', provider: 'anthropic', accounts: ['moonshot'] },
      ],
      ['glm-4.6'],
      ['kimi-k2'],
    ],
    [
      'ids of another family sent as they are to the Gemini API',
      ['studio'],
      [
        { match: 'glm-4.6', provider: 'gemini' },
        { match: 'gemini-2.5-pro', provider: 'gemini' },
      ],
      ['gemini-2.5-pro'],
      ['glm-4.6'],
    ],
  ])('%s', async (_title, pool, rules, expected, absent) => {
    await setup(pool, rules);
    const ids = await listed('/v1/models');
    expect(await listed('/v1/models/claude')).toEqual(ids);
    for (const id of expected) expect(ids).toContain(id);
    for (const id of absent) {
      expect(ids).not.toContain(id);
      expect((await fetch(`${gateway.url}/v1/models/${id}`)).status).toBe(404);
    }
    for (const id of ids) {
      expect((await fetch(`${gateway.url}/v1/models/${id}`)).status).toBe(200);
      const res = await postJson(`${gateway.url}/v1/messages`, { model: id, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
      expect([id, res.status]).toEqual([id, 200]);
    }
  });
});
