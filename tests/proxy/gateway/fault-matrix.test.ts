// Every fault the fault proxy can make, on every way a Claude request is served (an Anthropic key, a
// Gemini key, a Google account asked for a Claude model and for a Gemini model), streaming and not, in
// front of the upstream's answers, of a Google account's setup calls and of Google's token endpoint.
// Account "one" meets the fault, account "two" is healthy. Whatever the fault, every run holds to the
// same promises:
// - the request ends within the configured limits (short ones here: a run that would hang is cut by the
//   client well after the request deadline, and fails);
// - a fault met before anything reached the client moves the request to account two, which serves it
//   whole; a non-streaming client always gets the whole answer, since nothing of it was sent yet;
// - a stream ends truthfully: with message_stop after the whole answer, or with an error event and no
//   message_stop;
// - no secret the gateway holds reaches the client (body and headers), the request log (listed and in
//   request-history.jsonl), the live events or the lines `serve` prints;
// - a request the client got wrong is a 400, never a 500, and reaches no upstream;
// - with no other account to serve, the client gets an Anthropic error with the status the failure's kind
//   calls for, never a 500 of the gateway's own.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest } from '../../../src-proxy/cli/wording.js';
import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import type { Fault } from '../../fakes/fault-proxy.js';
import { ANSWER_TEXT, PATHS, startPath, type PathName, type PathRig } from '../../helpers/provider-paths.js';
import { messagesBody, parseSse, postJson } from '../../helpers/sse-client.js';

/** Short limits: a hang shows as a rotation or an error, within a second or two. */
const LIMITS = { upstream_headers_timeout_ms: 500, upstream_idle_timeout_ms: 500, request_deadline_ms: 5000 };
/** The client gives up this long after the request deadline: a run cut by it is a hang. */
const CLIENT_PATIENCE_MS = LIMITS.request_deadline_ms + 5000;

/**
 * What a run must end with, beyond the promises every run keeps:
 * - two: a 200 with the whole answer from account two (the fault came before anything was sent);
 * - whole: a 200 with the whole answer, from either account (the fault slowed or spoiled it harmlessly,
 *   or came after the answer was known to be broken and the next account answered);
 * - truthful: streaming, the fault came after the answer had started: the whole answer or an error end.
 */
type Outcome = 'two' | 'whole' | 'truthful';

interface Row {
  name: string;
  fault: Fault;
  /** Where the fault sits: the upstream's answers, every call of account one (its setup too), the token endpoint. */
  where: 'answers' | 'setup' | 'oauth';
  stream: Outcome;
  json: Outcome;
}

const SLOW_OK = 30;
const TOO_SLOW = LIMITS.upstream_idle_timeout_ms * 3;

const ANSWER_FAULTS: Row[] = [
  { name: 'hangs before its headers', fault: { kind: 'hang_before_headers' }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'hangs after its headers', fault: { kind: 'hang_after_headers' }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'hangs mid-body', fault: { kind: 'hang_mid_body' }, where: 'answers', stream: 'truthful', json: 'two' },
  { name: 'drops the connection before its headers', fault: { kind: 'drop_before_headers' }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'drops the connection mid-body', fault: { kind: 'drop_mid_body' }, where: 'answers', stream: 'truthful', json: 'two' },
  { name: 'sends malformed SSE', fault: { kind: 'malformed_sse' }, where: 'answers', stream: 'truthful', json: 'whole' },
  { name: 'sends truncated SSE', fault: { kind: 'truncated_sse' }, where: 'answers', stream: 'truthful', json: 'two' },
  { name: 'ends without its terminal event', fault: { kind: 'no_terminal' }, where: 'answers', stream: 'truthful', json: 'two' },
  { name: 'echoes the credentials in a 401', fault: { kind: 'echo_credentials', status: 401 }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'echoes the credentials in a 429', fault: { kind: 'echo_credentials', status: 429 }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'echoes the credentials in a 500', fault: { kind: 'echo_credentials', status: 500 }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'echoes the credentials in a stream error', fault: { kind: 'echo_in_stream' }, where: 'answers', stream: 'truthful', json: 'two' },
  { name: 'answers slowly', fault: { kind: 'slow', delayMs: SLOW_OK }, where: 'answers', stream: 'whole', json: 'whole' },
  { name: 'answers slower than the idle timeout', fault: { kind: 'slow', delayMs: TOO_SLOW }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'answers 429', fault: { kind: 'status', status: 429 }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'answers 500', fault: { kind: 'status', status: 500 }, where: 'answers', stream: 'two', json: 'two' },
  { name: 'answers 503', fault: { kind: 'status', status: 503 }, where: 'answers', stream: 'two', json: 'two' },
];

