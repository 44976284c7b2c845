// A request the client got wrong is answered 400 with words that say what to fix, on every path, and
// never reaches an upstream: not a 500 from whatever would have choked on it further in.

import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { PATHS, startPath, type PathRig } from '../../helpers/provider-paths.js';
import { messagesBody, postJson, readJson } from '../../helpers/sse-client.js';

let rig: PathRig | null = null;
let gateway: TestGateway | null = null;
afterEach(async () => {
  await rig?.close();
  await gateway?.close();
  rig = null;
  gateway = null;
});

const DEEP = '"deep-value-here"';
/** `{"a":{"a":…{}}}`, `levels` objects deep, as JSON text (a value that deep is past JSON.stringify too). */
const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
/** `body` as JSON text with the deep value where DEEP_VALUE stands. */
const withDeep = (body: Record<string, unknown>, levels: number) => JSON.stringify(body).replace(DEEP, nested(levels));

const toolTurn = (input: unknown) => [
  { role: 'user', content: 'Run it.' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'Bash', input }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'done' }] },
];
const bash = { name: 'Bash', description: 'Run a shell command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } };

describe.each(PATHS)('%s: bad input', (path) => {
  it.each([false, true])('a tool_use input nested 4,200 levels deep is a 400 naming the limit (stream %s)', async (stream) => {
    rig = await startPath(path, { accounts: 1 });
    const res = await postJson(
      `${rig.url}/v1/messages`,
      withDeep(messagesBody({ model: rig.model, stream, tools: [bash], messages: toolTurn('deep-value-here') }), 4200),
    );
    expect(res.status).toBe(400);
    expect(await readJson(res)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/nested deeper than \d+ levels/) },
    });
    expect(rig.upstream.exchanges.filter((e) => /generateContent|\/v1\/messages$/.test(e.path))).toEqual([]);
  });
});

describe.each(PATHS)('%s: an image whose base64 does not decode', (path) => {
  it.each([false, true])('is a 400 in the Anthropic format that names the block, and no upstream is asked (stream %s)', async (stream) => {
    rig = await startPath(path, { accounts: 1 });
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'not base64 at all!' } };
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, image] }];
    const res = await postJson(`${rig.url}/v1/messages`, messagesBody({ model: rig.model, stream, messages }));
    expect(res.status).toBe(400);
    expect(await readJson(res)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: "messages.0.content.1.source.data: the image block's data is not valid base64" },
      request_id: expect.any(String),
    });
    expect(rig.upstream.exchanges).toEqual([]);
  });
});

describe('count_tokens', () => {
  it('a tool schema nested 3,000 levels deep is a 400 naming the limit, not a failed local estimate', async () => {
    gateway = await startGateway();
    const tool = { name: 'Deep', description: 'deep', input_schema: 'deep-value-here' };
    const body = withDeep({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }], tools: [tool] }, 3000);
    const res = await postJson(`${gateway.url}/v1/messages/count_tokens`, body);
    expect(res.status).toBe(400);
    expect(await readJson(res)).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/nested deeper than \d+ levels/) } });
  });
});
