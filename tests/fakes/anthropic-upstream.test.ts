// Tests for the fake Anthropic upstream, driven the way real clients drive the real service: the
// official SDK for the happy paths, raw fetch for the exact wire format and the failure modes.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from './anthropic-upstream.js';
import type { FakeAnthropic } from './anthropic-upstream.js';

const KEY = 'sk-fake-test-key';
const MODEL = 'claude-sonnet-4-6';

let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setDefault({ kind: 'reply' });
});

function sdk(apiKey = KEY): Anthropic {
  return new Anthropic({ baseURL: fake.url, apiKey, maxRetries: 0, timeout: 5_000 });
}

const HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': KEY };

function body(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

/** Raw POST, bounded in time. */
function post(path: string, payload: unknown, headers: Record<string, string> = HEADERS, url = fake.url): Promise<Response> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return fetch(`${url}${path}`, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(5_000) });
}

/** Reads a body to its end, or to the error that cut it. Returns the text and the number of reads. */
async function readAll(res: Response): Promise<{ text: string; reads: number; error: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, reads, error: null };
      reads++;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, reads, error };
  }
}

interface WireEvent {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/** Parses SSE strictly: every event is exactly `event: X\ndata: <json with type X>\n\n`. */
function parseSseStrict(text: string): WireEvent[] {
  if (text === '') return [];
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      expect(lines).toHaveLength(2);
      const [eventLine, dataLine] = lines as [string, string];
      expect(eventLine).toMatch(/^event: [a-z_]+$/);
      expect(dataLine.startsWith('data: ')).toBe(true);
      const event = eventLine.slice('event: '.length);
      const data = JSON.parse(dataLine.slice('data: '.length));
      expect(data.type).toBe(event);
      return { event, data };
    });
}

/** Checks the event grammar of protocols.md B.2 on a complete stream. */
function expectValidGrammar(events: WireEvent[]): void {
  expect(events[0]?.event).toBe('message_start');
  expect(events.at(-1)?.event).toBe('message_stop');
  expect(events.at(-2)?.event).toBe('message_delta');
  let next = 0;
  let open: number | null = null;
  for (const { event, data } of events.slice(1, -2)) {
    if (event === 'ping') continue;
    if (event === 'content_block_start') {
      expect(open).toBeNull();
      expect(data.index).toBe(next);
      open = next++;
    } else if (event === 'content_block_delta' || event === 'content_block_stop') {
      expect(data.index).toBe(open);
      if (event === 'content_block_stop') open = null;
    } else {
      throw new Error(`unexpected event ${event} inside the stream`);
    }
  }
  expect(open).toBeNull();
}

