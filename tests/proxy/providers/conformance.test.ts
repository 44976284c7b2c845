// Every provider against its fake upstream, with the same cases: whatever the upstream speaks, the
// gateway gets the same Anthropic answers, the same failure kinds and the same behaviour on abort.
// A provider joins by adding a harness below.

import { afterEach, describe, expect, it } from 'vitest';
import { collectMessage } from '../../../src-proxy/anthropic/collector.js';
import { PreparedRequest } from '../../../src-proxy/anthropic/prepared-request.js';
import { framesOf } from '../../../src-proxy/anthropic/sse.js';
import type { Message, MessagesRequest } from '../../../src-proxy/anthropic/types.js';
import { AccountSchema, type Account, type FailureKind } from '../../../src-proxy/contract/index.js';
import { AnthropicProvider } from '../../../src-proxy/providers/anthropic/anthropic-provider.js';
import type { AttemptResult, Provider } from '../../../src-proxy/providers/types.js';
import { attemptContext } from '../../helpers/attempt-context.js';
import { GeminiProvider } from '../../../src-proxy/providers/gemini/gemini-provider.js';
import { startFakeAnthropic, type Behaviour, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startFakeGemini, type Behaviour as GeminiBehaviour, type FakeGemini } from '../../fakes/gemini-upstream.js';
import { AntigravityProvider } from '../../../src-proxy/providers/antigravity/antigravity-provider.js';
import { startFakeV1Internal, type V1Behaviour } from '../../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../../helpers/access-tokens.js';

/** What a case asks of the upstream, in no upstream's terms. */
type Script =
  | { reply: 'text'; text: string; chunks?: number; splitUtf8?: boolean }
  | { reply: 'tool'; name: string; input: Record<string, unknown> }
  | { reply: 'thinking'; thinking: string; text: string }
  | { fail: Exclude<FailureKind, 'invalid' | 'network' | 'timeout' | 'stream'>; retryAfterSeconds?: number }
  | { hang: true }
  /** 200, then the connection drops before any content. */
  | { dropBeforeContent: true };

interface Upstream {
  provider: Provider;
  /** The upstream model requests name (the gateway has mapped it by the time a provider sees it). */
  model: string;
  account: Account;
  secret: string;
  script(s: Script): void;
  /** Whether the upstream saw its last request aborted by the client. */
  lastAborted(): boolean;
  waitForRequest(): Promise<void>;
  close(): Promise<void>;
}

interface Harness {
  name: string;
  start(): Promise<Upstream>;
}

const ANTHROPIC_ERRORS: Record<string, { status: number; type: string }> = {
  rate_limit: { status: 429, type: 'rate_limit_error' },
  quota: { status: 402, type: 'billing_error' },
  auth: { status: 401, type: 'authentication_error' },
  forbidden: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
  server: { status: 500, type: 'api_error' },
};

const anthropic: Harness = {
  name: 'anthropic',
  async start() {
    const fake: FakeAnthropic = await startFakeAnthropic();
    const provider = new AnthropicProvider();
    const account = AccountSchema.parse({ id: 'acct_a', provider: 'anthropic', label: 'a', options: { base_url: fake.url }, created_at: 0 });
    const behaviour = (s: Script): Behaviour => {
      if ('hang' in s) return { kind: 'hang' };
      if ('dropBeforeContent' in s) return { kind: 'drop', afterEvents: 0 };
      if ('fail' in s) {
        const e = ANTHROPIC_ERRORS[s.fail]!;
        return { kind: 'error', ...e, message: `${s.fail} here`, headers: s.retryAfterSeconds ? { 'retry-after': String(s.retryAfterSeconds) } : {} };
      }
      if (s.reply === 'text') return { kind: 'reply', text: s.text, chunks: s.chunks, splitUtf8: s.splitUtf8 };
      if (s.reply === 'tool') return { kind: 'reply', content: [{ type: 'tool_use', name: s.name, input: s.input }], stopReason: 'tool_use' };
      return {
        kind: 'reply',
        content: [
          { type: 'thinking', thinking: s.thinking, signature: 'sig-1' },
          { type: 'text', text: s.text },
        ],
      };
    };
    return {
      provider: provider as unknown as Provider,
      model: 'claude-sonnet-4-6',
      account,
      secret: 'sk-conformance',
      script: (s) => fake.script(behaviour(s)),
      lastAborted: () => fake.messageRequests().at(-1)?.aborted ?? false,
      waitForRequest: () => fake.waitFor(() => fake.messageRequests().length > 0),
      close: async () => {
        await provider.close();
        await fake.close();
      },
    };
  },
};

