// A Google account that offers only the thinking variant of a Claude model (Code Assist offers
// claude-opus-4-6-thinking and no claude-opus-4-6), through real HTTP: the plain id is served by the
// variant with the thinking it requires, its tool loops go on without the client ever seeing thinking,
// and a tool turn the variant cannot verify is told as text.

import { afterEach, describe, expect, it } from 'vitest';
import { startFakeV1Internal, type FakeV1Internal } from '../../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../../helpers/access-tokens.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { postJson, readJson } from '../../helpers/sse-client.js';

const PLAIN = 'claude-opus-4-6';
const VARIANT = 'claude-opus-4-6-thinking';

let google: FakeV1Internal;
let gateway: TestGateway;

async function setup() {
  google = await startFakeV1Internal({ accounts: [{ token: 'fake-access.one', project: 'proj-one' }], models: [VARIANT, 'gemini-2.5-flash'] });
  google.gemini.setDefault({ kind: 'reply', text: 'Done.' });
  gateway = await startGateway({
    accounts: [{ provider: 'antigravity', label: 'one@example.com', baseUrl: '', key: '1//one' }],
    settings: { model_rules: [{ match: 'claude-*', provider: 'antigravity' }], antigravity: { base_urls: [google.url] } },
    accessTokens: new FakeAccessTokens({ '1//one': ['fake-access.one'] }),
  });
}

afterEach(async () => {
  await gateway?.close();
  await google?.close();
});

const bash = { name: 'Bash', description: 'Run', input_schema: { type: 'object', properties: { command: { type: 'string' } } } };
type Block = { type: string; [key: string]: unknown };

async function send(messages: unknown[], extra: Record<string, unknown> = {}) {
  const res = await postJson(`${gateway.url}/v1/messages`, { model: PLAIN, max_tokens: 512, tools: [bash], messages, ...extra });
  return { res, body: await readJson(res) };
}

describe('a Claude model offered only as its thinking variant', () => {
  it('serves the plain id on the variant, thinking as it requires, and the log says so', async () => {
    await setup();
    const { res, body } = await send([{ role: 'user', content: 'Hello' }]);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mapped-model')).toBe(VARIANT);
    expect(body.content).toEqual([{ type: 'text', text: 'Done.' }]);
    const sent = google.generateRequests()[0]!.body;
    expect(sent.model).toBe(VARIANT);
    // The client asked for no thinking: the least budget, the thoughts kept from it, the answer's room kept.
    expect(sent.request.generationConfig).toMatchObject({ thinkingConfig: { includeThoughts: false, thinkingBudget: 1024 }, maxOutputTokens: 1536 });
    expect(await gateway.entry(1)).toMatchObject({ mapped_model: VARIANT, notes: ['thinking_variant'] });
  });

  it('goes on with a tool loop the client saw no thinking of', async () => {
    await setup();
    google.script({ kind: 'reply', parts: [{ text: 'I will list.', thought: true }, { functionCall: { name: 'Bash', args: { command: 'ls' } } }] });
    const history: unknown[] = [{ role: 'user', content: 'List the files' }];
    const first = await send(history);
    expect(first.body.content.map((b: Block) => b.type)).toEqual(['tool_use']);
    const call = first.body.content[0] as Block;
    history.push(
      { role: 'assistant', content: first.body.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'a.txt' }] },
    );
    const second = await send(history);
    expect(second.res.status).toBe(200);
    // The thought the variant signed starts the turn again, as the client never had it.
    const turn = google.generateRequests()[1]!.body.request.contents[1];
    expect(turn.parts[0]).toMatchObject({ thought: true, text: '', thoughtSignature: expect.any(String) });
    expect((await gateway.entry(2)).notes).toEqual(['thinking_variant']);
  });

  it('tells a tool turn it cannot verify as text, and keeps thinking on', async () => {
    await setup();
    const history = [
      { role: 'user', content: 'List the files' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'From another model.', signature: 'EqQBCkgIARAB' },
          { type: 'tool_use', id: 'toolu_x', name: 'Bash', input: { command: 'ls' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'a.txt' }] },
    ];
    const { res } = await send(history, { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(res.status).toBe(200);
    const sent = google.generateRequests()[0]!.body.request;
    expect(sent.contents.at(-2)).toEqual({ role: 'model', parts: [{ text: '[called the tool Bash with {"command":"ls"}]' }] });
    expect(sent.contents.at(-1)).toEqual({ role: 'user', parts: [{ text: '[the tool Bash returned:]\na.txt' }] });
    expect(sent.generationConfig.thinkingConfig).toMatchObject({ thinkingBudget: 2048 });
    expect((await gateway.entry(1)).notes).toEqual(['thinking_variant', 'tool_turn_as_text']);
  });

  it('lists only ids some link serves, and answers each one it lists', async () => {
    await setup();
    await send([{ role: 'user', content: 'Hello' }]); // the account's first use reads what it offers
    const listed = (await readJson(await fetch(`${gateway.url}/v1/models/claude?limit=100`))).data.map((m: { id: string }) => m.id);
    expect(listed).toContain(PLAIN);
    expect(listed).toContain(VARIANT);
    // Claude models the account does not offer are not listed: they would be answered 404.
    expect(listed).not.toContain('claude-sonnet-4-6');
    expect(listed).not.toContain('claude-haiku-4-5-20251001');
    for (const id of listed.filter((m: string) => m.startsWith('claude-'))) {
      const res = await postJson(`${gateway.url}/v1/messages`, { model: id, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
      expect([id, res.status]).toEqual([id, 200]);
    }
    expect((await fetch(`${gateway.url}/v1/models/claude-sonnet-4-6`)).status).toBe(404);
  });
});
