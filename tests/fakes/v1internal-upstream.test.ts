// Tests for the fake Code Assist backend, over real HTTP with fetch: what it refuses (token, envelope,
// project, quota, Claude's rules), project setup with onboarding, the quota list, countTokens, and
// answers wrapped per event, including scripted failures.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLAUDE_THINKING_FIRST, startFakeV1Internal, UNAUTHENTICATED_MESSAGE, type FakeV1Internal } from './v1internal-upstream.js';

const TOKEN = 'fake-access.ready';
const NEW_USER = 'fake-access.new-user';
const PROJECT = 'proj-ready-1';

let fake: FakeV1Internal;

beforeAll(async () => {
  fake = await startFakeV1Internal({
    accounts: [
      { token: TOKEN, project: PROJECT, quota: { 'gemini-2.5-flash': { remaining: 0.25, resetsAt: Date.parse('2030-01-01T00:00:00Z') } } },
      { token: NEW_USER, onboard: { project: 'proj-onboarded', polls: 2 } },
      { token: 'fake-access.unverified', validationRequired: true },
    ],
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.gemini.setDefault({ kind: 'reply' });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function call(method: string, body: unknown, token: string | null = TOKEN, query = ''): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${fake.url}/v1internal:${method}${query}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
}

function envelope(over: Record<string, unknown> = {}, request: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'gemini-2.5-flash',
    project: PROJECT,
    requestId: 'agent-1',
    userAgent: 'antigravity',
    requestType: 'agent',
    request: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], sessionId: 's-1', ...request },
    ...over,
  };
}

async function errorOf(res: Response): Promise<{ code: number; status: string; message: string; details?: Json[] }> {
  return ((await res.json()) as Json).error;
}

