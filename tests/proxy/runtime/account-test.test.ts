// The Test of an account, as the console's Test button and `switchyard accounts test` make it: one cheap
// real request through the account to its (fake) upstream, the outcome kept on the account.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountSchema, ControlError, type Account, type NewAccount } from '../../../src-proxy/contract/index.js';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { dispatchingClient } from '../../../src-proxy/control-api/dispatcher.js';
import { testModelFor } from '../../../src-proxy/runtime/account-tester.js';
import { createRuntime, type Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-upstream.js';

const GOOD = 'sk-good-key-123456';
let anthropic: FakeAnthropic;
let noCounter: FakeAnthropic;
let gemini: FakeGemini;
let runtime: Runtime;
let open: Runtime | null = null;

beforeAll(async () => {
  anthropic = await startFakeAnthropic({ keys: [GOOD] });
  noCounter = await startFakeAnthropic({ keys: [GOOD], countTokens: false });
  gemini = await startFakeGemini({ keys: ['AIza-good'] });
});
afterAll(async () => {
  await Promise.all([anthropic.close(), noCounter.close(), gemini.close()]);
});
afterEach(async () => {
  await open?.close();
  open = null;
  anthropic.reset();
  noCounter.reset();
  gemini.reset();
});

async function withAccount(input: NewAccount, settings: Record<string, unknown> = {}) {
  runtime = await createRuntime({
    settings: new MemorySettingsStore(settings),
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    onInternalError: (err) => {
      throw err;
    },
  });
  open = runtime;
  return runtime.addAccount(input);
}

const anthropicAccount = (key: string, base: string, options: Record<string, unknown> = {}): NewAccount => ({
  provider: 'anthropic',
  label: 'zai',
  api_key: key,
  options: { base_url: base, ...options },
});

describe('testing an account', () => {
  it('asks the upstream to count tokens, which costs nothing, and keeps the answer on the account without counting it as traffic', async () => {
    const a = await withAccount(anthropicAccount(GOOD, anthropic.url));
    expect(a.last_test).toBeNull();
    const tested = await runtime.testAccount(a.id);
    expect(tested.last_test).toMatchObject({ method: 'count_tokens', model: 'claude-haiku-4-5', failure: null, status: null, message: null });
    expect(anthropic.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens']);
    expect(anthropic.requests[0]!.key).toBe(GOOD);
    expect(tested.stats.requests).toBe(0);
    expect((await runtime.listAccounts())[0]!.last_test).toEqual(tested.last_test);
  });

  it('marks a refused key invalid with the upstream words, and a later answer lifts the mark', async () => {
    const a = await withAccount(anthropicAccount('sk-revoked-key-987654', anthropic.url));
    const refused = await runtime.testAccount(a.id);
    expect(refused.last_test).toMatchObject({ failure: 'auth', status: 401 });
    expect(refused.last_test!.message).toBeTruthy();
    expect(refused.last_test!.message).not.toContain('sk-revoked-key-987654');
    expect(refused).toMatchObject({ health: 'invalid' });
    await runtime.updateAccount(a.id, { api_key: GOOD });
    const fixed = await runtime.testAccount(a.id);
    expect(fixed).toMatchObject({ health: 'ok', last_test: { failure: null } });
  });

  it('sends a message of one token where the upstream has no token counter, or the account is told not to ask it', async () => {
    const a = await withAccount(anthropicAccount(GOOD, noCounter.url));
    const tested = await runtime.testAccount(a.id);
    expect(tested.last_test).toMatchObject({ method: 'message', failure: null });
    const sent = noCounter.messageRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 1 });
    await runtime.close();
    open = null;

    const b = await withAccount(anthropicAccount(GOOD, anthropic.url, { count_tokens: false }));
    expect((await runtime.testAccount(b.id)).last_test).toMatchObject({ method: 'message', failure: null });
    expect(anthropic.requests.map((r) => r.path)).toEqual(['/v1/messages']);
  });

  it('asks for the model the rules send Claude Code to on this account', async () => {
    const a = await withAccount(anthropicAccount(GOOD, anthropic.url), { model_rules: [{ match: 'claude-*', provider: 'anthropic', model: 'glm-4.6' }] });
    expect((await runtime.testAccount(a.id)).last_test!.model).toBe('glm-4.6');
    expect(anthropic.requests[0]!.body.model).toBe('glm-4.6');
  });

  it('tests a Gemini API key with countTokens, and names a refused one', async () => {
    const good = await withAccount({ provider: 'gemini', label: 'g', api_key: 'AIza-good', options: { base_url: gemini.url } });
    expect((await runtime.testAccount(good.id)).last_test).toMatchObject({ method: 'count_tokens', model: 'gemini-2.5-flash', failure: null });
    const bad = await runtime.addAccount({ provider: 'gemini', label: 'bad', api_key: 'AIza-wrong', options: { base_url: gemini.url } });
    expect((await runtime.testAccount(bad.id)).last_test).toMatchObject({ failure: 'auth' });
  });

  it('says it could not connect to an upstream that is not there', async () => {
    const a = await withAccount(anthropicAccount(GOOD, 'http://127.0.0.1:9'));
    expect((await runtime.testAccount(a.id)).last_test).toMatchObject({ failure: 'network', status: null });
  });

  it('is a control call like the others: an unknown account is not_found on every transport', async () => {
    await withAccount(anthropicAccount(GOOD, anthropic.url));
    const client = dispatchingClient(runtime, runtime.events);
    await expect(client.testAccount('acct_nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.testAccount('')).rejects.toBeInstanceOf(ControlError);
  });
});

function account(fields: Record<string, unknown> & { label: string }): Account {
  const provider = (fields.provider as string | undefined) ?? 'anthropic';
  return AccountSchema.parse({
    id: `acct_${fields.label}`,
    created_at: 1,
    provider,
    options: provider === 'anthropic' ? { base_url: 'https://api.z.ai/api/anthropic' } : {},
    ...fields,
  });
}

describe('the model a test asks for', () => {
  const zai = account({ label: 'zai', group: 'cn' });
  it.each([
    ['no rule: a model its kind always has', [], 'claude-haiku-4-5'],
    ['a rule mapping Claude models to this provider', [{ match: 'claude-*', provider: 'anthropic', model: 'glm-4.6' }], 'glm-4.6'],
    [
      'a rule naming another account only: the next model is tried',
      [{ match: 'claude-haiku-*', provider: 'anthropic', model: 'x', accounts: ['kimi'] }],
      'claude-sonnet-4-5',
    ],
    ['a rule naming its group', [{ match: 'claude-*', provider: 'anthropic', model: 'glm-4.5-air', accounts: ['cn'] }], 'glm-4.5-air'],
    ['a fallback link on this provider', [{ match: 'claude-*', provider: 'gemini', fallback: [{ provider: 'anthropic', model: 'glm-4.6' }] }], 'glm-4.6'],
  ] as const)('%s', (_name, rules, model) => {
    expect(testModelFor(zai, rules as never)).toBe(model);
  });

  it('asks a Gemini account for a Gemini model and a Google account for one it reports', () => {
    expect(testModelFor(account({ label: 'g', provider: 'gemini' }), [])).toBe('gemini-2.5-flash');
    const google = account({
      label: 'ada',
      provider: 'antigravity',
      learned: {
        project_id: null,
        disabled_reason: null,
        rate_limits: [],
        updated_at: null,
        quota: [{ model: 'claude-sonnet-4-5', remaining: 1, resets_at: null }],
      },
    });
    expect(testModelFor(google, [{ match: 'gemini-*', provider: 'antigravity' }])).toBe('claude-sonnet-4-5');
  });
});
