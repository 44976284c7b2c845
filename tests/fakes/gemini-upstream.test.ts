// Tests for the fake Gemini upstream, over real HTTP with fetch: the wire format, the validation
// (exact Google wording), thought signatures across a tool conversation, and the failure modes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MESSAGES, SKIP_SIGNATURE, missingSignatureMessage, rateLimitError, responseNameMessage, startFakeGemini } from './gemini-upstream.js';
import type { FakeGemini, FakeGeminiOptions } from './gemini-upstream.js';

const KEY = 'AIza-test-key';
const MODEL = 'gemini-2.5-flash';
const HEADERS = { 'content-type': 'application/json', 'x-goog-api-key': KEY };

let fake: FakeGemini;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setDefault({ kind: 'reply' });
});

/** Runs `fn` against a fake with its own options, closed afterwards. */
async function withFake(opts: FakeGeminiOptions, fn: (f: FakeGemini) => Promise<void>): Promise<void> {
  const other = await startFakeGemini(opts);
  try {
    await fn(other);
  } finally {
    await other.close();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function user(text: string): Json {
  return { role: 'user', parts: [{ text }] };
}

function body(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { contents: [user('Hi')], ...extra };
}

function post(path: string, payload: unknown, headers: Record<string, string> = HEADERS, url = fake.url): Promise<Response> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return fetch(`${url}${path}`, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(5_000) });
}

function generate(payload: unknown, opts: { model?: string; url?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return post(`/v1beta/models/${opts.model ?? MODEL}:generateContent`, payload, opts.headers, opts.url);
}

function stream(payload: unknown, opts: { model?: string; url?: string; sse?: boolean } = {}): Promise<Response> {
  const alt = opts.sse === false ? '' : '?alt=sse';
  return post(`/v1beta/models/${opts.model ?? MODEL}:streamGenerateContent${alt}`, payload, HEADERS, opts.url);
}

/** Reads a body to its end, or to the error that cut it. */
async function readAll(res: Response): Promise<{ text: string; reads: number; error: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), reads, error: null };
      reads++;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, reads, error };
  }
}

/** Parses Gemini SSE strictly: every event is exactly `data: <json>\r\n\r\n`, nothing else. */
function parseSse(text: string): Json[] {
  if (text === '') return [];
  expect(text.endsWith('\r\n\r\n')).toBe(true);
  return text
    .slice(0, -4)
    .split('\r\n\r\n')
    .map((block) => {
      expect(block.includes('\n')).toBe(false);
      expect(block.startsWith('data: ')).toBe(true);
      return JSON.parse(block.slice('data: '.length));
    });
}

async function streamChunks(payload: unknown, opts: { model?: string; url?: string } = {}): Promise<Json[]> {
  const res = await stream(payload, opts);
  expect(res.status).toBe(200);
  const { text, error } = await readAll(res);
  expect(error).toBeNull();
  return parseSse(text);
}

function partsOf(chunks: Json[]): Json[] {
  return chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
}

async function expectGoogleError(res: Response, code: number, status: string, message?: string): Promise<Json> {
  expect(res.status).toBe(code);
  expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  const json = (await res.json()) as Json;
  expect(Object.keys(json)).toEqual(['error']);
  expect(json.error.code).toBe(code);
  expect(json.error.status).toBe(status);
  if (message !== undefined) expect(json.error.message).toBe(message);
  return json;
}

