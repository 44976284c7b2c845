// Histories that cross model families, through real HTTP against fakes that verify signatures the way the
// real services do: Claude over Code Assist checks that a thinking tool turn starts with the thought it
// signed (not the call's signature), Gemini that a call comes back with the call's signature, Anthropic
// that every thinking block is its own. A conversation moves along a chain Google → Gemini key →
// Anthropic key and back, and every upstream takes the history it is given.

import { afterEach, describe, expect, it } from 'vitest';
import { MessageAccumulator } from '../../../src-proxy/anthropic/collector.js';
import type { StreamEvent } from '../../../src-proxy/anthropic/types.js';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { decodeSignature } from '../../../src-proxy/providers/gemini/signature-cache.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { SKIP_SIGNATURE, startFakeGemini, type FakeGemini } from '../../fakes/gemini-upstream.js';
import { startFakeV1Internal, type FakeV1Internal } from '../../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../../helpers/access-tokens.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { parseSse, postJson, readJson } from '../../helpers/sse-client.js';

const MODEL = 'claude-sonnet-4-5';
const GEMINI_MODEL = 'gemini-3-pro-preview';
const CHAIN: ModelRule[] = [{ match: 'claude-*', provider: 'antigravity', fallback: [{ provider: 'gemini', model: GEMINI_MODEL }, { provider: 'anthropic' }] }];

let google: FakeV1Internal;
let gemini: FakeGemini;
let anthropic: FakeAnthropic;
let gateway: TestGateway;

async function setup(rules: ModelRule[] = CHAIN) {
  google = await startFakeV1Internal({ accounts: [{ token: 'fake-access.one', project: 'proj-one' }] });
  gemini = await startFakeGemini({ keys: ['AIza-1'], defaultBehaviour: { kind: 'reply', text: 'Done, says Gemini.' } });
  anthropic = await startFakeAnthropic({ keys: ['sk-ant'], defaultBehaviour: { kind: 'reply', text: 'Done, says Claude.' } });
  google.gemini.setDefault({ kind: 'reply', text: 'Done, says Code Assist.' });
  gateway = await startGateway({
    accounts: [
      { provider: 'antigravity', label: 'one@example.com', baseUrl: '', key: '1//one' },
      { provider: 'gemini', label: 'studio', baseUrl: gemini.url, key: 'AIza-1' },
      { label: 'claude', baseUrl: anthropic.url, key: 'sk-ant' },
    ],
    settings: { model_rules: rules, antigravity: { base_urls: [google.url] } },
    accessTokens: new FakeAccessTokens({ '1//one': ['fake-access.one'] }),
  });
}

afterEach(async () => {
  await gateway?.close();
  await google?.close();
  await gemini?.close();
  await anthropic?.close();
});

const bash = {
  name: 'Bash',
  description: 'Run a shell command',
  input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
};

type Block = { type: string; [key: string]: unknown };

/** One conversation with thinking on, turn by turn, keeping every block the client got, as Claude Code does. */
class Conversation {
  readonly history: Array<{ role: string; content: unknown }> = [{ role: 'user', content: 'List the files, then say done.' }];

  constructor(
    private readonly thinking: object = { type: 'enabled', budget_tokens: 2048 },
    private readonly stream = false,
  ) {}

  async turn(): Promise<{ res: Response; content: Block[] }> {
    const res = await postJson(`${gateway.url}/v1/messages`, {
      model: MODEL,
      max_tokens: 8192,
      thinking: this.thinking,
      tools: [bash],
      messages: this.history,
      stream: this.stream,
    });
    if (res.status !== 200) return { res, content: [] };
    const content = this.stream ? streamedContent(await res.text()) : ((await readJson(res)).content as Block[]);
    this.history.push({ role: 'assistant', content });
    const call = content.find((b) => b.type === 'tool_use');
    if (call) this.history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'a.txt' }] });
    return { res, content };
  }
}

/** The content of a streamed answer, put together as a client does. */
function streamedContent(text: string): Block[] {
  const message = new MessageAccumulator();
  for (const event of parseSse(text)) if (event.event !== 'ping') message.apply(JSON.parse(event.data) as StreamEvent);
  return message.result().content as Block[];
}

const thinkingToolReply = {
  kind: 'reply' as const,
  parts: [{ text: 'I will list them.', thought: true }, { functionCall: { name: 'Bash', args: { command: 'ls' } } }],
};
const quotaSpent = { kind: 'quotaExhausted' as const, resetDelay: '3h' };
const parts = (content: { parts?: Array<Record<string, unknown>> } | undefined) => content?.parts ?? [];