function events(text: string): Json[] {
  return text
    .split('\r\n\r\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => JSON.parse(e.slice(6)));
}

describe('authentication', () => {
  it.each([
    ['no token', null],
    ['an unknown token', 'fake-access.unknown'],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_t, token) => {
    const res = await call('loadCodeAssist', { metadata: {} }, token);
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({ status: 'UNAUTHENTICATED', message: UNAUTHENTICATED_MESSAGE });
  });

  it('refuses a revoked token, and accepts a new one for the same account', async () => {
    fake.addToken(TOKEN, 'fake-access.first');
    expect((await call('loadCodeAssist', { metadata: {} }, 'fake-access.first')).status).toBe(200);
    fake.revoke('fake-access.first');
    expect((await call('loadCodeAssist', { metadata: {} }, 'fake-access.first')).status).toBe(401);
    fake.addToken(TOKEN, 'fake-access.second');
    expect((await call('loadCodeAssist', { metadata: {} }, 'fake-access.second')).status).toBe(200);
  });

  it('answers an unknown method with 404', async () => {
    expect((await call('retrieveSomething', {})).status).toBe(404);
  });
});

describe('project setup', () => {
  it('names the project of an account that has one', async () => {
    const res = await call('loadCodeAssist', { metadata: { ideType: 'ANTIGRAVITY' } });
    expect(await res.json()).toMatchObject({ cloudaicompanionProject: PROJECT, currentTier: { id: 'standard-tier' } });
  });

  it('offers onboarding to a new account, whose operation finishes after the polls it was given', async () => {
    const load = (await (await call('loadCodeAssist', { metadata: {} }, NEW_USER)).json()) as Json;
    expect(load.cloudaicompanionProject).toBeUndefined();
    expect(load.allowedTiers.find((t: Json) => t.isDefault).id).toBe('free-tier');

    expect((await call('onboardUser', { tierId: 'free-tier', cloudaicompanionProject: 'mine', metadata: {} }, NEW_USER)).status).toBe(400);
    const op = (await (await call('onboardUser', { tierId: 'free-tier', metadata: {} }, NEW_USER)).json()) as Json;
    expect(op).toMatchObject({ done: false });
    const poll = async () => (await fetch(`${fake.url}/v1internal/${op.name}`, { headers: { authorization: `Bearer ${NEW_USER}` } })).json() as Promise<Json>;
    expect(await poll()).toMatchObject({ done: false });
    expect(await poll()).toMatchObject({ done: true, response: { cloudaicompanionProject: { id: 'proj-onboarded' } } });
    const again = (await (await call('loadCodeAssist', { metadata: {} }, NEW_USER)).json()) as Json;
    expect(again.cloudaicompanionProject).toBe('proj-onboarded');
  });

  it('names VALIDATION_REQUIRED for an account Google wants verified', async () => {
    const load = (await (await call('loadCodeAssist', { metadata: {} }, 'fake-access.unverified')).json()) as Json;
    expect(load.ineligibleTiers[0]).toMatchObject({ reasonCode: 'VALIDATION_REQUIRED' });
  });
});

describe('fetchAvailableModels', () => {
  it('lists every model with the quota left and its reset; a spent quota has no fraction', async () => {
    fake.setQuota(TOKEN, 'claude-sonnet-4-5', { remaining: 0, resetsAt: Date.parse('2030-01-01T01:00:00Z') });
    const { models } = (await (await call('fetchAvailableModels', { project: PROJECT })).json()) as Json;
    expect(models['gemini-2.5-flash'].quotaInfo).toEqual({ remainingFraction: 0.25, resetTime: '2030-01-01T00:00:00.000Z' });
    expect(models['claude-sonnet-4-5'].quotaInfo).toEqual({ resetTime: '2030-01-01T01:00:00.000Z' });
    expect(models['claude-sonnet-4-5-thinking'].quotaInfo.remainingFraction).toBe(1);
    fake.setQuota(TOKEN, 'claude-sonnet-4-5', { remaining: 1 });
  });

  it("refuses another account's project", async () => {
    expect((await call('fetchAvailableModels', { project: 'someone-else' })).status).toBe(403);
  });
});

describe('generate: the envelope', () => {
  it.each<[string, Record<string, unknown>, number, string]>([
    ['an unknown envelope field', { extra: 1 }, 400, 'Unknown name "extra"'],
    ['an unknown model', { model: 'gemini-9-ultra' }, 404, 'Requested entity was not found.'],
    ['no project', { project: '' }, 400, 'project: required field'],
    ["another account's project", { project: 'someone-else' }, 403, "Permission 'cloudaicompanion.companions.generateChat' denied"],
    ['no request', { request: undefined }, 400, 'request: required field'],
  ])('refuses %s', async (_t, over, status, message) => {
    const res = await call('generateContent', envelope(over));
    expect(res.status).toBe(status);
    expect((await errorOf(res)).message).toContain(message);
  });

  it("holds the inner request to the Gemini API's own rules", async () => {
    const res = await call('generateContent', envelope({}, { bogus: true }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain('Unknown name "bogus"');
  });

  it('wraps a complete answer in response, with a traceId', async () => {
    fake.gemini.setDefault({ kind: 'reply', text: 'Hello there' });
    const body = (await (await call('generateContent', envelope())).json()) as Json;
    expect(body.traceId).toEqual(expect.any(String));
    expect(body.response.candidates[0].content.parts[0].text).toBe('Hello there');
    // The session id is Code Assist's; the Gemini request behind it has none.
    expect(fake.gemini.generateRequests()[0]!.body.sessionId).toBeUndefined();
  });

  it('wraps every SSE event and refuses a stream without alt=sse', async () => {
    fake.gemini.setDefault({ kind: 'reply', text: 'one two three', chunks: 3 });
    const res = await call('streamGenerateContent', envelope(), TOKEN, '?alt=sse');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const list = events(await res.text());
    expect(list).toHaveLength(3);
    expect(list.map((e) => e.response.candidates[0].content.parts[0].text).join('')).toBe('one two three');
    expect((await call('streamGenerateContent', envelope())).status).toBe(400);
  });
});

describe('generate: scripted failures and quota', () => {
  it('answers 429 RESOURCE_EXHAUSTED with the reset delay when scripted', async () => {
    fake.script({ kind: 'quotaExhausted', resetDelay: '3600s' });
    const res = await call('generateContent', envelope());
    expect(res.status).toBe(429);
    const error = await errorOf(res);
    expect(error.status).toBe('RESOURCE_EXHAUSTED');
    expect(error.details![0]).toMatchObject({ reason: 'QUOTA_EXHAUSTED', metadata: { quotaResetDelay: '3600s' } });
  });

  it("refuses a model whose quota is spent until the reset, naming what's left", async () => {
    fake.setQuota(TOKEN, 'gemini-3-flash-preview', { remaining: 0, resetsAt: Date.now() + 90_000 });
    const res = await call('generateContent', envelope({ model: 'gemini-3-flash-preview' }));
    expect(res.status).toBe(429);
    const delay = (await errorOf(res)).details![0].metadata.quotaResetDelay as string;
    expect(Number.parseInt(delay, 10)).toBeGreaterThan(80);
    fake.setQuota(TOKEN, 'gemini-3-flash-preview', { remaining: 0, resetsAt: Date.now() - 1 });
    expect((await call('generateContent', envelope({ model: 'gemini-3-flash-preview' }))).status).toBe(200);
  });

  it('passes a Gemini error behaviour through (500)', async () => {
    fake.script({ kind: 'error', status: 500, message: 'Internal error encountered.' });
    const res = await call('generateContent', envelope());
    expect(res.status).toBe(500);
    expect((await errorOf(res)).status).toBe('INTERNAL');
  });

  it('drops the connection mid-stream when the inner answer is dropped', async () => {
    fake.script({ kind: 'drop', afterChunks: 1 });
    const res = await call('streamGenerateContent', envelope(), TOKEN, '?alt=sse');
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('answers 401 or 403 for a known token when scripted', async () => {
    fake.script({ kind: 'unauthenticated' }, { kind: 'permissionDenied', message: 'This service has been disabled in this account.' });
    expect((await call('generateContent', envelope())).status).toBe(401);
    const res = await call('generateContent', envelope());
    expect(res.status).toBe(403);
    expect((await errorOf(res)).message).toBe('This service has been disabled in this account.');
  });
});

describe('generate: Claude models', () => {
  const claude = (request: Record<string, unknown>, model = 'claude-sonnet-4-5-thinking') => envelope({ model }, request);
  const thinking = { generationConfig: { maxOutputTokens: 4096, thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } } };
  const toolTurn = (first: Record<string, unknown>[]) => ({
    contents: [
      { role: 'user', parts: [{ text: 'List files' }] },
      { role: 'model', parts: [...first, { functionCall: { id: 'toolu_1', name: 'Bash', args: { command: 'ls' } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'toolu_1', name: 'Bash', response: { output: 'a.txt' } } }] },
    ],
    tools: [{ functionDeclarations: [{ name: 'Bash', description: 'Run', parameters: { type: 'OBJECT', properties: { command: { type: 'STRING' } } } }] }],
    ...thinking,
  });

  it('gives every call an id', async () => {
    fake.gemini.setDefault({ kind: 'reply', parts: [{ functionCall: { name: 'Bash', args: { command: 'ls' } } }] });
    const body = (await (await call('generateContent', claude({}, 'claude-sonnet-4-5'))).json()) as Json;
    expect(body.response.candidates[0].content.parts[0].functionCall.id).toMatch(/^toolu_vrtx_/);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a call without an id',
      {
        contents: [
          { role: 'user', parts: [{ text: 'x' }] },
          { role: 'model', parts: [{ functionCall: { name: 'Bash', args: {} } }] },
        ],
      },
      'claude-sonnet-4-5',
      'functionCall.id',
    ],
    [
      'a JSON schema for parameters',
      { tools: [{ functionDeclarations: [{ name: 'Bash', parametersJsonSchema: { type: 'object' } }] }] },
      'claude-sonnet-4-5',
      'parametersJsonSchema',
    ],
    ['thinking on the plain variant', thinking, 'claude-sonnet-4-5', 'use claude-sonnet-4-5-thinking'],
    ['a budget below 1024', { generationConfig: { thinkingConfig: { thinkingBudget: 500 } } }, 'claude-sonnet-4-5-thinking', 'greater than or equal to 1024'],
    [
      'max tokens not above the budget',
      { generationConfig: { maxOutputTokens: 2048, thinkingConfig: { thinkingBudget: 2048 } } },
      'claude-sonnet-4-5-thinking',
      '`max_tokens` must be greater',
    ],
    ['a tool turn without its thinking', toolTurn([]), 'claude-sonnet-4-5-thinking', CLAUDE_THINKING_FIRST],
  ])('refuses %s', async (_t, request, model, message) => {
    const res = await call('generateContent', claude(request, model));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain(message);
  });

  it('takes a tool turn that starts with thinking it signed, and refuses one it did not sign, or signed as a call', async () => {
    fake.gemini.setDefault({ kind: 'reply', parts: [{ text: 'Let me look.', thought: true }, { functionCall: { name: 'Bash', args: { command: 'ls' } } }] });
    const first = (await (await call('generateContent', claude({ ...thinking }))).json()) as Json;
    const parts = first.response.candidates[0].content.parts as Json[];
    const thought = parts.find((p) => p.thought);
    const callSignature = parts.find((p) => p.functionCall).thoughtSignature as string;
    // The thought and the call each carry a signature of their own, and a test can tell them apart.
    expect(thought.thoughtSignature).toEqual(expect.any(String));
    expect(callSignature).not.toBe(thought.thoughtSignature);
    expect(fake.gemini.signatureInfo(thought.thoughtSignature)).toEqual({ model: 'claude-sonnet-4-5-thinking', kind: 'thought', text: 'Let me look.' });
    expect(fake.gemini.signatureInfo(callSignature)).toEqual({ model: 'claude-sonnet-4-5-thinking', kind: 'call' });

    fake.gemini.setDefault({ kind: 'reply', text: 'One file.' });
    const signed = toolTurn([{ text: thought.text, thought: true, thoughtSignature: thought.thoughtSignature }]);
    expect((await call('generateContent', claude(signed))).status).toBe(200);
    const invalid = 'messages.1.content.0: Invalid `signature` in `thinking` block';
    const forged = toolTurn([{ text: 'x', thought: true, thoughtSignature: 'Zm9yZ2Vk' }]);
    expect((await errorOf(await call('generateContent', claude(forged)))).message).toBe(invalid);
    const callsOwn = toolTurn([{ text: thought.text, thought: true, thoughtSignature: callSignature }]);
    expect((await errorOf(await call('generateContent', claude(callsOwn)))).message).toBe(invalid);
    const edited = toolTurn([{ text: 'Let me look again.', thought: true, thoughtSignature: thought.thoughtSignature }]);
    expect((await errorOf(await call('generateContent', claude(edited)))).message).toBe(invalid);
  });
});

describe('countTokens', () => {
  it('counts the contents of a request naming models/<id>', async () => {
    const res = await call('countTokens', { request: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'Hello world!' }] }] } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).totalTokens).toBeGreaterThan(0);
  });

  it('refuses system or tools in a count (contents only)', async () => {
    const res = await call('countTokens', {
      request: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'x' }] }], systemInstruction: { parts: [{ text: 's' }] } },
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain('Unknown name "request.systemInstruction"');
  });
});

describe('tokens another fake issues', () => {
  it('finds the account by the owner of the presented token', async () => {
    const owned = await startFakeV1Internal({
      accounts: [{ token: 'ada@example.com', project: 'proj-ada' }],
      tokenOwner: (token) => (token === 'fake-access.issued-elsewhere' ? 'ada@example.com' : null),
    });
    try {
      const load = (token: string) =>
        fetch(`${owned.url}/v1internal:loadCodeAssist`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ metadata: {} }),
        });
      expect(((await (await load('fake-access.issued-elsewhere')).json()) as Json).cloudaicompanionProject).toBe('proj-ada');
      expect((await load('ada@example.com')).status).toBe(401);
    } finally {
      await owned.close();
    }
  });
});
