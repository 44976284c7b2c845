// The antigravity provider against the fake Code Assist backend: what it sends (envelope, token,
// project), how it finds a project, which model variant it picks, how Claude's thinking survives a tool
// loop, what a refused token does, how hosts fail over, and how quota is learned.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectMessage } from '../../../../src-proxy/anthropic/collector.js';
import { PreparedRequest } from '../../../../src-proxy/anthropic/prepared-request.js';
import { framesOf } from '../../../../src-proxy/anthropic/sse.js';
import type { CountTokensRequest, Message, MessagesRequest } from '../../../../src-proxy/anthropic/types.js';
import { AccountSchema, type AccountOf, type LearnedState } from '../../../../src-proxy/contract/index.js';
import { AntigravityProvider, type AntigravityProviderOptions } from '../../../../src-proxy/providers/antigravity/antigravity-provider.js';
import type { AccountStatePort } from '../../../../src-proxy/accounts/pool-ports.js';
import type { AttemptResult } from '../../../../src-proxy/providers/types.js';
import { startFakeV1Internal, type FakeCodeAssistAccount, type FakeV1Internal } from '../../../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../../../helpers/access-tokens.js';
import { attemptContext } from '../../../helpers/attempt-context.js';

type Account = AccountOf<'antigravity'>;
type Learned = Partial<Omit<LearnedState, 'updated_at'>>;

const REFRESH = '1//refresh-a';
const TOKEN = 'fake-access.a1';

/** The AccountStatePort as the pool implements it: patches merged into the account's learned state. */
class MemoryState implements AccountStatePort {
  readonly patches: Array<{ id: string; patch: Learned }> = [];
  readonly state = new Map<string, Learned>();
  learned(id: string, patch: Learned): void {
    this.patches.push({ id, patch });
    this.state.set(id, { ...this.state.get(id), ...patch });
  }
}

let fake: FakeV1Internal;
let provider: AntigravityProvider;
let state: MemoryState;
let tokens: FakeAccessTokens;

async function setup(accounts: FakeCodeAssistAccount[], opts: Partial<AntigravityProviderOptions> & { tokens?: Record<string, string[]> } = {}): Promise<void> {
  fake = await startFakeV1Internal({ accounts });
  state = new MemoryState();
  tokens = new FakeAccessTokens(opts.tokens ?? { [REFRESH]: [TOKEN] });
  provider = new AntigravityProvider({ accessTokens: tokens, state, settings: () => ({ base_urls: [fake.url] }), onboarding: { pollIntervalMs: 5 }, ...opts });
}

afterEach(async () => {
  await provider?.close();
  await fake?.close();
});

/** The account as the store would hand it over now: with what the provider has learned so far. */
function account(over: Partial<Account> = {}, id = 'acct_1'): Account {
  const base = AccountSchema.parse({ id, provider: 'antigravity', label: `${id}@example.com`, options: {}, created_at: 0 }) as Account;
  return { ...base, ...over, learned: { ...base.learned, ...state.state.get(id), ...over.learned } };
}

function request(model: string, extra: Partial<MessagesRequest> = {}): PreparedRequest<MessagesRequest> {
  return new PreparedRequest<MessagesRequest>({ model, max_tokens: 4096, stream: true, messages: [{ role: 'user', content: 'hello' }], ...extra });
}

function send(req: PreparedRequest<MessagesRequest>, acct: Account = account(), secret = REFRESH): Promise<AttemptResult> {
  return provider.send(req, { account: acct, secret }, attemptContext());
}

async function messageOf(result: AttemptResult): Promise<Message> {
  if (!result.ok) throw new Error(`expected an answer, got ${result.failure.kind}: ${result.failure.message}`);
  return result.kind === 'message' ? result.message : collectMessage(framesOf(result.batches));
}