describe('through the official SDK', () => {
  it('answers a non-streaming create with a complete Message', async () => {
    const msg = await sdk().messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
    expect(msg.type).toBe('message');
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.role).toBe('assistant');
    expect(msg.model).toBe(MODEL);
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the fake upstream.' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(msg._request_id).toMatch(/^req_/);

    const [rec] = fake.messageRequests();
    expect(rec!.key).toBe(KEY); // SDK 1.x sends the key as Authorization: Bearer
    expect(rec!.body.max_tokens).toBe(100);
    expect(rec!.finished).toBe(true);
    expect(rec!.aborted).toBe(false);
  });

  it('streams text that the SDK accumulates, in the requested number of deltas', async () => {
    fake.script({ kind: 'reply', text: 'The quick brown fox jumps.', chunks: 4, model: 'claude-opus-4-1' });
    const stream = sdk().messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Go' }] });
    const deltas: string[] = [];
    stream.on('text', (d) => deltas.push(d));
    const msg = await stream.finalMessage();
    expect(deltas).toHaveLength(4);
    expect(deltas.join('')).toBe('The quick brown fox jumps.');
    expect(msg.content).toEqual([{ type: 'text', text: 'The quick brown fox jumps.' }]);
    expect(msg.model).toBe('claude-opus-4-1');
    expect(msg.stop_reason).toBe('end_turn');
    expect(fake.messageRequests()[0]!.body.stream).toBe(true);
  });

  it('streams tool_use input the SDK reassembles into the original object', async () => {
    const input = { file_path: '/src/a "quoted" file.ts', lines: [1, 2, 3], opts: { unicode: 'héllo ☃ 🎉', nested: { deep: null } } };
    fake.script({
      kind: 'reply',
      content: [
        { type: 'text', text: 'Reading it.' },
        { type: 'tool_use', name: 'Read', input },
      ],
    });
    const msg = await sdk()
      .messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Read a.ts' }] })
      .finalMessage();
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toHaveLength(2);
    const tool = msg.content[1]!;
    expect(tool.type).toBe('tool_use');
    if (tool.type !== 'tool_use') return;
    expect(tool.id).toMatch(/^toolu_/);
    expect(tool.name).toBe('Read');
    expect(tool.input).toEqual(input);
  });

  it('streams thinking with its signature', async () => {
    fake.script({
      kind: 'reply',
      content: [
        { type: 'thinking', thinking: 'Let me think about this carefully.', signature: 'c2lnbmF0dXJl' },
        { type: 'text', text: 'Done thinking.' },
      ],
    });
    const msg = await sdk()
      .messages.stream({
        model: MODEL,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Think' }],
      })
      .finalMessage();
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Let me think about this carefully.', signature: 'c2lnbmF0dXJl' },
      { type: 'text', text: 'Done thinking.' },
    ]);
  });

  it('returns a non-streaming tool_use reply with the parsed input', async () => {
    fake.script({ kind: 'reply', content: [{ type: 'tool_use', id: 'toolu_fixed', name: 'Bash', input: { command: 'ls' } }] });
    const msg = await sdk().messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'ls' }] });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'toolu_fixed', name: 'Bash', input: { command: 'ls' } }]);
  });

  it('counts tokens deterministically, growing with the input', async () => {
    const client = sdk();
    const short = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hello there' }] };
    const long = { ...short, system: 'You are a helpful assistant. '.repeat(20) };
    const a = await client.messages.countTokens(short);
    const b = await client.messages.countTokens(short);
    const c = await client.messages.countTokens(long);
    expect(a.input_tokens).toBeGreaterThan(0);
    expect(b.input_tokens).toBe(a.input_tokens);
    expect(c.input_tokens).toBeGreaterThan(a.input_tokens);
  });

  it('lists models, paging through has_more / last_id', async () => {
    const client = sdk();
    const all: string[] = [];
    for await (const m of client.models.list()) all.push(m.id);
    expect(all.length).toBeGreaterThan(1);
    const paged: string[] = [];
    for await (const m of client.models.list({ limit: 1 })) {
      expect(m.type).toBe('model');
      expect(m.display_name).toBeTruthy();
      paged.push(m.id);
    }
    expect(paged).toEqual(all);
    const one = await client.models.retrieve(all[0]!);
    expect(one.id).toBe(all[0]);
  });

  it('surfaces a scripted 429 as RateLimitError with its retry-after', async () => {
    fake.script({ kind: 'error', status: 429, type: 'rate_limit_error', message: 'Slow down', headers: { 'retry-after': '7' } });
    const err = await sdk()
      .messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const apiErr = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(apiErr.headers.get('retry-after')).toBe('7');
    expect(apiErr.requestID).toMatch(/^req_/);
  });

  it('makes finalMessage() fail when the stream is dropped', async () => {
    fake.script({ kind: 'drop', afterEvents: 3 });
    const result = sdk()
      .messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    await expect(result).rejects.toThrow();
  });

  it('makes finalMessage() throw the mid-stream error', async () => {
    fake.script({ kind: 'midStreamError', afterEvents: 4, type: 'overloaded_error', message: 'Overloaded' });
    const err = await sdk()
      .messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String((err as Error).message)).toContain('overloaded_error');
  });

  it('rejects a wrong key with AuthenticationError', async () => {
    const strict = await startFakeAnthropic({ keys: ['good-key'] });
    try {
      const client = new Anthropic({ baseURL: strict.url, apiKey: 'bad-key', maxRetries: 0, timeout: 5_000 });
      const err = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    } finally {
      await strict.close();
    }
  });
});

