// An account whose upstream does not answer costs a request one wait of upstream_headers_timeout_ms, then
// the request moves on to an account that can serve, all within request_deadline_ms: whether the silence
// is the answer's own headers (streaming or not), a Google account's project discovery, or Google's token
// endpoint. An account whose connection or token endpoint hangs is cooled like any network failure, so
// the next requests do not pay for it again.

import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_TEXT, PATHS, startPath, type PathRig } from '../../helpers/provider-paths.js';
import { messagesBody, parseSse, postJson, readJson } from '../../helpers/sse-client.js';

/** Short limits, so a hang shows as a rotation rather than as a test that waits. */
const LIMITS = { upstream_headers_timeout_ms: 300, upstream_idle_timeout_ms: 300, request_deadline_ms: 8000 };

let rig: PathRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** The request, with a client that gives up well before the deadline would have passed twice. */
function ask(r: PathRig, stream: boolean, question = 'Hello there') {
  return postJson(`${r.url}/v1/messages`, messagesBody({ model: r.model, stream, messages: [{ role: 'user', content: question }] }), {
    signal: AbortSignal.timeout(6000),
  });
}

async function answerText(res: Response, stream: boolean): Promise<string> {
  if (!stream) return ((await readJson(res)).content as Array<{ text?: string }>).map((b) => b.text ?? '').join('');
  return parseSse(await res.text())
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (JSON.parse(e.data) as { delta: { text?: string } }).delta.text ?? '')
    .join('');
}

describe.each(PATHS)('%s: an upstream that never sends its headers', (path) => {
  it.each([false, true])('moves on to the next account after upstream_headers_timeout_ms (stream %s)', async (stream) => {
    rig = await startPath(path, { settings: LIMITS });
    rig.faultOne({ kind: 'hang_before_headers' });
    const res = await ask(rig, stream);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    expect(await answerText(res, stream)).toBe(ANSWER_TEXT);
    const [first] = rig.entries.at(-1)!.attempts;
    expect(first).toMatchObject({ account_label: 'one@example.com', failure: 'timeout', message: expect.stringContaining('upstream_headers_timeout_ms') });
  });
});

describe.each(['google-claude', 'google-gemini'] as const)('%s: Google account setup that hangs', (path) => {
  it.each([false, true])('a project discovery that never answers moves the request to the next account (stream %s)', async (stream) => {
    rig = await startPath(path, { settings: LIMITS });
    rig.faultOne({ kind: 'hang_before_headers' }, { calls: 'all' });
    const res = await ask(rig, stream);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-account-email')).toBe('two@example.com');
    const [first] = rig.entries.at(-1)!.attempts;
    expect(first).toMatchObject({ account_label: 'one@example.com', failure: 'network', message: expect.stringContaining('loadCodeAssist') });
  });

  it.each([false, true])('a token endpoint that never answers costs one wait, then the account cools (stream %s)', async (stream) => {
    rig = await startPath(path, { settings: LIMITS });
    rig.faultOne({ kind: 'hang_before_headers' }, { where: 'oauth' });
    const first = await ask(rig, stream, 'First question');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-account-email')).toBe('two@example.com');
    expect(rig.entries.at(-1)!.attempts[0]).toMatchObject({ account_label: 'one@example.com', failure: 'network' });
    const one = (await rig.runtime.listAccounts()).find((a) => a.label === 'one@example.com')!;
    expect(one.cooldowns).toEqual([expect.objectContaining({ model: '*', reason: 'network' })]);

    // The next request goes straight to the account that serves: account one is cooling.
    const refreshesOfOne = () => rig!.oauth!.exchanges.filter((e) => rig!.isOne(e)).length;
    const before = refreshesOfOne();
    const second = await ask(rig, stream, 'Second question');
    expect(second.headers.get('x-account-email')).toBe('two@example.com');
    expect(rig.entries.at(-1)!.attempts.map((a) => a.account_label)).toEqual(['two@example.com']);
    expect(refreshesOfOne()).toBe(before);
  });
});