describe('routes and keys', () => {
  it('generateContent answers a complete GenerateContentResponse', async () => {
    const res = await generate(body());
    expect(res.status).toBe(200);
    const json = (await res.json()) as Json;
    expect(json.candidates).toHaveLength(1);
    expect(json.candidates[0]).toMatchObject({
      content: { role: 'model', parts: [{ text: 'Hello from the fake Gemini upstream.' }] },
      finishReason: 'STOP',
      index: 0,
    });
    const u = json.usageMetadata;
    expect(u.promptTokenCount).toBeGreaterThan(0);
    expect(u.candidatesTokenCount).toBeGreaterThan(0);
    expect(u.totalTokenCount).toBe(u.promptTokenCount + u.candidatesTokenCount);
    expect(json.modelVersion).toBe(MODEL);
    expect(typeof json.responseId).toBe('string');
    const [rec] = fake.generateRequests();
    expect(rec).toMatchObject({ key: KEY, model: MODEL, action: 'generateContent', sse: false, status: 200, finished: true, aborted: false, rejection: null });
  });

  it('403 without a key, 400 API_KEY_INVALID with a wrong one, and ?key= is accepted', async () => {
    await withFake({ keys: ['good'] }, async (strict) => {
      const url = strict.url;
      await expectGoogleError(
        await generate(body(), { url, headers: { 'content-type': 'application/json' } }),
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
      const wrong = await expectGoogleError(
        await generate(body(), { url, headers: { 'x-goog-api-key': 'bad' } }),
        400,
        'INVALID_ARGUMENT',
        'API key not valid. Please pass a valid API key.',
      );
      expect(wrong.error.details).toEqual([
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
      ]);
      expect((await post(`/v1beta/models/${MODEL}:generateContent?key=good`, body(), { 'content-type': 'application/json' }, url)).status).toBe(200);
      expect((await generate(body(), { url, headers: { 'x-goog-api-key': 'good' } })).status).toBe(200);
      expect(strict.requests.map((r) => r.key)).toEqual([null, 'bad', 'good', 'good']);
      expect(strict.requests[1]!.rejection!.error.details).toHaveLength(2);
    });
  });

  it('404 NOT_FOUND for an unknown model and an unknown method', async () => {
    await expectGoogleError(
      await generate(body(), { model: 'gemini-9-ultra' }),
      404,
      'NOT_FOUND',
      'models/gemini-9-ultra is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    );
    await expectGoogleError(await post(`/v1beta/models/${MODEL}:embedContent`, body()), 404, 'NOT_FOUND');
    await withFake({ models: ['only-this'] }, async (other) => {
      expect((await generate(body(), { url: other.url, model: 'only-this' })).status).toBe(200);
      expect((await generate(body(), { url: other.url })).status).toBe(404);
    });
  });

  it('countTokens: deterministic, counts system and tools only inside generateContentRequest', async () => {
    const path = `/v1beta/models/${MODEL}:countTokens`;
    const contents = [user('Hello there, how are you?')];
    const count = async (payload: unknown): Promise<number> => {
      const res = await post(path, payload);
      expect(res.status).toBe(200);
      const json = (await res.json()) as Json;
      expect(json.promptTokensDetails).toEqual([{ modality: 'TEXT', tokenCount: json.totalTokens }]);
      return json.totalTokens as number;
    };
    const a = await count({ contents });
    expect(a).toBeGreaterThan(0);
    expect(await count({ contents })).toBe(a);
    const system = { parts: [{ text: 'You are a careful assistant. '.repeat(10) }] };
    expect(await count({ generateContentRequest: { model: `models/${MODEL}`, contents } })).toBe(a);
    expect(await count({ generateContentRequest: { model: `models/${MODEL}`, contents, systemInstruction: system } })).toBeGreaterThan(a);
    await expectGoogleError(await post(path, { contents, generateContentRequest: { contents } }), 400, 'INVALID_ARGUMENT');
    await expectGoogleError(await post(path, { contents: [] }), 400, 'INVALID_ARGUMENT', '* CountTokensRequest.contents: contents is not specified\n');
  });

  it('lists models in pages, and gets one', async () => {
    const list = async (query: string): Promise<Json> => (await fetch(`${fake.url}/v1beta/models${query}`, { headers: HEADERS })).json();
    const all = await list('');
    expect(all.nextPageToken).toBeUndefined();
    expect(all.models.length).toBeGreaterThan(2);
    expect(all.models[0]).toMatchObject({
      name: expect.stringMatching(/^models\/gemini-/),
      supportedGenerationMethods: expect.arrayContaining(['generateContent', 'countTokens']),
    });
    const names: string[] = [];
    let token = '';
    for (let i = 0; i < 10; i++) {
      const page = await list(`?pageSize=2${token ? `&pageToken=${token}` : ''}`);
      expect(page.models.length).toBeLessThanOrEqual(2);
      names.push(...page.models.map((m: Json) => m.name));
      if (!page.nextPageToken) break;
      token = page.nextPageToken;
    }
    expect(names).toEqual(all.models.map((m: Json) => m.name));
    const one = (await (await fetch(`${fake.url}/v1beta/models/${MODEL}`, { headers: HEADERS })).json()) as Json;
    expect(one.name).toBe(`models/${MODEL}`);
  });
});

describe('streaming', () => {
  it('alt=sse: one `data: <json>\\r\\n\\r\\n` per chunk, deltas that join, finishReason and usage on the last chunk', async () => {
    fake.script({ kind: 'reply', text: 'The quick brown fox jumps.', chunks: 4, chunkDelayMs: 5 });
    const res = await stream(body());
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const { text, reads, error } = await readAll(res);
    expect(error).toBeNull();
    expect(reads).toBeGreaterThan(1);
    expect(text).not.toMatch(/^event:/m);
    expect(text).not.toContain('[DONE]');
    const chunks = parseSse(text);
    expect(chunks).toHaveLength(4);
    expect(
      partsOf(chunks)
        .map((p) => p.text)
        .join(''),
    ).toBe('The quick brown fox jumps.');
    chunks.forEach((c, i) => {
      expect(c.candidates[0].content.role).toBe('model');
      expect(c.usageMetadata.promptTokenCount).toBeGreaterThan(0);
      expect(c.candidates[0].finishReason).toBe(i === 3 ? 'STOP' : undefined);
    });
    const last = chunks[3].usageMetadata;
    expect(last.totalTokenCount).toBe(last.promptTokenCount + last.candidatesTokenCount);
    // Cumulative: never decreasing.
    const counts = chunks.map((c) => c.usageMetadata.candidatesTokenCount);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(fake.generateRequests()[0]).toMatchObject({ action: 'streamGenerateContent', sse: true, finished: true });
  });

  it('without alt=sse the body is one JSON array of the same chunks', async () => {
    fake.script({ kind: 'reply', text: 'Array framing works.', chunks: 2 });
    const res = await stream(body(), { sse: false });
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const chunks = JSON.parse((await readAll(res)).text) as Json[];
    expect(chunks).toHaveLength(2);
    expect(
      partsOf(chunks)
        .map((p) => p.text)
        .join(''),
    ).toBe('Array framing works.');
    expect(chunks[1].candidates[0].finishReason).toBe('STOP');
  });

  it('thought parts only with includeThoughts; a functionCall arrives whole and signed; usage and finishReason as scripted', async () => {
    const reply = {
      kind: 'reply' as const,
      chunks: 2,
      parts: [{ text: 'Planning the read.', thought: true }, { text: 'Reading it.' }, { functionCall: { name: 'Read', args: { file_path: '/a.ts' } } }],
      usage: { cachedContentTokenCount: 5, thoughtsTokenCount: 51 },
    };
    fake.script(reply, reply);
    const thinking = { generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } };
    const shown = partsOf(await streamChunks(body(thinking)));
    expect(shown.map((p) => Object.keys(p).sort().join(','))).toEqual([
      'text,thought',
      'text,thought,thoughtSignature',
      'text',
      'text',
      'functionCall,thoughtSignature',
    ]);
    expect(shown.at(-1).functionCall).toEqual({ name: 'Read', args: { file_path: '/a.ts' } });

    const chunks = await streamChunks(body());
    const hidden = partsOf(chunks);
    expect(hidden.some((p) => p.thought)).toBe(false);
    expect(hidden.at(-1).thoughtSignature).toEqual(expect.any(String));
    expect(chunks.at(-1).usageMetadata).toMatchObject({ thoughtsTokenCount: 51, cachedContentTokenCount: 5 });
    expect(fake.generateRequests()[1]!.issuedSignatures).toEqual([hidden.at(-1).thoughtSignature]);

    fake.script({ kind: 'reply', text: 'cut', finishReason: 'MAX_TOKENS', usage: { promptTokenCount: 7, candidatesTokenCount: 1, totalTokenCount: 8 } });
    const json = (await (await generate(body())).json()) as Json;
    expect(json.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(json.usageMetadata).toEqual({ promptTokenCount: 7, candidatesTokenCount: 1, totalTokenCount: 8 });
  });

  it('non-streaming merges the pieces of each part back together', async () => {
    fake.script({ kind: 'reply', chunks: 3, forceThoughts: true, parts: [{ text: 'Thinking hard.', thought: true }, { text: 'Answer text.' }] });
    const json = (await (await generate(body())).json()) as Json;
    const parts = json.candidates[0].content.parts;
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ text: 'Thinking hard.', thought: true, thoughtSignature: expect.any(String) });
    expect(parts[1]).toEqual({ text: 'Answer text.' });
  });

  it('trailingSignature: a final chunk with an empty text part that carries the signature', async () => {
    fake.script({ kind: 'reply', text: 'Done.', trailingSignature: true, chunks: 1 });
    const chunks = await streamChunks(body());
    expect(chunks).toHaveLength(2);
    expect(chunks[1].candidates[0]).toMatchObject({ content: { parts: [{ text: '', thoughtSignature: expect.any(String) }] }, finishReason: 'STOP' });
  });

  it('splitUtf8: a multi-byte character is cut between two writes, and the text reassembles', async () => {
    const text = 'héllo ☃ wörld 🎉 done';
    fake.script({ kind: 'reply', text, chunks: 3, splitUtf8: true });
    const chunks = await streamChunks(body());
    expect(
      partsOf(chunks)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
    const strict = new TextDecoder('utf-8', { fatal: true });
    const sent = fake.generateRequests()[0]!.sent;
    const broken = sent.filter((b) => {
      try {
        strict.decode(b);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.length).toBeGreaterThanOrEqual(2);
    expect(Buffer.concat(sent).toString('utf8')).toContain('🎉');
  });

  it('blockReason: one chunk with promptFeedback and no candidates', async () => {
    fake.script({ kind: 'reply', blockReason: 'SAFETY' });
    const chunks = await streamChunks(body());
    expect(chunks).toHaveLength(1);
    expect(chunks[0].candidates).toBeUndefined();
    expect(chunks[0].promptFeedback).toEqual({ blockReason: 'SAFETY' });
  });
});

describe('validation before any behaviour', () => {
  const params = (parameters: unknown): Json => ({ tools: [{ functionDeclarations: [{ name: 'Read', description: 'Reads', parameters }] }] });
  const call = (name: string, sig: string | null = SKIP_SIGNATURE): Json => ({ functionCall: { name, args: {} }, ...(sig ? { thoughtSignature: sig } : {}) });
  const response = (name: string): Json => ({ functionResponse: { name, response: { output: 'ok' } } });
  const unknown = (name: string, where?: string): string =>
    `Invalid JSON payload received. Unknown name "${name}"${where ? ` at '${where}'` : ''}: Cannot find field.`;

  it.each<[string, unknown, string]>([
    ['Anthropic context_management', body({ context_management: { edits: [] } }), unknown('context_management')],
    ['Anthropic metadata', body({ metadata: { user_id: 'u' } }), unknown('metadata')],
    ['Anthropic thinking', body({ thinking: { type: 'enabled' } }), unknown('thinking')],
    [
      'a signature inside functionCall',
      { contents: [user('x'), { role: 'model', parts: [{ functionCall: { name: 'a', thoughtSignature: 'AA==' } }] }] },
      unknown('thoughtSignature', 'contents[1].parts[0].function_call'),
    ],
    [
      'two data fields in one part',
      { contents: [{ role: 'user', parts: [{ text: 'a', functionCall: { name: 'b' } }] }] },
      `Invalid value at 'contents[0].parts[0]' (oneof), "oneof field 'data' is already set. Cannot set 'function_call'"`,
    ],
    [
      'a string systemInstruction',
      body({ systemInstruction: 'You are' }),
      `Invalid value at 'system_instruction' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), "You are"`,
    ],
    [
      'a thoughtSignature that is not base64',
      { contents: [user('x'), { role: 'model', parts: [{ text: 'a', thoughtSignature: 'not base64!' }] }] },
      `Invalid value at 'contents[1].parts[0].thought_signature' (TYPE_BYTES), Base64 decoding failed for "not base64!"`,
    ],
    [
      'additionalProperties',
      body(params({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })),
      unknown('additionalProperties', 'tools[0].function_declarations[0].parameters'),
    ],
    [
      '$schema',
      body(params({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { a: { type: 'string' } } })),
      unknown('$schema', 'tools[0].function_declarations[0].parameters'),
    ],
    [
      'const in a property',
      body(params({ type: 'object', properties: { a: { type: 'string' }, b: { const: 'x' } } })),
      unknown('const', 'tools[0].function_declarations[0].parameters.properties[1].value'),
    ],
    [
      '$ref in items',
      body(params({ type: 'object', properties: { a: { type: 'array', items: { $ref: '#/$defs/X' } } } })),
      unknown('$ref', 'tools[0].function_declarations[0].parameters.properties[0].value.items'),
    ],
    [
      '$defs',
      body(params({ type: 'object', properties: { a: { type: 'string' } }, $defs: {} })),
      unknown('$defs', 'tools[0].function_declarations[0].parameters'),
    ],
    [
      'exclusiveMinimum inside anyOf',
      body(params({ type: 'object', properties: { a: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }] } } })),
      unknown('exclusiveMinimum', 'tools[0].function_declarations[0].parameters.properties[0].value.any_of[0]'),
    ],
    [
      'a type list',
      body(params({ type: 'object', properties: { a: { type: ['string', 'null'] } } })),
      `Invalid JSON payload received. Unknown name "type" at 'tools[0].function_declarations[0].parameters.properties[0].value': Proto field is not repeating, cannot start list.`,
    ],
    [
      'a type "null"',
      body(params({ type: 'object', properties: { a: { type: 'null' } } })),
      `Invalid value at 'tools[0].function_declarations[0].parameters.properties[0].value.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), "null"`,
    ],
    [
      'a non-string enum',
      body(params({ type: 'object', properties: { a: { type: 'string', enum: [1, 'two'] } } })),
      `Invalid value at 'tools[0].function_declarations[0].parameters.properties[0].value.enum[0]' (TYPE_STRING), 1`,
    ],
  ])('400 parse error on %s, with a BadRequest detail', async (_name, payload, message) => {
    fake.script({ kind: 'reply', text: 'scripted' });
    const json = await expectGoogleError(await generate(payload), 400, 'INVALID_ARGUMENT', message);
    expect(json.error.details[0]['@type']).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(json.error.details[0].fieldViolations[0].description).toBe(message);
    const ok = (await (await generate(body())).json()) as Json;
    expect(ok.candidates[0].content.parts[0].text).toBe('scripted');
  });

  it('reports every parse error, one per line, with the field only below the top level', async () => {
    const json = await expectGoogleError(
      await generate({ ...params({ type: 'object', properties: { a: { const: 1 } }, additionalProperties: false }), contents: [user('x')], metadata: {} }),
      400,
      'INVALID_ARGUMENT',
    );
    expect(json.error.message.split('\n')).toHaveLength(3);
    expect(json.error.details[0].fieldViolations.map((v: Json) => v.field)).toEqual([
      'tools[0].function_declarations[0].parameters.properties[0].value',
      'tools[0].function_declarations[0].parameters',
      undefined,
    ]);
  });

  const longName = 'a'.repeat(65);
  const fnName = `Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.`;
  it.each<[string, unknown, string]>([
    ['no contents', { contents: [] }, '* GenerateContentRequest.contents: contents is not specified\n'],
    ['missing contents', {}, '* GenerateContentRequest.contents: contents is not specified\n'],
    ['empty parts', { contents: [user('a'), { role: 'model', parts: [] }] }, '* GenerateContentRequest.contents[1].parts: contents.parts must not be empty.\n'],
    [
      'a part without data',
      { contents: [{ role: 'user', parts: [{ thoughtSignature: 'AA==' }] }] },
      "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n",
    ],
    [
      'empty systemInstruction parts',
      body({ systemInstruction: { parts: [] } }),
      '* GenerateContentRequest.system_instruction.parts: contents.parts must not be empty.\n',
    ],
    [
      'a function name too long',
      body({ tools: [{ functionDeclarations: [{ name: longName }] }] }),
      `* GenerateContentRequest.tools[0].function_declarations[0].name: ${fnName}\n`,
    ],
    [
      'a function name with a space',
      body({ tools: [{ functionDeclarations: [{ name: 'ok' }, { name: 'my tool' }] }] }),
      `* GenerateContentRequest.tools[0].function_declarations[1].name: ${fnName}\n`,
    ],
    [
      'a function name starting with a digit',
      body({ tools: [{ functionDeclarations: [{ name: '1tool' }] }] }),
      `* GenerateContentRequest.tools[0].function_declarations[0].name: ${fnName}\n`,
    ],
    [
      'an OBJECT with empty properties',
      body(params({ type: 'OBJECT', properties: { todos: { type: 'ARRAY', items: { type: 'OBJECT', properties: {} } } } })),
      '* GenerateContentRequest.tools[0].function_declarations[0].parameters.properties[todos].items.properties: should be non-empty for OBJECT type\n',
    ],
    [
      'properties on a STRING',
      body(params({ type: 'OBJECT', properties: { a: { type: 'STRING', properties: { b: { type: 'STRING' } } } } })),
      '* GenerateContentRequest.tools[0].function_declarations[0].parameters.properties[a].properties: only allowed for OBJECT type\n',
    ],
    [
      'required naming an absent property',
      body(params({ type: 'OBJECT', properties: { a: { type: 'STRING' } }, required: ['a', 'b'] })),
      '* GenerateContentRequest.tools[0].function_declarations[0].parameters.required[1]: property is not defined\n',
    ],
    [
      '$ref in parametersJsonSchema',
      body({ tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { a: { $ref: '#/$defs/A' } } } }] }] }),
      '* GenerateContentRequest.tools[0].function_declarations[0].parameters_json_schema.properties[a]: keyword "$ref" is not supported\n',
    ],
    [
      'a boolean sub-schema in parametersJsonSchema',
      body({ tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { a: true } } }] }] }),
      '* GenerateContentRequest.tools[0].function_declarations[0].parameters_json_schema.properties[a]: boolean schemas are not supported\n',
    ],
    [
      'allowedFunctionNames with AUTO',
      body({ toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['Read'] } } }),
      '* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: allowed_function_names is only allowed when mode is ANY or VALIDATED.\n',
    ],
    ['a role other than user/model', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, MESSAGES.invalidRole],
    ['a functionResponse with no call before it', { contents: [user('x'), { role: 'user', parts: [response('Read')] }] }, MESSAGES.responsePlacement],
    [
      'a functionCall after a model turn',
      { contents: [user('x'), { role: 'model', parts: [{ text: 'a' }] }, { role: 'model', parts: [call('Read')] }] },
      MESSAGES.callPlacement,
    ],
    ['a functionCall in a user turn', { contents: [{ role: 'user', parts: [call('Read')] }] }, MESSAGES.callPlacement],
    ['calls and responses mixed in one turn', { contents: [user('x'), { role: 'model', parts: [call('Read'), response('Read')] }] }, MESSAGES.mixedTurn],
    [
      'fewer responses than calls',
      { contents: [user('x'), { role: 'model', parts: [call('Read'), call('Grep', null)] }, { role: 'user', parts: [response('Read')] }] },
      MESSAGES.responseCount,
    ],
    ['a call answered by plain text', { contents: [user('x'), { role: 'model', parts: [call('Read')] }, user('well?')] }, MESSAGES.responseCount],
    [
      'a response naming another function',
      { contents: [user('x'), { role: 'model', parts: [call('Read')] }, { role: 'user', parts: [response('Write')] }] },
      responseNameMessage('Write'),
    ],
    [
      'googleSearch with functionDeclarations',
      body({ tools: [{ functionDeclarations: [{ name: 'Read' }] }, { googleSearch: {} }] }),
      MESSAGES.searchWithFunctions,
    ],
    [
      'thinkingBudget with thinkingLevel',
      body({ generationConfig: { thinkingConfig: { thinkingBudget: 100, thinkingLevel: 'LOW' } } }),
      MESSAGES.budgetAndLevel,
    ],
    [
      'thinkingLevel on a 2.5 model',
      body({ generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' } } }),
      'Thinking level is not supported for this model.',
    ],
  ])('400 on %s, and the script is not consumed', async (_name, payload, message) => {
    fake.script({ kind: 'reply', text: 'scripted' });
    const json = await expectGoogleError(await generate(payload), 400, 'INVALID_ARGUMENT', message);
    expect(json.error.details).toBeUndefined();
    expect(fake.requests.at(-1)!.rejection).toEqual(json);
    const ok = (await (await generate(body())).json()) as Json;
    expect(ok.candidates[0].content.parts[0].text).toBe('scripted');
  });

  it('2.5 Pro cannot turn thinking off', async () => {
    const payload = body({ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } });
    await expectGoogleError(
      await generate(payload, { model: 'gemini-2.5-pro' }),
      400,
      'INVALID_ARGUMENT',
      'Budget 0 is invalid. This model only works in thinking mode.',
    );
    expect((await generate(payload, { model: 'gemini-2.5-flash' })).status).toBe(200);
  });

  it('400 on bad JSON', async () => {
    await expectGoogleError(await generate('{"contents": '), 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.');
  });

  it('accepts a full, valid request: snake_case names, both schema fields, tool config, generation config, consecutive user turns', async () => {
    const payload = {
      contents: [user('first'), user('second'), { role: 'model', parts: [{ text: 'ok', thought: true }, { text: 'fine' }] }, user('go')],
      system_instruction: { role: 'system', parts: [{ text: 'You are terse.' }] },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'mcp__srv__Read.v2:x-y',
              description: 'Reads',
              parameters: {
                type: 'OBJECT',
                properties: {
                  path: { type: 'STRING', description: 'p', format: 'date-time', nullable: true },
                  mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
                  lines: { type: 'ARRAY', items: { type: 'INTEGER', minimum: 1, maximum: 9 }, minItems: 1, maxItems: '3' },
                  either: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
                },
                required: ['path'],
                propertyOrdering: ['path', 'mode'],
              },
            },
            {
              name: 'Bash',
              parametersJsonSchema: { type: 'object', properties: { c: { type: ['string', 'null'], const: 'x' } }, additionalProperties: false, $defs: {} },
            },
            { name: 'NoArgs' },
          ],
        },
      ],
      tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['Bash'] } },
      generationConfig: {
        maxOutputTokens: 32768,
        temperature: 1.0,
        topP: 0.95,
        topK: 64,
        stopSequences: ['</done>'],
        candidateCount: 1,
        thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
      },
      safetySettings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_NONE' }],
    };
    const res = await generate(payload);
    expect(await res.text()).toContain('candidates');
    expect(res.status).toBe(200);
  });

  it('options: googleSearch with functions allowed, strict parametersJsonSchema, an input token limit', async () => {
    const search = body({ tools: [{ functionDeclarations: [{ name: 'Read' }] }, { googleSearch: {} }] });
    const loose = body({
      tools: [
        { functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } }] },
      ],
    });
    await withFake({ rejectSearchWithFunctions: false, strictJsonSchema: true, inputTokenLimit: 24 }, async (other) => {
      expect((await generate(search, { url: other.url })).status).toBe(200);
      await expectGoogleError(
        await generate(loose, { url: other.url }),
        400,
        'INVALID_ARGUMENT',
        '* GenerateContentRequest.tools[0].function_declarations[0].parameters_json_schema: keyword "additionalProperties" is not supported\n',
      );
      const big = await expectGoogleError(await generate(body({ contents: [user('x'.repeat(100))] }), { url: other.url }), 400, 'INVALID_ARGUMENT');
      expect(big.error.message).toBe('The input token count (25) exceeds the maximum number of tokens allowed (24).');
    });
    expect((await generate(loose)).status).toBe(200);
  });
});