describe('a thinking tool loop on Claude over Code Assist', () => {
  it('takes its second turn: the thinking block carries the thought’s signature, the call keeps its own', async () => {
    await setup([{ match: 'claude-*', provider: 'antigravity' }]);
    google.script(thinkingToolReply);
    const chat = new Conversation();
    const first = await chat.turn();
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const carried = decodeSignature(first.content[0]!.signature)!;
    expect(google.gemini.signatureInfo(carried.signature!)).toMatchObject({ kind: 'thought', text: 'I will list them.' });
    expect(google.gemini.signatureInfo(carried.call!)).toMatchObject({ kind: 'call' });

    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.content).toEqual([{ type: 'text', text: 'Done, says Code Assist.' }]);
    const replayed = parts(google.generateRequests()[1]!.body.request.contents[1]);
    expect(replayed[0]).toMatchObject({ thought: true, text: 'I will list them.', thoughtSignature: carried.signature });
    expect(replayed[1]).toMatchObject({ functionCall: { name: 'Bash' }, thoughtSignature: carried.call });
    expect((await gateway.entry(2)).notes).toEqual([]);
  });
});

describe('a conversation crossing families', () => {
  it('continues a Claude turn on Gemini', async () => {
    await setup();
    google.script(thinkingToolReply);
    const chat = new Conversation();
    expect((await chat.turn()).res.headers.get('x-account-email')).toBe('one@example.com');
    google.refuse('fake-access.one', quotaSpent);

    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-account-email')).toBe('studio');
    expect(second.content).toEqual([{ type: 'text', text: 'Done, says Gemini.' }]);
    // Claude's signatures mean nothing to Gemini: the thought is left out, the call goes with Gemini CLI's stand-in.
    const model = gemini.generateRequests()[0]!.body.contents[1];
    expect(parts(model)).toEqual([{ functionCall: expect.objectContaining({ name: 'Bash' }), thoughtSignature: SKIP_SIGNATURE }]);
    expect((await gateway.entry(2)).notes).toEqual(['thinking_dropped']);
  });

  it('continues a Gemini turn on Claude through an Anthropic key, thinking off for the tool turn it cannot verify', async () => {
    await setup();
    google.refuse('fake-access.one', quotaSpent);
    gemini.script(thinkingToolReply);
    const chat = new Conversation();
    const first = await chat.turn();
    expect(first.res.headers.get('x-account-email')).toBe('studio');
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    gemini.refuse('AIza-1', { kind: 'error', status: 429, message: 'Quota exceeded for the day.', quotaId: 'GenerateRequestsPerDayPerProjectPerModel' });

    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-account-email')).toBe('claude');
    const sent = anthropic.messageRequests()[0]!.body;
    expect(sent.thinking).toEqual({ type: 'disabled' });
    expect(sent.messages[1].content.map((b: Block) => b.type)).toEqual(['tool_use']);
    expect(await gateway.entry(2)).toMatchObject({ provider: 'anthropic', notes: ['thinking_dropped', 'thinking_off_tool_turn'] });

    // The next question thinks again.
    chat.history.push({ role: 'user', content: 'And now?' });
    expect((await chat.turn()).res.status).toBe(200);
    expect(anthropic.messageRequests()[1]!.body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
  });

  it('continues a Gemini turn on Claude with the adaptive thinking Claude Code sends, held to the same rule', async () => {
    await setup();
    google.refuse('fake-access.one', quotaSpent);
    gemini.script(thinkingToolReply);
    const chat = new Conversation({ type: 'adaptive' });
    expect((await chat.turn()).res.headers.get('x-account-email')).toBe('studio');
    gemini.refuse('AIza-1', { kind: 'error', status: 503, message: 'The model is overloaded.' });

    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-account-email')).toBe('claude');
    expect(anthropic.messageRequests()[0]!.body.thinking).toEqual({ type: 'disabled' });
    expect((await gateway.entry(2)).notes).toEqual(['thinking_dropped', 'thinking_off_tool_turn']);
  });

  it('continues a Gemini turn on Claude over Code Assist, thinking off for that turn', async () => {
    await setup();
    google.refuse('fake-access.one', quotaSpent);
    gemini.script(thinkingToolReply);
    const chat = new Conversation();
    expect((await chat.turn()).res.headers.get('x-account-email')).toBe('studio');
    google.refuse('fake-access.one', null);
    await gateway.runtime.updateAccount(gateway.accounts[0]!.id, { reset_health: true });

    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-account-email')).toBe('one@example.com');
    // The plain model, which the account offers, takes the turn without thinking.
    expect(second.res.headers.get('x-mapped-model')).toBe(MODEL);
    const sent = google.generateRequests().at(-1)!.body.request;
    expect(sent.generationConfig?.thinkingConfig).toBeUndefined();
    expect(parts(sent.contents[1]).some((p) => p.thought === true)).toBe(false);
    expect([...(await gateway.entry(2)).notes].sort()).toEqual(['thinking_dropped', 'thinking_off_tool_turn']);
  });

  it('continues an Anthropic turn on Claude over Code Assist', async () => {
    await setup([{ match: 'claude-*', provider: 'anthropic', fallback: [{ provider: 'antigravity' }] }]);
    anthropic.script({
      kind: 'reply',
      content: [
        { type: 'thinking', thinking: 'I will list them.' },
        { type: 'tool_use', name: 'Bash', input: { command: 'ls' } },
      ],
    });
    const chat = new Conversation();
    expect((await chat.turn()).res.headers.get('x-account-email')).toBe('claude');
    anthropic.refuse('sk-ant', { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' });

    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-account-email')).toBe('one@example.com');
    expect(second.res.headers.get('x-route')).toBe(`anthropic/${MODEL}: every account tried failed (last: overloaded) -> antigravity/${MODEL}`);
    expect([...(await gateway.entry(2)).notes].sort()).toEqual(['thinking_dropped', 'thinking_off_tool_turn']);
  });

  it('keeps Anthropic’s own thinking for Anthropic, which verifies it', async () => {
    await setup([{ match: 'claude-*', provider: 'anthropic' }]);
    anthropic.script({
      kind: 'reply',
      content: [
        { type: 'thinking', thinking: 'I will list them.' },
        { type: 'tool_use', name: 'Bash', input: { command: 'ls' } },
      ],
    });
    const chat = new Conversation();
    await chat.turn();
    expect((await chat.turn()).res.status).toBe(200);
    const sent = anthropic.messageRequests()[1]!.body;
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(sent.messages[1].content.map((b: Block) => b.type)).toEqual(['thinking', 'tool_use']);
    expect((await gateway.entry(2)).notes).toEqual([]);
  });
});

describe('a conversation moving between Anthropic-compatible upstreams', () => {
  let zai: FakeAnthropic;
  afterEach(async () => {
    await zai?.close();
  });

  /** Anthropic as the primary and a z.ai key as the fallback, one Anthropic-compatible kind, each signing its own way. */
  async function setupVendors() {
    anthropic = await startFakeAnthropic({ keys: ['sk-ant'], defaultBehaviour: { kind: 'reply', text: 'Done, says Claude.' } });
    zai = await startFakeAnthropic({ keys: ['sk-zai'], signer: 'zai', defaultBehaviour: { kind: 'reply', text: 'Done, says GLM.' } });
    gateway = await startGateway({
      accounts: [
        { label: 'claude', baseUrl: anthropic.url, key: 'sk-ant' },
        { label: 'zai', baseUrl: zai.url, key: 'sk-zai' },
      ],
      settings: {
        model_rules: [
          { match: 'claude-*', provider: 'anthropic', accounts: ['claude'], fallback: [{ provider: 'anthropic', model: 'glm-4.6', accounts: ['zai'] }] },
        ],
      },
    });
  }

  const glmToolTurn = {
    kind: 'reply' as const,
    content: [
      { type: 'thinking' as const, thinking: 'GLM will list them.' },
      { type: 'tool_use' as const, name: 'Bash', input: { command: 'ls' } },
    ],
  };

  it.each([
    ['as JSON', false],
    ['streamed', true],
  ])('returns to Claude with the fallback’s tool turn (%s): its signature is left out, thinking off for that turn', async (_how, stream) => {
    await setupVendors();
    anthropic.refuse('sk-ant', { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' });
    zai.script(glmToolTurn);
    const chat = new Conversation({ type: 'adaptive' }, stream);
    const first = await chat.turn();
    expect(first.res.headers.get('x-account-email')).toBe('zai');
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    anthropic.refuse('sk-ant', null);

    // The primary is back: it takes the next turn, and refuses nothing.
    const second = await chat.turn();
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-account-email')).toBe('claude');
    const sent = anthropic.messageRequests().at(-1)!.body;
    expect(sent.thinking).toEqual({ type: 'disabled' });
    expect(sent.messages[1].content.map((b: Block) => b.type)).toEqual(['tool_use']);
    expect((await gateway.entry(2)).notes).toEqual(['thinking_dropped', 'thinking_off_tool_turn']);
  });

  it('hands Claude’s own tool turn to the fallback without Claude’s signature, and back to Claude with it', async () => {
    await setupVendors();
    anthropic.script({
      kind: 'reply',
      content: [
        { type: 'thinking', thinking: 'Claude will list them.' },
        { type: 'tool_use', name: 'Bash', input: { command: 'ls' } },
      ],
    });
    const chat = new Conversation({ type: 'adaptive' }, true);
    expect((await chat.turn()).res.headers.get('x-account-email')).toBe('claude');
    anthropic.refuse('sk-ant', { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' });
    const onGlm = await chat.turn();
    expect(onGlm.res.status).toBe(200);
    expect(onGlm.res.headers.get('x-account-email')).toBe('zai');
    expect(zai.messageRequests()[0]!.body.messages[1].content.map((b: Block) => b.type)).toEqual(['tool_use']);

    // Had Claude served it, its own signature would have gone back: the same history, primary back.
    anthropic.refuse('sk-ant', null);
    chat.history.splice(-1, 1);
    expect((await chat.turn()).res.status).toBe(200);
    expect(
      anthropic
        .messageRequests()
        .at(-1)!
        .body.messages[1].content.map((b: Block) => b.type),
    ).toEqual(['thinking', 'tool_use']);
    expect((await gateway.entry(3)).notes).toEqual([]);
  });
});