describe('the envelope', () => {
  beforeEach(() => setup([{ token: TOKEN, project: 'proj-a' }]));

  it('sends the Gemini request inside the envelope, with the bearer token, the project and the session', async () => {
    fake.gemini.setDefault({ kind: 'reply', text: 'Hi.' });
    const result = await send(request('gemini-2.5-flash', { metadata: { user_id: 'user_abc_session_123' }, system: 'Be brief.' }));
    expect(await messageOf(result)).toMatchObject({ content: [{ type: 'text', text: 'Hi.' }], model: 'gemini-2.5-flash' });
    const sent = fake.generateRequests()[0]!;
    expect(sent.path).toBe('/v1internal:streamGenerateContent');
    expect(sent.query).toBe('alt=sse');
    expect(sent.token).toBe(TOKEN);
    expect(sent.body).toMatchObject({ model: 'gemini-2.5-flash', project: 'proj-a', userAgent: 'antigravity', requestType: 'agent' });
    expect(sent.body.requestId).toMatch(/^agent-/);
    expect(sent.body.request.sessionId).toBe('user_abc_session_123');
    expect(sent.body.request.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
  });

  it('serves a request without asking the attempt for an AbortSignal, which the gateway makes only on demand', async () => {
    fake.gemini.setDefault({ kind: 'reply', text: 'Hi.' });
    const base = attemptContext();
    let asked = 0;
    const ctx = Object.defineProperty({ ...base }, 'signal', {
      get: () => {
        asked++;
        return base.signal;
      },
    });
    const result = await provider.send(request('gemini-2.5-flash'), { account: account(), secret: REFRESH }, ctx);
    expect(await messageOf(result)).toMatchObject({ content: [{ type: 'text', text: 'Hi.' }] });
    expect(asked).toBe(0);
  });

  it('answers a request the mapper cannot express with an invalid failure, sending nothing', async () => {
    const result = await send(request('gemini-2.5-flash', { messages: [{ role: 'user', content: [] }] }));
    expect(result).toMatchObject({ ok: false, failure: { kind: 'invalid', status: 400 } });
    expect(fake.generateRequests()).toHaveLength(0);
  });

  it('counts tokens through countTokens, with contents only', async () => {
    const counted = await provider.countTokens(
      new PreparedRequest<CountTokensRequest>({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Count these words, please.' }] }),
      { account: account(), secret: REFRESH },
      attemptContext(),
    );
    expect(counted).toMatchObject({ ok: true, inputTokens: expect.any(Number) });
    const sent = fake.requests.find((r) => r.verb === 'countTokens')!;
    expect(sent.body).toEqual({ request: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'Count these words, please.' }] }] } });
  });
});

describe('the project', () => {
  it('is discovered once with loadCodeAssist and kept in the learned state', async () => {
    await setup([{ token: TOKEN, project: 'proj-found' }]);
    await messageOf(await send(request('gemini-2.5-flash')));
    await messageOf(await send(request('gemini-2.5-flash')));
    expect(fake.requests.filter((r) => r.verb === 'loadCodeAssist')).toHaveLength(1);
    expect(state.state.get('acct_1')?.project_id).toBe('proj-found');
    expect(fake.generateRequests().map((r) => r.body.project)).toEqual(['proj-found', 'proj-found']);
  });

  it('is onboarded when the account has none, polling the operation until done, once for parallel requests', async () => {
    await setup([{ token: TOKEN, onboard: { project: 'proj-new', polls: 3 } }]);
    const results = await Promise.all([send(request('gemini-2.5-flash')), send(request('gemini-2.5-flash')), send(request('gemini-2.5-flash'))]);
    for (const r of results) await messageOf(r);
    expect(fake.requests.filter((r) => r.verb === 'onboardUser')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.verb === 'getOperation')).toHaveLength(3);
    expect(fake.requests.find((r) => r.verb === 'onboardUser')!.body).toMatchObject({ tierId: 'free-tier' });
    expect(state.state.get('acct_1')?.project_id).toBe('proj-new');
  });

  it('gives up onboarding after the polls it is allowed, and tries again on the next request', async () => {
    await setup([{ token: TOKEN, onboard: { project: 'proj-slow', polls: 5 } }], { onboarding: { pollIntervalMs: 1, maxPolls: 2 } });
    expect(await send(request('gemini-2.5-flash'))).toMatchObject({ ok: false, failure: { kind: 'server', message: expect.stringContaining('onboarding') } });
    expect(fake.generateRequests()).toHaveLength(0);
    expect(state.state.get('acct_1')?.project_id).toBeUndefined();
  });

  it('is the account option when it names one, without asking', async () => {
    await setup([{ token: TOKEN, project: 'proj-own' }]);
    await messageOf(await send(request('gemini-2.5-flash'), account({ options: { project_id: 'proj-own' } })));
    expect(fake.requests.filter((r) => r.verb === 'loadCodeAssist')).toHaveLength(0);
  });

  it('fails as forbidden, with the link, when Google wants the account verified', async () => {
    await setup([{ token: TOKEN, validationRequired: true }]);
    expect(await send(request('gemini-2.5-flash'))).toMatchObject({ ok: false, failure: { kind: 'forbidden', message: expect.stringContaining('https://') } });
  });
});