/** Google accounts: their setup calls (project discovery, model list) and their token endpoint. */
const SETUP_FAULTS: Row[] = [
  ...(['hang_before_headers', 'hang_mid_body', 'drop_before_headers', 'truncated_sse'] as const).map((kind): Row => ({
    name: `every call ${kind.replaceAll('_', ' ')}`,
    fault: { kind },
    where: 'setup',
    stream: 'two',
    json: 'two',
  })),
  { name: 'every call answers 503', fault: { kind: 'status', status: 503 }, where: 'setup', stream: 'two', json: 'two' },
  ...(
    [
      ['hangs', { kind: 'hang_before_headers' }],
      ['hangs mid-body', { kind: 'hang_mid_body' }],
      ['drops the connection', { kind: 'drop_before_headers' }],
      ['answers half a body', { kind: 'truncated_sse' }],
      ['echoes the form in a 400', { kind: 'echo_credentials', status: 400 }],
      ['echoes the form in a 500', { kind: 'echo_credentials', status: 500 }],
      ['answers 429', { kind: 'status', status: 429 }],
      ['answers 500', { kind: 'status', status: 500 }],
      ['answers 503', { kind: 'status', status: 503 }],
      ['answers slowly', { kind: 'slow', delayMs: SLOW_OK }],
      ['answers slower than the headers timeout', { kind: 'slow', delayMs: TOO_SLOW }],
    ] as Array<[string, Fault]>
  ).map(([name, fault]): Row => ({
    name: `the token endpoint ${name}`,
    fault,
    where: 'oauth',
    stream: fault.kind === 'slow' && fault.delayMs === SLOW_OK ? 'whole' : 'two',
    json: fault.kind === 'slow' && fault.delayMs === SLOW_OK ? 'whole' : 'two',
  })),
];

/**
 * The faults whose failure the client is told when no other account can serve it. (A silent account
 * alone ends in the timeouts' own errors, which timeouts.test.ts holds to their words.)
 */
const ALONE_KINDS = new Set<Fault['kind']>(['drop_before_headers', 'truncated_sse', 'echo_credentials', 'echo_in_stream', 'status']);
const ALONE_FAULTS = ANSWER_FAULTS.filter((row) => ALONE_KINDS.has(row.fault.kind));

const isGoogle = (path: PathName) => path === 'google-claude' || path === 'google-gemini';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-fault-matrix-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;

/** One run: a rig of its own, the fault on account one, the request, then everything the outside saw. */
async function run(path: PathName, stream: boolean, prepare: (rig: PathRig) => void, body?: (rig: PathRig) => string, accounts: 1 | 2 = 2) {
  const historyFile = join(dir, `request-history-${++runs}.jsonl`);
  const rig = await startPath(path, { settings: LIMITS, historyFile, accounts });
  let closed = false;
  try {
    prepare(rig);
    const res = await postJson(`${rig.url}/v1/messages`, body?.(rig) ?? messagesBody({ model: rig.model, stream }), {
      signal: AbortSignal.timeout(CLIENT_PATIENCE_MS),
    });
    const text = await res.text();
    const entry = await loggedEntry(rig);
    const said = [
      JSON.stringify([...res.headers]),
      text,
      JSON.stringify(await rig.runtime.listRequests({})),
      JSON.stringify(await rig.runtime.listAccounts()),
      rig.events.join('\n'),
      rig.entries.map((e) => describeRequest(e)).join('\n'),
      rig.internalErrors.map(String).join('\n'),
    ];
    const secrets = rig.secrets();
    // Closing writes out what the history still held.
    await rig.close();
    closed = true;
    said.push(await readFile(historyFile, 'utf8'));
    return { res, text, entry, said: said.join('\n'), secrets, rig };
  } finally {
    if (!closed) await rig.close();
  }
}

async function loggedEntry(rig: PathRig): Promise<RequestLogEntry> {
  await expect.poll(() => rig.entries.length, { timeout: 5000, interval: 10 }).toBeGreaterThan(0);
  return rig.entries.at(-1)!;
}

function expectNoSecret(said: string, secrets: string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(said).not.toContain(secret);
    expect(said).not.toContain(encodeURIComponent(secret));
  }
}

interface Told {
  ended: 'whole' | 'error';
  text: string;
}

