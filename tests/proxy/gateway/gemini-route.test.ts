// Claude requests served by Gemini API-key accounts, through real HTTP: the gateway translates both ways,
// rotates on Google's errors, carries thought signatures across turns, and stops the upstream when the
// client leaves.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type Behaviour, type FakeGemini } from '../../fakes/gemini-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { eventNames, messagesBody, parseSse, postJson, readJson } from '../../helpers/sse-client.js';

const MODEL = 'gemini-3-pro-preview';
const RULES = [{ match: 'claude-*', provider: 'gemini' as const, model: MODEL }];

let upstream: FakeGemini;
let gateway: TestGateway;

async function setup(byKey: Record<string, Behaviour> = {}, keys = ['AIza-one', 'AIza-two']) {
  upstream = await startFakeGemini({ keys, defaultBehaviour: (req) => byKey[req.key ?? ''] ?? { kind: 'reply', text: 'Hello from Gemini.' } });
  gateway = await startGateway({
    accounts: keys.map((key, i) => ({ provider: 'gemini' as const, label: `gemini-${i + 1}@example.com`, baseUrl: upstream.url, key })),
    settings: { model_rules: RULES },
  });
}

afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

const bash = {
  name: 'Bash',
  description: 'Run a shell command',
  input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
};

describe('Claude requests on Gemini accounts', () => {
  it.each([false, true])('answers in Anthropic form and names the upstream model (stream %s)', async (stream) => {
    await setup({}, ['AIza-one']);
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mapped-model')).toBe(MODEL);
    expect(res.headers.get('x-account-email')).toBe('gemini-1@example.com');
    if (stream) {
      const names = eventNames(await res.text());
      expect(names[0]).toBe('message_start');
      expect(names.at(-1)).toBe('message_stop');
    } else {
      expect(await readJson(res)).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'Hello from Gemini.' }],
        stop_reason: 'end_turn',
      });
    }
    const sent = upstream.generateRequests()[0]!;
    expect(sent.model).toBe(MODEL);
    expect(sent.key).toBe('AIza-one');
    expect(sent.body.contents).toEqual([{ role: 'user', parts: [{ text: 'Hello there' }] }]);
    expect(await gateway.entry(1)).toMatchObject({ provider: 'gemini', mapped_model: MODEL, status: 200, input_tokens: expect.any(Number) });
  });

  it('carries the thought signature of a tool call into the next turns, even when the client drops thinking', async () => {
    await setup({}, ['AIza-one']);
    upstream.script(
      { kind: 'reply', parts: [{ functionCall: { name: 'Bash', args: { command: 'ls' } } }] },
      { kind: 'reply', parts: [{ functionCall: { name: 'Bash', args: { command: 'cat README.md' } } }] },
      { kind: 'reply', text: 'The README says hello.' },
    );
    const history: unknown[] = [{ role: 'user', content: 'What does the README say?' }];
    for (let turn = 0; turn < 3; turn++) {
      const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ tools: [bash], messages: history }));
      expect(res.status).toBe(200);
      const message = await readJson(res);
      if (turn === 2) {
        expect(message.content).toEqual([{ type: 'text', text: 'The README says hello.' }]);
        break;
      }
      expect(message.stop_reason).toBe('tool_use');
      const call = message.content.find((b: { type: string }) => b.type === 'tool_use');
      // The client keeps only the tool call, as clients that strip thinking do.
      history.push({ role: 'assistant', content: [call] });
      history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: `output of ${call.input.command}` }] });
    }
    // The fake refuses any replayed call without the signature it issued; all three turns went through.
    expect(upstream.generateRequests().map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('moves to the next account when Google says RESOURCE_EXHAUSTED, and cools the first for that model', async () => {
    await setup({
      'AIza-one': {
        kind: 'error',
        status: 429,
        message: 'Quota exceeded. Please retry in 30s.',
        quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
        retryDelay: '30s',
      },
    });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('gemini-2@example.com');
    expect(eventNames(await res.text()).at(-1)).toBe('message_stop');
    const [one] = await gateway.runtime.listAccounts();
    expect(one!.cooldowns).toEqual([expect.objectContaining({ model: MODEL, reason: 'rate_limit' })]);
    expect(one!.cooldowns[0]!.until - Date.now()).toBeGreaterThan(25_000);
  });

  it('tells the client about a daily quota with retry advice, once every account is out', async () => {
    await setup({}, ['AIza-one']);
    upstream.setDefault({ kind: 'error', status: 429, message: 'Quota exceeded', quotaId: 'GenerateRequestsPerDayPerProjectPerModel', retryDelay: '3600s' });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
    expect(res.status).toBe(429);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(res.headers.get('retry-after')).toBe('3600');
    expect((await readJson(res)).error).toMatchObject({ type: 'rate_limit_error', message: expect.stringContaining('Quota exhausted') });
  });

  it('ends a stream that breaks after its start with event: error', async () => {
    await setup({}, ['AIza-one']);
    upstream.setDefault({ kind: 'drop', afterChunks: 2 });
    const res = await postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.at(-1)!.event).toBe('error');
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
  });

  it('stops the upstream request when the client goes away', async () => {
    await setup({}, ['AIza-one']);
    upstream.setDefault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }), { signal: controller.signal }).catch(() => null);
    await upstream.waitFor(() => upstream.generateRequests().length === 1);
    controller.abort();
    await pending;
    await upstream.waitFor(() => upstream.generateRequests()[0]!.aborted);
    expect(await gateway.entry(1)).toMatchObject({ status: 499, client_aborted: true });
  });

  it("counts tokens with Gemini's countTokens, system and tools included", async () => {
    await setup({}, ['AIza-one']);
    const res = await postJson(`${gateway.url}/v1/messages/count_tokens`, {
      model: 'claude-sonnet-4-6',
      system: 'Be brief.',
      tools: [bash],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-count-source')).toBe('upstream');
    expect((await readJson(res)).input_tokens).toBeGreaterThan(0);
    const counted = upstream.requests.find((r) => r.action === 'countTokens')!;
    expect(counted.body.generateContentRequest).toMatchObject({ model: `models/${MODEL}`, systemInstruction: expect.anything(), tools: expect.anything() });
  });
});