describe('model variants and Claude thinking', () => {
  beforeEach(() => setup([{ token: TOKEN, project: 'proj-a' }]));

  const THINKING = { thinking: { type: 'enabled' as const, budget_tokens: 2048 } };

  it('sends the -thinking variant the account offers when the request thinks, and says so', async () => {
    fake.gemini.setDefault({ kind: 'reply', parts: [{ text: 'Pondering.', thought: true }, { text: 'Done.' }] });
    const result = await send(request('claude-sonnet-4-5', THINKING));
    expect(result).toMatchObject({ ok: true, upstreamModel: 'claude-sonnet-4-5-thinking' });
    const message = await messageOf(result);
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(fake.generateRequests()[0]!.body.request.generationConfig.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 2048 });
  });

  it('keeps the routed model without thinking, and when the account offers no variant', async () => {
    fake.gemini.setDefault({ kind: 'reply', text: 'Done.' });
    expect(await send(request('claude-sonnet-4-5'))).toMatchObject({ ok: true, upstreamModel: 'claude-sonnet-4-5' });
    expect(await send(request('gemini-2.5-flash', THINKING))).toMatchObject({ ok: true, upstreamModel: 'gemini-2.5-flash' });
    expect(fake.generateRequests()[0]!.body.request.generationConfig?.thinkingConfig).toBeUndefined();
  });

  it('replays signed thinking through a tool loop, with tool ids on the call and its response', async () => {
    const tools = [
      { name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } },
    ];
    fake.gemini.setDefault({
      kind: 'reply',
      parts: [{ text: 'I should list files.', thought: true }, { functionCall: { name: 'Bash', args: { command: 'ls' } } }],
    });
    const first = await messageOf(await send(request('claude-sonnet-4-5', { ...THINKING, tools })));
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const toolUse = first.content[1] as unknown as { id: string };

    fake.gemini.setDefault({ kind: 'reply', text: 'There is one file.' });
    const second = await send(
      request('claude-sonnet-4-5', {
        ...THINKING,
        tools,
        messages: [
          { role: 'user', content: 'List the files.' },
          { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'a.txt' }] },
        ],
      }),
    );
    expect(await messageOf(second)).toMatchObject({ content: [{ type: 'text', text: 'There is one file.' }] });
    const sent = fake.generateRequests()[1]!.body.request;
    const model = sent.contents[1];
    expect(model.parts[0]).toMatchObject({ text: 'I should list files.', thought: true, thoughtSignature: expect.any(String) });
    const call = model.parts[1].functionCall;
    expect(call.id).toMatch(/^toolu_vrtx_/);
    expect(sent.contents[2].parts[0].functionResponse.id).toBe(call.id);
    expect(sent.toolConfig).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
  });
});