describe('thought signatures across a three-turn tool conversation', () => {
  const thinking = { generationConfig: { thinkingConfig: { includeThoughts: true } } };
  const response = (name: string, output: string): Json => ({ functionResponse: { name, response: { output } } });
  /** What a careful client replays: the model parts minus thought text, signatures kept in place. */
  const replay = (parts: Json[]): Json => ({ role: 'model', parts: mergeText(parts.filter((p) => !p.thought)) });

  function mergeText(parts: Json[]): Json[] {
    const out: Json[] = [];
    for (const p of parts) {
      const last = out.at(-1);
      if (p.text !== undefined && last?.text !== undefined && !last.thoughtSignature) last.text += p.text;
      else out.push({ ...p });
    }
    return out;
  }

  it('issues signatures, accepts them replayed, refuses missing, unknown and foreign ones', async () => {
    const model3 = 'gemini-3-pro-preview';
    fake.script(
      {
        kind: 'reply',
        parts: [{ text: 'I should read it.', thought: true }, { text: 'Reading.' }, { functionCall: { name: 'Read', args: { path: 'a.ts' } } }],
      },
      { kind: 'reply', parts: [{ functionCall: { name: 'Grep', args: { q: 'x' } } }, { functionCall: { name: 'Glob', args: { p: '*' } } }] },
      { kind: 'reply', text: 'All done.' },
    );
    // Turn 1.
    const history: Json[] = [user('Read a.ts and grep it')];
    const turn1 = partsOf(await streamChunks({ contents: history, ...thinking }, { model: model3 }));
    const sig1 = turn1.find((p) => p.functionCall).thoughtSignature as string;
    const thoughtSig = turn1.find((p) => p.thought && p.thoughtSignature).thoughtSignature as string;
    expect(fake.signatures()).toEqual(
      new Map([
        [thoughtSig, model3],
        [sig1, model3],
      ]),
    );
    history.push(replay(turn1), { role: 'user', parts: [response('Read', 'file body')] });

    // Turn 2: two parallel calls, only the first signed.
    const turn2 = partsOf(await streamChunks({ contents: history, ...thinking }, { model: model3 }));
    expect(turn2.map((p) => p.functionCall.name)).toEqual(['Grep', 'Glob']);
    expect(turn2[0].thoughtSignature).toEqual(expect.any(String));
    expect(turn2[1].thoughtSignature).toBeUndefined();
    history.push(replay(turn2), { role: 'user', parts: [response('Grep', '1 match'), response('Glob', 'a.ts')] });

    // Turn 3 is accepted with everything replayed.
    const before = fake.generateRequests().length;
    const turn3 = partsOf(await streamChunks({ contents: history, ...thinking }, { model: model3 }));
    expect(turn3.map((p) => p.text).join('')).toBe('All done.');
    expect(fake.generateRequests()).toHaveLength(before + 1);

    const send = (contents: Json[], model = model3) => generate({ contents, ...thinking }, { model });
    const without = (i: number, j: number): Json[] => {
      const copy = structuredClone(history);
      delete copy[i].parts[j].thoughtSignature;
      return copy;
    };
    // The first call of a step without its signature: refused, naming the call and the position.
    const step2 = history.findIndex((c) => c.parts.some((p: Json) => p.functionCall?.name === 'Grep'));
    await expectGoogleError(await send(without(step2, 0)), 400, 'INVALID_ARGUMENT', missingSignatureMessage('Grep', step2 + 1));
    await expectGoogleError(await send(without(1, history[1].parts.length - 1)), 400, 'INVALID_ARGUMENT', missingSignatureMessage('Read', 2));
    // The second parallel call never had one; Gemini CLI's sentinel stands in for a lost one.
    const sentinel = structuredClone(history);
    sentinel[step2].parts[0].thoughtSignature = SKIP_SIGNATURE;
    expect((await send(sentinel)).status).toBe(200);
    // A signature this fake never issued, or issued for another model: corrupted.
    const forged = structuredClone(history);
    forged[1].parts.at(-1).thoughtSignature = Buffer.from('forged').toString('base64');
    await expectGoogleError(await send(forged), 400, 'INVALID_ARGUMENT', MESSAGES.corruptedSignature);
    await expectGoogleError(await send(history, 'gemini-3-flash-preview'), 400, 'INVALID_ARGUMENT', MESSAGES.corruptedSignature);
    // Once the user speaks again, earlier steps are no longer the current turn: not required there.
    const later = [...without(step2, 0), { role: 'model', parts: [{ text: 'All done.' }] }, user('thanks')];
    expect((await send(later)).status).toBe(200);
  });

  it('issues distinct signatures to a thought and a call, and takes each back only on its own kind of part', async () => {
    const model3 = 'gemini-3-pro-preview';
    fake.script({ kind: 'reply', parts: [{ text: 'Plan.', thought: true }, { functionCall: { name: 'Read', args: { path: 'a.ts' } } }] });
    const history: Json[] = [user('Read a.ts')];
    const turn = partsOf(await streamChunks({ contents: history, ...thinking }, { model: model3 }));
    const thoughtSig = turn.find((p) => p.thought && p.thoughtSignature).thoughtSignature as string;
    const callSig = turn.find((p) => p.functionCall).thoughtSignature as string;
    expect(fake.signatureInfo(thoughtSig)).toEqual({ model: model3, kind: 'thought', text: 'Plan.' });
    expect(fake.signatureInfo(callSig)).toEqual({ model: model3, kind: 'call' });
    const answered = (callSignature: string): Json[] => [
      ...history,
      { role: 'model', parts: [{ functionCall: { name: 'Read', args: { path: 'a.ts' } }, thoughtSignature: callSignature }] },
      { role: 'user', parts: [response('Read', 'file body')] },
    ];
    expect((await generate({ contents: answered(callSig), ...thinking }, { model: model3 })).status).toBe(200);
    // The thought's signature in the call's place is refused, as another model's would be.
    await expectGoogleError(
      await generate({ contents: answered(thoughtSig), ...thinking }, { model: model3 }),
      400,
      'INVALID_ARGUMENT',
      MESSAGES.corruptedSignature,
    );
  });

  it('signature options: requireSignatures and rejectUnknownSignatures off, signFirstCall off, scripted values', async () => {
    const contents = [user('x'), { role: 'model', parts: [{ functionCall: { name: 'Read', args: {} } }] }, { role: 'user', parts: [response('Read', 'ok')] }];
    await expectGoogleError(await generate({ contents }, { model: 'gemini-3-flash-preview' }), 400, 'INVALID_ARGUMENT', missingSignatureMessage('Read', 2));
    // Only Gemini 3 enforces the rule (protocols.md D.7): a 2.5 model takes the same history.
    expect((await generate({ contents })).status).toBe(200);
    await withFake({ requireSignatures: false, rejectUnknownSignatures: false, signFirstCall: false }, async (other) => {
      expect((await generate({ contents }, { url: other.url })).status).toBe(200);
      contents[1]!.parts[0] = { ...contents[1]!.parts[0], thoughtSignature: 'Zm9yZ2Vk' } as Json;
      expect((await generate({ contents }, { url: other.url })).status).toBe(200);
      other.script({ kind: 'reply', parts: [{ functionCall: { name: 'Read' } }, { functionCall: { name: 'Grep' }, thoughtSignature: 'c2NyaXB0ZWQ=' }] });
      const json = (await (await generate(body(), { url: other.url })).json()) as Json;
      expect(json.candidates[0].content.parts).toEqual([
        { functionCall: { name: 'Read', args: {} } },
        { functionCall: { name: 'Grep', args: {} }, thoughtSignature: 'c2NyaXB0ZWQ=' },
      ]);
      expect(other.signatures().get('c2NyaXB0ZWQ=')).toBe(MODEL);
    });
    fake.script({ kind: 'reply', parts: [{ functionCall: { name: 'Read' }, thoughtSignature: null }] });
    const json = (await (await generate(body())).json()) as Json;
    expect(json.candidates[0].content.parts[0].thoughtSignature).toBeUndefined();
  });
});