/** What the client was told, read the way a client reads it. */
function told(text: string, stream: boolean, status: number): Told {
  if (!stream || status !== 200) {
    const body = JSON.parse(text) as { type: string; content?: Array<{ text?: string }>; stop_reason?: string };
    if (status !== 200) {
      expect(body.type).toBe('error');
      return { ended: 'error', text: '' };
    }
    expect(body.stop_reason).toBe('end_turn');
    return { ended: 'whole', text: (body.content ?? []).map((b) => b.text ?? '').join('') };
  }
  const events = parseSse(text);
  const names = events.map((e) => e.event);
  const said = events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (JSON.parse(e.data) as { delta: { text?: string } }).delta.text ?? '')
    .join('');
  if (names.includes('message_stop')) {
    // A stream that says it is complete is complete, and says nothing after.
    expect(names.at(-1)).toBe('message_stop');
    expect(names).not.toContain('error');
    return { ended: 'whole', text: said };
  }
  expect(names.at(-1)).toBe('error');
  return { ended: 'error', text: said };
}

describe.each(PATHS)('%s: faults from the upstream and from Google', (path) => {
  const rows = [...ANSWER_FAULTS, ...(isGoogle(path) ? SETUP_FAULTS : [])];
  const cases = rows.flatMap((row) => [false, true].map((stream) => [row.name, stream, row] as const));

  it.each(cases)('account one %s (stream %s)', async (_name, stream, row) => {
    const { res, text, entry, said, secrets, rig } = await run(path, stream, (r) =>
      r.faultOne(row.fault, row.where === 'oauth' ? { where: 'oauth' } : { calls: row.where === 'setup' ? 'all' : 'answers' }),
    );
    // The fault was met: account one was asked, and the proxy broke that exchange.
    const proxy = row.where === 'oauth' ? rig.oauth! : rig.upstream;
    expect(proxy.exchanges.some((e) => e.fault === row.fault.kind && rig.isOne(e))).toBe(true);

    expectNoSecret(said, secrets);
    const outcome = stream ? row.stream : row.json;
    const end = told(text, stream, res.status);
    expect(entry.status).toBe(res.status);
    if (outcome === 'truthful' && end.ended === 'error') {
      expect(res.status).toBe(200);
      expect(entry.error_type).not.toBeNull();
      return;
    }
    expect(res.status).toBe(200);
    expect(end).toEqual({ ended: 'whole', text: ANSWER_TEXT });
    if (outcome === 'two') {
      expect(res.headers.get('x-account-email')).toBe('two@example.com');
      expect(entry.attempts.map((a) => a.account_label)).toEqual(['one@example.com', 'two@example.com']);
    }
  });

  // With no other account, the fault reaches the client: as an Anthropic error with the status its kind
  // calls for (500 only when the upstream itself said 500), or a stream's error event, words scrubbed.
  it.each(ALONE_FAULTS.flatMap((row) => [false, true].map((stream) => [row.name, stream, row] as const)))(
    'the only account %s (stream %s)',
    async (_name, stream, row) => {
      const { res, text, entry, said, secrets } = await run(path, stream, (r) => r.faultOne(row.fault), undefined, 1);
      expectNoSecret(said, secrets);
      const end = told(text, stream, res.status);
      expect(entry.status).toBe(res.status);
      expect(end.ended).toBe('error');
      const upstreamSaid500 =
        row.fault.kind === 'echo_in_stream' || ((row.fault.kind === 'status' || row.fault.kind === 'echo_credentials') && row.fault.status === 500);
      if (!upstreamSaid500) expect(res.status).not.toBe(500);
      if (res.status !== 200) expect([429, 500, 502, 503, 504, 529]).toContain(res.status);
    },
  );

  const CLIENT_ERRORS: Array<[string, (model: string, stream: boolean) => string]> = [
    ['JSON that does not parse', (model, stream) => `{"model":"${model}","stream":${stream},"max_tokens":64,"messages":[`],
    ['no max_tokens', (model, stream) => JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Hi' }] })],
    [
      'an image that is not base64',
      (model, stream) =>
        JSON.stringify(
          messagesBody({
            model,
            stream,
            messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '***' } }] }],
          }),
        ),
    ],
    ['a role that does not exist', (model, stream) => JSON.stringify(messagesBody({ model, stream, messages: [{ role: 'robot', content: 'Hi' }] }))],
  ];

  it.each(CLIENT_ERRORS.flatMap(([name, body]) => [false, true].map((stream) => [name, stream, body] as const)))(
    'a request with %s is a 400, not a 500, and reaches no upstream (stream %s)',
    async (_name, stream, body) => {
      const { res, text, said, secrets, rig } = await run(
        path,
        stream,
        () => undefined,
        (r) => body(r.model, stream),
      );
      expect(res.status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(rig.upstream.exchanges.filter((e) => /generateContent|\/v1\/messages$/.test(e.path))).toEqual([]);
      expectNoSecret(said, secrets);
    },
  );
});
