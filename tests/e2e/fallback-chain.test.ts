// Real clients over a fallback chain: two Google accounts (Code Assist), then a Gemini API key, then an
// Anthropic key, each behind a fake that checks what it is sent the way the real service does. The
// official SDK (JSON, streams, a thinking tool loop) and the `claude` CLI keep working while the links
// fail one after another, and every answer names the link that served it.

import Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRule } from '../../src-proxy/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-upstream.js';
import { startFakeV1Internal, type FakeV1Internal } from '../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../helpers/access-tokens.js';
import { runClaude, type ClaudeRun } from '../helpers/claude-cli.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const MODEL = 'claude-sonnet-4-5';
const GEMINI_MODEL = 'gemini-3-pro-preview';
const GATEWAY_KEY = 'sk-switchyard-chain';
const CHAIN: ModelRule = {
  match: 'claude-*',
  provider: 'antigravity',
  model: MODEL,
  fallback: [{ provider: 'gemini', model: GEMINI_MODEL }, { provider: 'anthropic' }],
};

let google: FakeV1Internal;
let gemini: FakeGemini;
let anthropic: FakeAnthropic;
let gateway: TestGateway;
let client: Anthropic;
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-chain-'));
  google = await startFakeV1Internal({
    accounts: [
      { token: 'fake-access.one', project: 'proj-one' },
      { token: 'fake-access.two', project: 'proj-two' },
    ],
  });
  google.gemini.setDefault({ kind: 'reply', text: 'Answered by Code Assist.' });
  gemini = await startFakeGemini({ keys: ['AIza-studio'], defaultBehaviour: { kind: 'reply', text: 'Answered by Gemini.' } });
  anthropic = await startFakeAnthropic({ keys: ['sk-fake-chain'], defaultBehaviour: { kind: 'reply', text: 'Answered by Claude.' } });
  gateway = await startGateway({
    accounts: [
      { provider: 'antigravity', label: 'one@example.com', baseUrl: '', key: '1//one' },
      { provider: 'antigravity', label: 'two@example.com', baseUrl: '', key: '1//two' },
      { provider: 'gemini', label: 'studio', baseUrl: gemini.url, key: 'AIza-studio' },
      { label: 'claude', baseUrl: anthropic.url, key: 'sk-fake-chain' },
    ],
    settings: { auth_mode: 'strict', api_key: GATEWAY_KEY, model_rules: [CHAIN], antigravity: { base_urls: [google.url] } },
    accessTokens: new FakeAccessTokens({ '1//one': ['fake-access.one'], '1//two': ['fake-access.two'] }),
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: GATEWAY_KEY, maxRetries: 0 });
});
afterEach(async () => {
  await gateway?.close();
  await google?.close();
  await gemini?.close();
  await anthropic?.close();
  await rm(scratch, { recursive: true, force: true });
});

const GOOGLE = new Set(['one@example.com', 'two@example.com']);
const quotaSpent = { kind: 'quotaExhausted' as const, resetDelay: '3h' };
const geminiDailyQuota = { kind: 'error' as const, status: 429, message: 'Quota exceeded for the day.', quotaId: 'GenerateRequestsPerDayPerProjectPerModel' };

const GOOGLE_TOKENS = ['fake-access.one', 'fake-access.two'];
const GOOGLE_MODELS = [MODEL, `${MODEL}-thinking`];

/** Both Google accounts run out of quota for the model: generate calls answer 429 and the quota reads 0. */
function googleOut(): void {
  google.refuse('*', quotaSpent);
  for (const token of GOOGLE_TOKENS) for (const model of GOOGLE_MODELS) google.setQuota(token, model, { remaining: 0, resetsAt: Date.now() + 3 * 3_600_000 });
}

/** The Google accounts' quota is back, as after the reset they named; the user's word stands in for the clock. */
async function googleBack(): Promise<void> {
  google.refuse('*', null);
  for (const token of GOOGLE_TOKENS) for (const model of GOOGLE_MODELS) google.setQuota(token, model, { remaining: 1 });
  for (const a of gateway.accounts.filter((x) => x.provider === 'antigravity')) await gateway.runtime.updateAccount(a.id, { reset_health: true });
}

/** The Gemini key serves again, its day's quota renewed. */
async function geminiBack(): Promise<void> {
  gemini.refuse('AIza-studio', null);
  await gateway.runtime.updateAccount(gateway.accounts.find((a) => a.label === 'studio')!.id, { reset_health: true });
}

