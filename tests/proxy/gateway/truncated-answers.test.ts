// An upstream answer that ends without the event that says it is complete (Anthropic's message_stop, a
// Gemini chunk with a finishReason) was cut short, however cleanly the connection closed. The client is
// never handed half an answer as a whole one: before anything was sent, another account answers; after,
// the stream ends with an error event, and a non-streaming client gets a complete answer or an error.

import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_TEXT, PATHS, startPath, type PathName, type PathRig } from '../../helpers/provider-paths.js';
import { messagesBody, parseSse, postJson, readJson } from '../../helpers/sse-client.js';

let rig: PathRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const ask = (r: PathRig, stream: boolean) => postJson(`${r.url}/v1/messages`, messagesBody({ model: r.model, stream }));

/** A JSON answer has no terminal event: cutting it short is its equivalent. */
const cutsOf = (path: PathName) => (path === 'anthropic' ? (['truncated_sse'] as const) : (['no_terminal', 'truncated_sse'] as const));

describe.each(PATHS)('%s: an answer that ends without its terminal event', (path) => {
  it.each(['no_terminal', 'truncated_sse'] as const)('streaming, %s: the stream ends with an error event, never message_stop', async (fault) => {
    rig = await startPath(path, { accounts: 1 });
    rig.faultOne({ kind: fault });
    const res = await ask(rig, true);
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).not.toContain('message_stop');
    expect(events.at(-1)!.event).toBe('error');
    const entry = (await waitForEntry(rig, 1))!;
    expect(entry.error_type).not.toBeNull();
  });

  it.each(cutsOf(path))('not streaming, %s: the next account gives the whole answer', async (fault) => {
    rig = await startPath(path);
    rig.faultOne({ kind: fault });
    const res = await ask(rig, false);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    const body = await readJson(res);
    expect(body.content.map((b: { text?: string }) => b.text ?? '').join('')).toBe(ANSWER_TEXT);
    expect(body.stop_reason).toBe('end_turn');
  });

  it('not streaming, with no other account: a 5xx, not a half answer', async () => {
    rig = await startPath(path, { accounts: 1 });
    rig.faultOne({ kind: cutsOf(path)[0] });
    const res = await ask(rig, false);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await readJson(res)).toMatchObject({ type: 'error' });
  });
});

async function waitForEntry(r: PathRig, n: number) {
  for (let i = 0; i < 300 && r.entries.length < n; i++) await new Promise((res) => setTimeout(res, 10));
  return r.entries[n - 1];
}