const GEMINI_ERRORS: Record<string, Extract<GeminiBehaviour, { kind: 'error' }>> = {
  rate_limit: { kind: 'error', status: 429, message: 'Quota exceeded', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel', retryDelay: '7s' },
  quota: { kind: 'error', status: 429, message: 'Quota exceeded', reason: 'QUOTA_EXHAUSTED' },
  auth: { kind: 'error', status: 400, googleStatus: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.', reason: 'API_KEY_INVALID' },
  forbidden: { kind: 'error', status: 403, message: 'The caller does not have permission' },
  not_found: { kind: 'error', status: 404, message: 'models/x is not found' },
  overloaded: { kind: 'error', status: 503, message: 'The model is overloaded.' },
  server: { kind: 'error', status: 500, message: 'An internal error has occurred.' },
};

const gemini: Harness = {
  name: 'gemini',
  async start() {
    const fake: FakeGemini = await startFakeGemini();
    const provider = new GeminiProvider();
    const account = AccountSchema.parse({ id: 'acct_g', provider: 'gemini', label: 'g', options: { base_url: fake.url }, created_at: 0 });
    const behaviour = (s: Script): GeminiBehaviour => {
      if ('hang' in s) return { kind: 'hang' };
      if ('dropBeforeContent' in s) return { kind: 'drop', afterChunks: 0 };
      if ('fail' in s) return GEMINI_ERRORS[s.fail]!;
      if (s.reply === 'text') return { kind: 'reply', text: s.text, chunks: s.chunks, splitUtf8: s.splitUtf8 };
      if (s.reply === 'tool') return { kind: 'reply', parts: [{ functionCall: { name: s.name, args: s.input } }] };
      return { kind: 'reply', parts: [{ text: s.thinking, thought: true }, { text: s.text }], forceThoughts: true };
    };
    return {
      provider: provider as unknown as Provider,
      model: 'gemini-3-pro-preview',
      account,
      secret: 'AIza-conformance',
      script: (s) => fake.script(behaviour(s)),
      lastAborted: () => fake.generateRequests().at(-1)?.aborted ?? false,
      waitForRequest: () => fake.waitFor(() => fake.generateRequests().length > 0),
      close: async () => {
        await provider.close();
        await fake.close();
      },
    };
  },
};

const antigravity: Harness = {
  name: 'antigravity',
  async start() {
    const fake = await startFakeV1Internal({ accounts: [{ token: 'fake-access.conformance', project: 'proj-conformance' }] });
    const provider = new AntigravityProvider({
      accessTokens: new FakeAccessTokens({ '1//refresh-conformance': ['fake-access.conformance'] }),
      state: { learned: () => {} },
      settings: () => ({ base_urls: [fake.url] }),
    });
    const account = AccountSchema.parse({ id: 'acct_ag', provider: 'antigravity', label: 'ag', options: {}, created_at: 0 });
    // A refusal has to outlast the refresh the provider tries first.
    const behaviours = (s: Script): V1Behaviour[] => {
      if ('fail' in s && s.fail === 'auth') return [{ kind: 'unauthenticated' }, { kind: 'unauthenticated' }];
      if ('fail' in s && s.fail === 'forbidden') return [{ kind: 'permissionDenied' }, { kind: 'permissionDenied' }];
      if ('fail' in s) return [GEMINI_ERRORS[s.fail]!];
      if ('hang' in s) return [{ kind: 'hang' }];
      if ('dropBeforeContent' in s) return [{ kind: 'drop', afterChunks: 0 }];
      if (s.reply === 'text') return [{ kind: 'reply', text: s.text, chunks: s.chunks, splitUtf8: s.splitUtf8 }];
      if (s.reply === 'tool') return [{ kind: 'reply', parts: [{ functionCall: { name: s.name, args: s.input } }] }];
      return [{ kind: 'reply', parts: [{ text: s.thinking, thought: true }, { text: s.text }], forceThoughts: true }];
    };
    return {
      provider: provider as unknown as Provider,
      model: 'gemini-3-pro-preview',
      account,
      secret: '1//refresh-conformance',
      script: (s) => fake.script(...behaviours(s)),
      lastAborted: () => fake.gemini.generateRequests().at(-1)?.aborted ?? false,
      waitForRequest: () => fake.gemini.waitFor(() => fake.gemini.generateRequests().length > 0),
      close: async () => {
        await provider.close();
        await fake.close();
      },
    };
  },
};

const HARNESSES: Harness[] = [anthropic, gemini, antigravity];

function request(model: string, stream: boolean, extra: Partial<MessagesRequest> = {}): PreparedRequest<MessagesRequest> {
  return new PreparedRequest<MessagesRequest>({
    model,
    max_tokens: 4096,
    stream,
    messages: [{ role: 'user', content: 'hello' }],
    ...extra,
  });
}

/** The Anthropic message an attempt produced, whichever way the provider delivered it. */
async function messageOf(result: AttemptResult): Promise<Message> {
  if (!result.ok) throw new Error(`expected an answer, got ${result.failure.kind}: ${result.failure.message}`);
  return result.kind === 'message' ? result.message : collectMessage(framesOf(result.batches));
}

describe.each(HARNESSES)('provider conformance: $name', (harness) => {
  let up: Upstream;
  afterEach(async () => {
    await up?.close();
  });

  const send = async (req: PreparedRequest<MessagesRequest>, c = attemptContext()) =>
    up.provider.send(up.provider.prepare(req, up.account), { account: up.account, secret: up.secret }, c);

  it.each([false, true])('answers a text reply (stream %s)', async (stream) => {
    up = await harness.start();
    up.script({ reply: 'text', text: 'Hello there.', chunks: 3 });
    const message = await messageOf(await send(request(up.model, stream)));
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hello there.' }] });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('keeps a multi-byte character that arrives cut in two', async () => {
    up = await harness.start();
    const text = 'naïve café — 你好 🌍 done';
    up.script({ reply: 'text', text, chunks: 6, splitUtf8: true });
    expect((await messageOf(await send(request(up.model, true)))).content).toEqual([{ type: 'text', text }]);
  });

  it('answers a tool call with its parsed input and stop_reason tool_use', async () => {
    up = await harness.start();
    up.script({ reply: 'tool', name: 'Bash', input: { command: 'ls -la', description: 'list files' } });
    const message = await messageOf(await send(request(up.model, true)));
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'Bash', input: { command: 'ls -la', description: 'list files' } },
    ]);
  });

  it('answers thinking with its signature before the text', async () => {
    up = await harness.start();
    up.script({ reply: 'thinking', thinking: 'Let me think.', text: 'Done.' });
    const message = await messageOf(await send(request(up.model, true, { thinking: { type: 'enabled', budget_tokens: 2048 } })));
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ thinking: 'Let me think.', signature: expect.any(String) });
  });

  it.each<[Exclude<FailureKind, 'invalid' | 'network' | 'timeout' | 'stream'>]>([
    ['rate_limit'],
    ['quota'],
    ['auth'],
    ['forbidden'],
    ['not_found'],
    ['overloaded'],
    ['server'],
  ])('classifies a %s failure before anything was sent to the client', async (fail) => {
    up = await harness.start();
    up.script({ fail, retryAfterSeconds: fail === 'rate_limit' ? 7 : undefined });
    const result = await send(request(up.model, true));
    expect(result).toMatchObject({ ok: false, failure: { kind: fail } });
    if (!result.ok && fail === 'rate_limit') expect(result.failure.retryAfterMs).toBe(7000);
    if (!result.ok) expect(result.failure.message).not.toContain(up.secret);
  });

  it('the first-yield rule: a stream that breaks before any content fails before yielding anything', async () => {
    up = await harness.start();
    up.script({ dropBeforeContent: true });
    const result = await send(request(up.model, true));
    if (!result.ok) {
      expect(['stream', 'network']).toContain(result.failure.kind);
      return;
    }
    // A stream handed over before the content: its very first step must be the classified failure.
    if (result.kind !== 'stream') throw new Error('expected a stream or a failure');
    const it = result.batches[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ name: 'UpstreamError', failure: { kind: expect.stringMatching(/^(stream|network)$/) } });
  });

  it('stops the upstream request when the attempt is abandoned', async () => {
    up = await harness.start();
    up.script({ hang: true });
    const abandon = new AbortController();
    const pending = send(request(up.model, true), attemptContext(abandon.signal));
    await up.waitForRequest();
    abandon.abort();
    expect(await pending).toMatchObject({ ok: false });
    await expect.poll(() => up.lastAborted()).toBe(true);
  });
});