describe('scripted behaviours', () => {
  it('error: a 429 with QuotaFailure, ErrorInfo and RetryInfo, as Google sends it', async () => {
    fake.script(rateLimitError({ retryDelay: '12s' }));
    const json = await expectGoogleError(await stream(body()), 429, 'RESOURCE_EXHAUSTED');
    expect(json.error.message).toContain('Please retry in 12.0s.');
    expect(json.error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: expect.any(String), quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: expect.any(Object) },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' },
    ]);
    expect(fake.generateRequests()[0]!.rejection).toBeNull();
  });

  it('error: the status string follows the code unless given, details and headers pass through', async () => {
    fake.script(
      { kind: 'error', status: 503, message: 'The model is overloaded. Please try again later.' },
      {
        kind: 'error',
        status: 400,
        googleStatus: 'FAILED_PRECONDITION',
        message: 'User location is not supported for the API use.',
        details: [{ x: 1 }],
        headers: { 'x-extra': 'y' },
      },
    );
    await expectGoogleError(await generate(body()), 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    const res = await generate(body());
    expect(res.headers.get('x-extra')).toBe('y');
    expect((await expectGoogleError(res, 400, 'FAILED_PRECONDITION')).error.details).toEqual([{ x: 1 }]);
  });

  it('drop: exactly afterChunks chunks, then a reset; not a client abort', async () => {
    fake.script({ kind: 'drop', afterChunks: 2 });
    const res = await stream(body());
    expect(res.status).toBe(200);
    const { text, error } = await readAll(res);
    expect(error).not.toBeNull();
    const chunks = parseSse(text);
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
    await fake.waitFor(() => fake.generateRequests()[0]!.status === 200);
    const [rec] = fake.generateRequests();
    expect(rec!.finished).toBe(false);
    expect(rec!.aborted).toBe(false);
  });

  it('midStreamError: an error chunk after some chunks, then the end', async () => {
    fake.script({ kind: 'midStreamError', afterChunks: 1, status: 500, message: 'An internal error has occurred.' });
    const chunks = await streamChunks(body());
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toEqual({ error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } });
  });

  it('silent: pauses mid-stream, then finishes, or drops', async () => {
    fake.script({ kind: 'silent', afterChunks: 1, ms: 50 }, { kind: 'silent', afterChunks: 1, ms: 20, then: 'drop' });
    const chunks = await streamChunks(body());
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
    const { text, error } = await readAll(await stream(body()));
    expect(error).not.toBeNull();
    expect(parseSse(text)).toHaveLength(1);
  });

  it('silent then finish without alt=sse keeps the JSON array well-formed', async () => {
    fake.script({ kind: 'silent', afterChunks: 0, ms: 10 });
    const chunks = JSON.parse((await readAll(await stream(body(), { sse: false }))).text) as Json[];
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('hang: a client abort is recorded within 1 s', async () => {
    fake.script({ kind: 'hang' });
    const controller = new AbortController();
    const pending = fetch(`${fake.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify(body()),
      signal: controller.signal,
    });
    await fake.waitFor(() => fake.generateRequests().length === 1);
    const rec = fake.generateRequests()[0]!;
    expect(rec.aborted).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await fake.waitFor(() => rec.aborted, 1_000);
    expect(rec.finished).toBe(false);
    expect(rec.status).toBeNull();
    expect(rec.abortedAt!).toBeGreaterThanOrEqual(rec.receivedAt);
  });

  it('non-streaming requests get the nearest equivalent of drop and midStreamError', async () => {
    fake.script({ kind: 'drop', afterChunks: 1 }, { kind: 'midStreamError', afterChunks: 1, status: 503, message: 'busy' });
    const dropped = await generate(body());
    expect(dropped.status).toBe(200);
    expect((await readAll(dropped)).error).not.toBeNull();
    await expectGoogleError(await generate(body()), 503, 'UNAVAILABLE', 'busy');
  });
});

describe('script, default and bookkeeping', () => {
  it('consumes scripted behaviours in order, then the default; functions see the request', async () => {
    fake.setDefault((req) => ({ kind: 'reply', text: `default for ${req.body.contents[0].parts[0].text}` }));
    fake.script({ kind: 'reply', text: 'first' }, (req) => ({ kind: 'reply', text: `second saw ${req.model}` }));
    const texts: string[] = [];
    for (const t of ['a', 'b', 'c']) {
      const json = (await (await generate({ contents: [user(t)] })).json()) as Json;
      texts.push(json.candidates[0].content.parts[0].text);
    }
    expect(texts).toEqual(['first', `second saw ${MODEL}`, 'default for c']);
  });

  it('records every path; generateRequests() keeps generate and stream; reset() clears requests, script and signatures', async () => {
    await post(`/v1beta/models/${MODEL}:countTokens`, body());
    await generate(body());
    await readAll(await stream(body()));
    await fetch(`${fake.url}/v1beta/models`, { headers: HEADERS });
    expect(fake.requests.map((r) => r.action)).toEqual(['countTokens', 'generateContent', 'streamGenerateContent', 'listModels']);
    expect(fake.generateRequests()).toHaveLength(2);
    expect(fake.generateRequests()[0]!.rawBody.toString()).toBe(JSON.stringify(body()));
    fake.script({ kind: 'reply', parts: [{ functionCall: { name: 'Read' } }] });
    await generate(body());
    expect(fake.signatures().size).toBe(1);
    const held = fake.requests;
    fake.script({ kind: 'hang' });
    fake.reset();
    expect(held).toHaveLength(0);
    expect(fake.signatures().size).toBe(0);
    expect((await generate(body())).status).toBe(200);
  });

  it('waitFor rejects when the condition stays false', async () => {
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/50 ms/);
  });
});

describe('close()', () => {
  let other: FakeGemini | null = null;
  afterEach(async () => {
    await other?.close();
    other = null;
  });

  it('destroys open sockets, so a hanging request fails and close() resolves', async () => {
    other = await startFakeGemini({ defaultBehaviour: { kind: 'hang' } });
    const pending = generate(body(), { url: other.url }).then(
      () => 'answered',
      () => 'failed',
    );
    await other.waitFor(() => other!.generateRequests().length === 1);
    await other.close();
    expect(await pending).toBe('failed');
    expect(other.generateRequests()[0]!.aborted).toBe(false);
  });
});