/** A streamed answer through the SDK: its events in order, the message the SDK builds from them, and the answer's headers. */
async function streamed(params: Omit<Anthropic.MessageCreateParamsStreaming, 'stream'>) {
  const stream = client.messages.stream(params);
  const events: string[] = [];
  stream.on('streamEvent', (event) => events.push(event.type));
  const { response } = await stream.withResponse();
  const message = await stream.finalMessage();
  const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return { events, text, headers: response.headers, final: message.content };
}

describe('the official SDK over a chain whose links fail one after another', () => {
  it('is answered by Google, then by the Gemini key, then by a clean Anthropic stream, and by Google again once it is back', async () => {
    const first = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(first.data.content).toEqual([{ type: 'text', text: 'Answered by Code Assist.' }]);
    expect(GOOGLE.has(first.response.headers.get('x-account-email')!)).toBe(true);
    expect(first.response.headers.get('x-mapped-model')).toBe(MODEL);
    expect(first.response.headers.get('x-route')).toBeNull();

    // Google runs out: both accounts answer that their quota is spent, live, and the Gemini key takes over.
    googleOut();
    const onGemini = await streamed({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello again' }] });
    expect(onGemini.text).toBe('Answered by Gemini.');
    expect(onGemini.headers.get('x-account-email')).toBe('studio');
    expect(onGemini.headers.get('x-mapped-model')).toBe(GEMINI_MODEL);
    expect(onGemini.headers.get('x-route')).toMatch(/^antigravity\/claude-sonnet-4-5: .* -> gemini\/gemini-3-pro-preview$/);

    // Gemini's daily quota goes too: Anthropic answers, as one clean stream.
    gemini.refuse('AIza-studio', geminiDailyQuota);
    const onClaude = await streamed({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Still there?' }] });
    expect(onClaude.text).toBe('Answered by Claude.');
    expect(onClaude.events[0]).toBe('message_start');
    expect(onClaude.events.at(-1)).toBe('message_stop');
    expect(onClaude.events.filter((e) => e === 'message_start')).toHaveLength(1);
    expect(onClaude.headers.get('x-account-email')).toBe('claude');
    expect(onClaude.headers.get('x-mapped-model')).toBe(MODEL);
    // Google was known to be out (skipped without an attempt), Gemini failed live.
    const entry = await gateway.entry(3);
    expect(
      entry.links.map((l) => [l.provider, l.outcome, l.reason]),
      JSON.stringify(entry),
    ).toEqual([
      ['antigravity', 'skipped', 'quota'],
      ['gemini', 'failed', 'quota'],
      ['anthropic', 'served', null],
    ]);
    expect(entry.attempts.map((a) => a.account_label)).toEqual(['studio', 'claude']);

    // Google's quota is back: the primary serves again, not the fallback the session last used.
    await googleBack();
    await geminiBack();
    const back = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Back?' }] }).withResponse();
    expect(back.data.content).toEqual([{ type: 'text', text: 'Answered by Code Assist.' }]);
    expect(GOOGLE.has(back.response.headers.get('x-account-email')!)).toBe(true);
  }, 60_000);

  it('runs a thinking tool loop that crosses from Claude to Gemini, to Anthropic, and back to Gemini', async () => {
    const weather: Anthropic.Tool = {
      name: 'get_weather',
      description: 'The weather in a city',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    };
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris, then in Rome, then in Oslo?' }];
    const turn = async () => {
      const res = await streamed({ model: MODEL, max_tokens: 8192, thinking: { type: 'enabled', budget_tokens: 2048 }, tools: [weather], messages });
      messages.push({ role: 'assistant', content: res.final });
      const call = res.final.find((b) => b.type === 'tool_use');
      if (call) messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '21 °C' }] });
      return res;
    };
    const thinkingCall = (city: string) => ({
      kind: 'reply' as const,
      parts: [{ text: `Next, ${city}.`, thought: true }, { functionCall: { name: 'get_weather', args: { city } } }],
    });

    // Claude over Code Assist thinks and calls the tool.
    google.script(thinkingCall('Paris'));
    const one = await turn();
    expect(GOOGLE.has(one.headers.get('x-account-email')!)).toBe(true);
    expect(one.final.map((b) => b.type)).toEqual(['thinking', 'tool_use']);

    // Google runs out: Gemini continues Claude's tool loop, with Claude's signatures left out.
    googleOut();
    gemini.script(thinkingCall('Rome'));
    const two = await turn();
    expect(two.headers.get('x-account-email')).toBe('studio');
    expect(two.final.map((b) => b.type)).toEqual(['thinking', 'tool_use']);

    // Gemini runs out: Anthropic continues Gemini's tool turn with thinking off for it, and thinks and calls again.
    gemini.refuse('AIza-studio', geminiDailyQuota);
    anthropic.script({
      kind: 'reply',
      content: [
        { type: 'thinking', thinking: 'Oslo last.' },
        { type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } },
      ],
    });
    const three = await turn();
    expect(three.headers.get('x-account-email')).toBe('claude');
    expect(anthropic.messageRequests()[0]!.body.thinking).toEqual({ type: 'disabled' });
    expect((await gateway.entry(3)).notes).toEqual(['thinking_dropped', 'thinking_off_tool_turn']);

    // Anthropic is overloaded and Gemini back: Gemini continues Anthropic's tool turn.
    anthropic.refuse('sk-fake-chain', { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' });
    await geminiBack();
    gemini.script({ kind: 'reply', text: 'Paris, Rome and Oslo: 21 °C everywhere.' });
    const four = await turn();
    expect(four.headers.get('x-account-email')).toBe('studio');
    expect(four.text).toBe('Paris, Rome and Oslo: 21 °C everywhere.');
    expect((await gateway.entry(4)).notes).toEqual(['thinking_dropped']);
  }, 60_000);
});

const BASH_ARGS = ['--model', MODEL, '--allowedTools', 'Bash', '--output-format', 'json', '--max-turns', '3'];
const bashCall = { functionCall: { name: 'Bash', args: { command: 'echo switchyard-$((40+2))', description: 'Print a marker' } } };

function claude(prompt: string, env: Record<string, string> = {}): Promise<ClaudeRun> {
  return runClaude(prompt, BASH_ARGS, { baseUrl: gateway.url, apiKey: GATEWAY_KEY, scratch, env });
}

function explain(run: ClaudeRun): string {
  const served = gateway.entries.map((e) => [e.route, e.status, e.account_label, e.mapped_model, e.error_message]);
  return `stdout: ${run.stdout}\nstderr: ${run.stderr}\nlog: ${JSON.stringify(served)}`;
}

describe('claude -p over the chain', () => {
  it('finishes a thinking Bash loop on the Gemini key when Google runs out in the middle of it', async () => {
    google.script({ kind: 'reply', parts: [{ text: 'I will run the marker command.', thought: true }, bashCall] }, quotaSpent, quotaSpent);
    gemini.setDefault({ kind: 'reply', text: 'FINAL: Gemini saw switchyard-42' });

    const run = await claude('Think, then run the marker command', { MAX_THINKING_TOKENS: '4096' });
    expect(run.code, explain(run)).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: 'FINAL: Gemini saw switchyard-42' });
    const messages = gateway.entries.filter((e) => e.route === 'messages');
    expect(
      messages.map((e) => [e.status, e.provider]),
      explain(run),
    ).toEqual([
      [200, 'antigravity'],
      [200, 'gemini'],
    ]);
    expect(JSON.stringify(gemini.generateRequests().at(-1)!.body.contents)).toContain('switchyard-42');
  }, 90_000);

  it('runs a Bash loop on the Anthropic key while Google is out of quota and the Gemini key fails on every call', async () => {
    googleOut();
    gemini.refuse('AIza-studio', { kind: 'error', status: 503, message: 'The model is overloaded.' });
    anthropic.script(
      { kind: 'reply', content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo switchyard-$((40+2))', description: 'Print a marker' } }] },
      { kind: 'reply', text: 'FINAL: Claude saw switchyard-42' },
    );

    const run = await claude('Run the marker command');
    expect(run.code, explain(run)).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: 'FINAL: Claude saw switchyard-42' });
    const messages = gateway.entries.filter((e) => e.route === 'messages');
    expect(
      messages.every((e) => e.status === 200 && e.account_label === 'claude'),
      explain(run),
    ).toBe(true);
    expect(JSON.stringify(anthropic.messageRequests().at(-1)!.body.messages)).toContain('switchyard-42');
  }, 90_000);
});