describe('SSE wire format', () => {
  it('writes every event with an event: line, in grammar order, with sequential indices', async () => {
    fake.script({
      kind: 'reply',
      chunks: 3,
      chunkDelayMs: 5,
      content: [
        { type: 'thinking', thinking: 'Need the file contents first.' },
        { type: 'text', text: 'Reading it now, then I will report.' },
        { type: 'tool_use', name: 'Read', input: { file_path: '/src/a.ts', limit: 20 } },
      ],
    });
    const res = await post('/v1/messages?beta=true', body({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const { text, reads, error } = await readAll(res);
    expect(error).toBeNull();
    // One write per event, spaced out: the client cannot receive them as a single chunk.
    expect(reads).toBeGreaterThan(1);

    const events = parseSseStrict(text);
    expectValidGrammar(events);
    expect(events.map((e) => e.event).slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);

    const start = events[0]!.data.message;
    expect(start).toMatchObject({ type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, stop_sequence: null });
    expect(start.id).toMatch(/^msg_/);
    expect(start.usage.output_tokens).toBe(1);
    expect(start.usage.input_tokens).toBeGreaterThan(0);

    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data);
    expect(starts.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(starts[0].content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(starts[1].content_block).toEqual({ type: 'text', text: '' });
    expect(starts[2].content_block).toMatchObject({ type: 'tool_use', name: 'Read', input: {} });
    expect(starts[2].content_block.id).toMatch(/^toolu_/);

    const deltas = (i: number): Array<Record<string, string>> =>
      events.filter((e) => e.event === 'content_block_delta' && e.data.index === i).map((e) => e.data.delta);
    expect(deltas(0).map((d) => d.type)).toEqual(['thinking_delta', 'thinking_delta', 'thinking_delta', 'signature_delta']);
    expect(deltas(1).map((d) => d.type)).toEqual(['text_delta', 'text_delta', 'text_delta']);
    expect(
      deltas(1)
        .map((d) => d.text)
        .join(''),
    ).toBe('Reading it now, then I will report.');

    const fragments = deltas(2).map((d) => d.partial_json!);
    expect(deltas(2).every((d) => d.type === 'input_json_delta')).toBe(true);
    expect(fragments.filter((f) => f !== '').length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(fragments.join(''))).toEqual({ file_path: '/src/a.ts', limit: 20 });
    // Split at arbitrary points: some fragment is not JSON on its own.
    expect(fragments.some((f) => f !== '' && !isJson(f))).toBe(true);

    const messageDelta = events.at(-2)!.data;
    expect(messageDelta.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
    expect(messageDelta.usage.output_tokens).toBeGreaterThan(1);
  });

  it('sends a ping even when the content is empty, and honours stopReason', async () => {
    fake.script({ kind: 'reply', content: [], stopReason: 'max_tokens', usage: { input_tokens: 42, output_tokens: 7 } });
    const res = await post('/v1/messages', body({ stream: true }));
    const events = parseSseStrict((await readAll(res)).text);
    expectValidGrammar(events);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect(events[0]!.data.message.usage.input_tokens).toBe(42);
    expect(events[2]!.data).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 7 } });
  });

  it('ignores the query string and records it', async () => {
    const res = await post('/v1/messages?beta=true', body());
    expect(res.status).toBe(200);
    const [rec] = fake.messageRequests();
    expect(rec!.path).toBe('/v1/messages');
    expect(rec!.query).toBe('beta=true');
  });
});

describe('validation before any behaviour', () => {
  async function expectError(res: Response, status: number, type: string, message?: string): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const json = (await res.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(json.type).toBe('error');
    expect(json.error.type).toBe(type);
    expect(json.request_id).toBe(res.headers.get('request-id'));
    if (message !== undefined) expect(json.error.message).toBe(message);
  }

  const { 'anthropic-version': _version, ...noVersion } = HEADERS;
  const toolUse = { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_A', name: 'Read', input: {} }] };

  it.each([
    ['missing anthropic-version', body(), noVersion, 'anthropic-version: header is required'],
    ['bad JSON', '{"model": ', HEADERS, undefined],
    ['missing model', { max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, HEADERS, 'model: Field required'],
    ['non-string model', body({ model: 42 }), HEADERS, 'model: Input should be a valid string'],
    ['missing max_tokens', { model: MODEL, messages: [{ role: 'user', content: 'x' }] }, HEADERS, 'max_tokens: Field required'],
    ['max_tokens 0', body({ max_tokens: 0 }), HEADERS, 'max_tokens: Input should be greater than or equal to 1'],
    ['fractional max_tokens', body({ max_tokens: 1.5 }), HEADERS, 'max_tokens: Input should be a valid integer'],
    ['missing messages', { model: MODEL, max_tokens: 10 }, HEADERS, 'messages: Field required'],
    ['empty messages', body({ messages: [] }), HEADERS, 'messages: at least one message is required'],
    [
      'tool_use without tool_result',
      body({ messages: [{ role: 'user', content: 'read a' }, toolUse, { role: 'user', content: 'well?' }] }),
      HEADERS,
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_A. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
    ],
    [
      'tool_result without tool_use',
      body({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_Z', content: 'x' }] }] }),
      HEADERS,
      'messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_Z. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
    ],
  ])('400 on %s, and the script is not consumed', async (_name, payload, headers, message) => {
    fake.script({ kind: 'reply', text: 'scripted' });
    await expectError(await post('/v1/messages', payload, headers), 400, 'invalid_request_error', message);
    const ok = await post('/v1/messages', body());
    expect(((await ok.json()) as { content: Array<{ text: string }> }).content[0]!.text).toBe('scripted');
  });

  it('accepts a tool_use answered by a tool_result in the next user message', async () => {
    const messages = [
      { role: 'user', content: 'read a' },
      toolUse,
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_A', content: 'file body' },
          { type: 'text', text: 'go on' },
        ],
      },
    ];
    expect((await post('/v1/messages', body({ messages }))).status).toBe(200);
  });

  it('takes back only the thinking it signed, and with thinking enabled wants a tool turn to start with it', async () => {
    fake.setDefault({
      kind: 'reply',
      content: [
        { type: 'thinking', thinking: 'Let me list.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} },
      ],
    });
    const first = (await (await post('/v1/messages', body({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048 }))).json()) as {
      content: Array<Record<string, unknown>>;
    };
    fake.setDefault({ kind: 'reply' });
    const loop = (turn: unknown[], thinking = { type: 'enabled', budget_tokens: 1024 }) =>
      post(
        '/v1/messages',
        body({
          thinking,
          max_tokens: 2048,
          messages: [
            { role: 'user', content: 'List' },
            { role: 'assistant', content: turn },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt' }] },
          ],
        }),
      );
    expect((await loop(first.content)).status).toBe(200);
    const forged = await loop([{ ...first.content[0], signature: 'Zm9yZ2Vk' }, first.content[1]]);
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
    const bare = await loop([first.content[1]]);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`/,
    );
    expect((await loop([first.content[1]], { type: 'disabled' } as never)).status).toBe(200);
    expect((await loop([first.content[1]], { type: 'adaptive' } as never)).status).toBe(400);
  });

  it('refuses thinking another signer signed, as Anthropic refuses z.ai’s', async () => {
    const zai = await startFakeAnthropic({ signer: 'zai', defaultBehaviour: { kind: 'reply', content: [{ type: 'thinking', thinking: 'Let me list.' }] } });
    try {
      const res = await post('/v1/messages', body({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048 }), HEADERS, zai.url);
      const signed = ((await res.json()) as { content: Array<Record<string, unknown>> }).content;
      const back = (url: string) =>
        post(
          '/v1/messages',
          body({
            max_tokens: 2048,
            messages: [
              { role: 'user', content: 'List' },
              { role: 'assistant', content: signed },
              { role: 'user', content: 'And?' },
            ],
          }),
          HEADERS,
          url,
        );
      expect((await back(zai.url)).status).toBe(200);
      const refused = await back(fake.url);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
    } finally {
      await zai.close();
    }
  });

  it('401 on a missing or wrong key; accepts x-api-key and Bearer', async () => {
    const strict = await startFakeAnthropic({ keys: ['good-key'] });
    try {
      const { 'x-api-key': _key, ...noKey } = HEADERS;
      await expectError(await post('/v1/messages', body(), noKey, strict.url), 401, 'authentication_error', 'x-api-key header is required');
      await expectError(await post('/v1/messages', body(), { ...noKey, 'x-api-key': 'bad' }, strict.url), 401, 'authentication_error', 'invalid x-api-key');
      await expectError(await post('/v1/messages', body(), { ...noKey, authorization: 'Bearer bad' }, strict.url), 401, 'authentication_error');
      expect((await post('/v1/messages', body(), { ...noKey, 'x-api-key': 'good-key' }, strict.url)).status).toBe(200);
      expect((await post('/v1/messages', body(), { ...noKey, authorization: 'Bearer good-key' }, strict.url)).status).toBe(200);
      expect(strict.requests.map((r) => r.key)).toEqual([null, 'bad', 'bad', 'good-key', 'good-key']);
    } finally {
      await strict.close();
    }
  });

  it('rejectCacheControl: 400 naming where cache_control was found', async () => {
    const strict = await startFakeAnthropic({ rejectCacheControl: true });
    try {
      const payload = body({ system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }] });
      await expectError(
        await post('/v1/messages', payload, HEADERS, strict.url),
        400,
        'invalid_request_error',
        'system.0.cache_control: Extra inputs are not permitted',
      );
      expect((await post('/v1/messages', body(), HEADERS, strict.url)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('404 with an Anthropic error body on unknown routes, and on count_tokens when disabled', async () => {
    await expectError(await post('/v1/complete', body()), 404, 'not_found_error');
    const res = await fetch(`${fake.url}/v1/nothing`, { signal: AbortSignal.timeout(5_000) });
    await expectError(res, 404, 'not_found_error');
    const noCount = await startFakeAnthropic({ countTokens: false });
    try {
      await expectError(await post('/v1/messages/count_tokens', body(), HEADERS, noCount.url), 404, 'not_found_error');
    } finally {
      await noCount.close();
    }
  });
});

describe('scripted behaviours over raw HTTP', () => {
  it('error: status, body and the script headers (429 + retry-after)', async () => {
    fake.script({
      kind: 'error',
      status: 429,
      type: 'rate_limit_error',
      message: 'Number of requests has exceeded your rate limit',
      headers: { 'retry-after': '12' },
    });
    const res = await post('/v1/messages', body({ stream: true }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('12');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' } });
  });

  it('drop: the client sees the stream end early, after exactly afterEvents events', async () => {
    fake.script({ kind: 'drop', afterEvents: 3 });
    const res = await post('/v1/messages', body({ stream: true }));
    expect(res.status).toBe(200);
    const { text, error } = await readAll(res);
    expect(error).not.toBeNull(); // the connection was reset mid-body
    expect(parseSseStrict(text).map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'ping']);
    const [rec] = fake.messageRequests();
    expect(rec!.finished).toBe(false);
    expect(rec!.aborted).toBe(false); // the fake cut it, not the client
  });

  it('midStreamError: an error event after some events, no message_stop, then the end', async () => {
    fake.script({ kind: 'midStreamError', afterEvents: 2, type: 'api_error', message: 'Internal server error' });
    const res = await post('/v1/messages', body({ stream: true }));
    expect(res.status).toBe(200);
    const { text, error } = await readAll(res);
    expect(error).toBeNull();
    const events = parseSseStrict(text);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'error']);
    expect(events[2]!.data.error).toEqual({ type: 'api_error', message: 'Internal server error' });
  });

  it('silent: pauses mid-stream, then finishes the stream', async () => {
    fake.script({ kind: 'silent', afterEvents: 2, ms: 100 });
    const msg = await sdk()
      .messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the fake upstream.' }]);
    await fake.waitFor(() => fake.messageRequests()[0]?.finished === true);
  });

  it('silent then drop: pauses, then resets the connection', async () => {
    fake.script({ kind: 'silent', afterEvents: 1, ms: 50, then: 'drop' });
    const { text, error } = await readAll(await post('/v1/messages', body({ stream: true })));
    expect(error).not.toBeNull();
    expect(parseSseStrict(text).map((e) => e.event)).toEqual(['message_start']);
  });

  it('hang: a client abort is recorded within 1 s', async () => {
    fake.script({ kind: 'hang' });
    const controller = new AbortController();
    const pending = fetch(`${fake.url}/v1/messages`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body()), signal: controller.signal });
    await fake.waitFor(() => fake.messageRequests().length === 1);
    const rec = fake.messageRequests()[0]!;
    expect(rec.aborted).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await fake.waitFor(() => rec.aborted, 1_000);
    expect(rec.finished).toBe(false);
    expect(rec.abortedAt).not.toBeNull();
    expect(rec.abortedAt!).toBeGreaterThanOrEqual(rec.receivedAt);
  });

  it('non-streaming requests get the nearest equivalent of drop and midStreamError', async () => {
    fake.script({ kind: 'drop', afterEvents: 2 }, { kind: 'midStreamError', afterEvents: 2, type: 'overloaded_error', message: 'Overloaded' });
    const dropped = await post('/v1/messages', body());
    expect(dropped.status).toBe(200);
    expect((await readAll(dropped)).error).not.toBeNull();
    const failed = await post('/v1/messages', body());
    expect(failed.status).toBe(529);
    expect(await failed.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('firstByteDelayMs, firstTokenDelayMs and chunkDelayMs still produce a complete reply', async () => {
    fake.script({ kind: 'reply', firstByteDelayMs: 30, firstTokenDelayMs: 20, chunkDelayMs: 5 });
    const events = parseSseStrict((await readAll(await post('/v1/messages', body({ stream: true })))).text);
    expectValidGrammar(events);
  });
});

describe('script, default and bookkeeping', () => {
  it('consumes scripted behaviours in order, then falls back to the default; functions see the request', async () => {
    fake.setDefault((req) => ({ kind: 'reply', text: `default for ${req.body.messages[0].content}` }));
    fake.script({ kind: 'reply', text: 'first' }, (req) => ({ kind: 'reply', text: `second saw ${req.body.model}` }));
    const texts: string[] = [];
    for (const content of ['a', 'b', 'c']) {
      const res = await post('/v1/messages', body({ messages: [{ role: 'user', content }] }));
      texts.push(((await res.json()) as { content: Array<{ text: string }> }).content[0]!.text);
    }
    expect(texts).toEqual(['first', `second saw ${MODEL}`, 'default for c']);
  });

  it('records every path in arrival order; messageRequests() keeps only POST /v1/messages', async () => {
    await post('/v1/messages/count_tokens', { model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    await post('/v1/messages', body());
    await fetch(`${fake.url}/v1/models`, { headers: HEADERS, signal: AbortSignal.timeout(5_000) });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/messages/count_tokens', 'POST /v1/messages', 'GET /v1/models']);
    expect(fake.messageRequests()).toHaveLength(1);
    expect(fake.messageRequests()[0]!.rawBody.toString()).toBe(JSON.stringify(body()));
    const held = fake.requests;
    fake.script({ kind: 'hang' });
    fake.reset();
    expect(held).toHaveLength(0);
    expect((await post('/v1/messages', body())).status).toBe(200); // the hang was cleared too
  });

  it('waitFor rejects when the condition stays false', async () => {
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/50 ms/);
  });
});

describe('close()', () => {
  let other: FakeAnthropic | null = null;
  afterEach(async () => {
    await other?.close();
    other = null;
  });

  it('destroys open sockets, so a hanging request fails and close() resolves', async () => {
    other = await startFakeAnthropic({ defaultBehaviour: { kind: 'hang' } });
    const pending = post('/v1/messages', body(), HEADERS, other.url).then(
      () => 'answered',
      () => 'failed',
    );
    await other.waitFor(() => other!.messageRequests().length === 1);
    await other.close();
    expect(await pending).toBe('failed');
    expect(other.messageRequests()[0]!.aborted).toBe(false); // the fake closed it, not the client
  });
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