describe('a refused token', () => {
  it('is invalidated and the call tried once more with a fresh one', async () => {
    await setup([{ token: TOKEN, project: 'proj-a' }], { tokens: { [REFRESH]: ['fake-access.stale', TOKEN] } });
    fake.addToken(TOKEN, 'fake-access.stale');
    fake.revoke('fake-access.stale');
    await messageOf(await send(request('gemini-2.5-flash')));
    expect(tokens.invalidations).toEqual([{ accountId: 'acct_1', accessToken: 'fake-access.stale' }]);
    expect(fake.generateRequests().at(-1)!.token).toBe(TOKEN);
    expect(state.state.get('acct_1')?.disabled_reason ?? null).toBeNull();
  });

  it.each([
    ['401 UNAUTHENTICATED', { kind: 'unauthenticated' } as const, 'auth'],
    [
      '403 PERMISSION_DENIED',
      { kind: 'permissionDenied', message: 'This service has been disabled in this account for violation of Terms of Service.' } as const,
      'forbidden',
    ],
  ])('that survives the refresh (%s) marks the account with the reason', async (_t, behaviour, kind) => {
    await setup([{ token: TOKEN, project: 'proj-a' }], { tokens: { [REFRESH]: [TOKEN, 'fake-access.a2'] } });
    fake.addToken(TOKEN, 'fake-access.a2');
    await messageOf(await send(request('gemini-2.5-flash'))); // project known first
    fake.script(behaviour, behaviour);
    const result = await send(request('gemini-2.5-flash'));
    expect(result).toMatchObject({ ok: false, failure: { kind } });
    expect(tokens.invalidations).toHaveLength(1);
    expect(state.state.get('acct_1')?.disabled_reason).toContain(kind === 'auth' ? 'invalid authentication credentials' : 'Terms of Service');

    fake.gemini.setDefault({ kind: 'reply', text: 'Back.' });
    await messageOf(await send(request('gemini-2.5-flash'), account()));
    expect(state.state.get('acct_1')?.disabled_reason).toBeNull();
  });

  it('a refresh token the token service refuses fails as auth without calling Code Assist', async () => {
    await setup([{ token: TOKEN, project: 'proj-a' }]);
    expect(await send(request('gemini-2.5-flash'), account(), '1//revoked')).toMatchObject({
      ok: false,
      failure: { kind: 'auth', message: expect.stringContaining('invalid_grant') },
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('hosts tried in order', () => {
  it.each([
    ['unreachable', 'closed'],
    ['answering 404', 404],
    ['answering 503', 503],
  ] as const)('moves on from a host %s', async (_t, down) => {
    await setup([{ token: TOKEN, project: 'proj-a' }]);
    const bad = down === 'closed' ? null : await startFakeV1Internal({ accounts: [{ token: TOKEN, project: 'proj-a' }], hostDown: down });
    const closedUrl = 'http://127.0.0.1:9';
    await provider.close();
    provider = new AntigravityProvider({ accessTokens: tokens, state, settings: () => ({ base_urls: [bad?.url ?? closedUrl, fake.url] }) });
    try {
      fake.gemini.setDefault({ kind: 'reply', text: 'From the second host.' });
      expect(await messageOf(await send(request('gemini-2.5-flash')))).toMatchObject({ content: [{ text: 'From the second host.' }] });
      if (bad) expect(bad.generateRequests()).toHaveLength(1);
    } finally {
      await bad?.close();
    }
  });

  it('does not move on from a request the upstream refused as invalid', async () => {
    await setup([{ token: TOKEN, project: 'proj-a' }]);
    const other = await startFakeV1Internal({ accounts: [{ token: TOKEN, project: 'proj-a' }] });
    await provider.close();
    provider = new AntigravityProvider({ accessTokens: tokens, state, settings: () => ({ base_urls: [fake.url, other.url] }) });
    try {
      fake.script({ kind: 'error', status: 400, message: 'Request contains an invalid argument.' });
      expect(await send(request('gemini-2.5-flash'))).toMatchObject({ ok: false, failure: { kind: 'invalid' } });
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('quota', () => {
  const RESET = Date.parse('2030-01-01T00:00:00Z');

  it('is learned from fetchAvailableModels on first use, with the models the account offers', async () => {
    await setup([{ token: TOKEN, project: 'proj-a', quota: { 'gemini-2.5-flash': { remaining: 0.4, resetsAt: RESET } } }]);
    await messageOf(await send(request('gemini-2.5-flash')));
    const quota = state.state.get('acct_1')?.quota ?? [];
    expect(quota).toContainEqual({ model: 'gemini-2.5-flash', remaining: 0.4, resets_at: RESET });
    expect(quota.map((q) => q.model)).not.toContain('chat_20706');
    expect(fake.requests.find((r) => r.verb === 'fetchAvailableModels')!.body).toEqual({ project: 'proj-a' });
  });

  it('a model list the upstream will not give does not hold requests up, nor is it asked for on every request', async () => {
    await setup([{ token: TOKEN, project: 'proj-a', modelsUnavailable: true }]);
    fake.gemini.setDefault({ kind: 'reply', text: 'Fine.' });
    for (let i = 0; i < 3; i++) await messageOf(await send(request('claude-sonnet-4-5', { thinking: { type: 'enabled', budget_tokens: 2048 } })));
    expect(fake.requests.filter((r) => r.verb === 'fetchAvailableModels')).toHaveLength(1);
    // Without the list no variant is known: the routed model goes as it is, without thinking settings.
    expect(fake.generateRequests().map((r) => r.model)).toEqual(['claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-5']);
  });

  it('a 429 RESOURCE_EXHAUSTED is a quota failure lasting until the reset it names, and the quota is asked again', async () => {
    await setup([{ token: TOKEN, project: 'proj-a' }]);
    await messageOf(await send(request('gemini-2.5-flash')));
    const before = fake.requests.filter((r) => r.verb === 'fetchAvailableModels').length;
    fake.script({ kind: 'quotaExhausted', resetDelay: '2h30m' });
    expect(await send(request('gemini-2.5-flash'), account())).toMatchObject({ ok: false, failure: { kind: 'quota', status: 429, retryAfterMs: 9_000_000 } });
    await fake.waitFor(() => fake.requests.filter((r) => r.verb === 'fetchAvailableModels').length > before);
  });

  it('is first refreshed soon after start, before any request', async () => {
    await setup([{ token: TOKEN, project: 'proj-a' }], {
      quotaRefreshMs: 60_000,
      firstQuotaRefreshMs: 10,
      accounts: () => [{ account: account(), secret: REFRESH }],
    });
    await fake.waitFor(() => (state.state.get('acct_1')?.quota?.length ?? 0) > 0);
    expect(fake.generateRequests()).toHaveLength(0);
  });

  it('is refreshed for every account on the timer, which stops on close', async () => {
    const secrets: Record<string, string> = { acct_1: REFRESH, acct_2: '1//refresh-b' };
    await setup(
      [
        { token: TOKEN, project: 'proj-a' },
        { token: 'fake-access.b', project: 'proj-b' },
      ],
      {
        tokens: { [REFRESH]: [TOKEN], '1//refresh-b': ['fake-access.b'] },
        quotaRefreshMs: 20,
        accounts: () => Object.entries(secrets).map(([id, secret]) => ({ account: account({}, id), secret })),
      },
    );
    const learned = (id: string) => (state.state.get(id)?.quota?.length ?? 0) > 0;
    await fake.waitFor(() => learned('acct_1') && learned('acct_2'));
    await provider.close();
    const seen = fake.requests.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(fake.requests.length).toBe(seen);
  });
});
