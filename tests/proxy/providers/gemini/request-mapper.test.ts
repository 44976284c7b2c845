import { describe, expect, it } from 'vitest';
import type { ContentBlock, CountTokensRequest, InputMessage, MessagesRequest } from '../../../../src-proxy/anthropic/types.js';
import type { NoteCode } from '../../../../src-proxy/contract/index.js';
import type { Content, GenerateContentResponse, Part } from '../../../../src-proxy/providers/gemini/gemini-types.js';
import { GeminiRequestError, MISSING_RESULT, SKIP_SIGNATURE, toGeminiRequest } from '../../../../src-proxy/providers/gemini/request-mapper.js';
import { toAnthropicMessage } from '../../../../src-proxy/providers/gemini/response-mapper.js';
import { encodeSignature, SignatureCache } from '../../../../src-proxy/providers/gemini/signature-cache.js';
import { ToolParametersCache } from '../../../../src-proxy/providers/gemini/tool-parameters.js';
import { ToolNameMap } from '../../../../src-proxy/providers/gemini/tool-names.js';

const G3 = 'gemini-3-pro-preview';
const G25 = 'gemini-2.5-pro';
const FAMILY3 = 'gemini-3-pro';

const user = (content: InputMessage['content']): InputMessage => ({ role: 'user', content });
const assistant = (content: InputMessage['content']): InputMessage => ({ role: 'assistant', content });
const text = (t: string, extra: Record<string, unknown> = {}): ContentBlock => ({ type: 'text', text: t, ...extra });
const toolUse = (id: string, name = 'Read', input: unknown = { file_path: '/a' }): ContentBlock => ({ type: 'tool_use', id, name, input });
const toolResult = (id: string, content: unknown = 'body', extra: Record<string, unknown> = {}): ContentBlock => ({
  type: 'tool_result',
  tool_use_id: id,
  content,
  ...extra,
});
const thinking = (signature: string, t = 'hmm'): ContentBlock => ({ type: 'thinking', thinking: t, signature });
const png = (data = 'iVBOR'): ContentBlock => ({ type: 'image', source: { type: 'base64', media_type: 'image/png', data } });

const request = (messages: InputMessage[], extra: Record<string, unknown> = {}): MessagesRequest => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages,
  ...extra,
});

interface Setup {
  model?: string;
  signatures?: SignatureCache;
  names?: ToolNameMap;
  family?: string;
  notes?: Set<NoteCode>;
}

function map(req: MessagesRequest | CountTokensRequest, setup: Setup = {}) {
  const names = setup.names ?? new ToolNameMap((req.tools ?? []).map((t) => String(t.name)));
  return toGeminiRequest(req, {
    model: setup.model ?? G3,
    names,
    signatures: setup.signatures ?? new SignatureCache(),
    ...(setup.family ? { family: setup.family } : {}),
    ...(setup.notes ? { notes: setup.notes } : {}),
  });
}

const contentsOf = (messages: InputMessage[], setup: Setup = {}) => map(request(messages), setup).contents;

describe('system', () => {
  const rows: Array<[string, Record<string, unknown>, InputMessage[], unknown]> = [
    ['a string: one part', { system: 'Be brief.' }, [user('hi')], { parts: [{ text: 'Be brief.' }] }],
    [
      'blocks: one part each, cache_control not forwarded',
      { system: [text('A', { cache_control: { type: 'ephemeral' } }), text('B')] },
      [user('hi')],
      { parts: [{ text: 'A' }, { text: 'B' }] },
    ],
    [
      "Claude Code's billing header block is dropped",
      { system: [text('x-anthropic-billing-header: cc_version=2.1; cch=1;'), text('You are Claude Code.')] },
      [user('hi')],
      { parts: [{ text: 'You are Claude Code.' }] },
    ],
    ['absent: no systemInstruction', {}, [user('hi')], undefined],
    ['empty string: no systemInstruction', { system: '' }, [user('hi')], undefined],
    [
      'role:"system" messages in the conversation join the system instruction, in order',
      { system: 'top' },
      [user('a'), { role: 'system', content: 'mid 1' }, assistant('b'), { role: 'system', content: [text('mid 2')] }, user('c')],
      { parts: [{ text: 'top' }, { text: 'mid 1' }, { text: 'mid 2' }] },
    ],
  ];
  it.each(rows)('%s', (_name, extra, messages, expected) => {
    expect(map(request(messages, extra)).systemInstruction).toEqual(expected);
  });

  it('a system message between two user turns leaves one merged user turn', () => {
    expect(contentsOf([user('a'), { role: 'system', content: 's' }, user('b')])).toEqual([{ role: 'user', parts: [{ text: 'a\n\nb' }] }]);
  });
});

describe('content blocks', () => {
  const rows: Array<[string, ContentBlock, Part[]]> = [
    ['text', text('hello'), [{ text: 'hello' }]],
    ['text with citations and cache_control: only the text', text('hi', { citations: [{ x: 1 }], cache_control: { type: 'ephemeral' } }), [{ text: 'hi' }]],
    ['empty text: skipped', text(''), []],
    ['base64 PNG → inlineData', png('AAAA'), [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }]],
    [
      'base64 WebP → inlineData',
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklG' } },
      [{ inlineData: { mimeType: 'image/webp', data: 'UklG' } }],
    ],
    [
      'base64 GIF (Gemini reads no GIF) → a short note, not a 400 that would stick to the history',
      { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lG' } },
      [{ text: '[image omitted: image/gif is not supported by the upstream model]' }],
    ],
    [
      'image URL → fileData with the type its extension names',
      { type: 'image', source: { type: 'url', url: 'https://x.test/a.JPG?size=2' } },
      [{ fileData: { mimeType: 'image/jpeg', fileUri: 'https://x.test/a.JPG?size=2' } }],
    ],
    [
      'image URL without an extension → fileData without a type',
      { type: 'image', source: { type: 'url', url: 'https://x.test/img' } },
      [{ fileData: { fileUri: 'https://x.test/img' } }],
    ],
    [
      'base64 PDF → inlineData',
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'T', citations: { enabled: true } },
      [{ inlineData: { mimeType: 'application/pdf', data: 'JVBE' } }],
    ],
    [
      'PDF URL → fileData',
      { type: 'document', source: { type: 'url', url: 'https://x.test/doc.pdf' } },
      [{ fileData: { mimeType: 'application/pdf', fileUri: 'https://x.test/doc.pdf' } }],
    ],
    [
      'text document → title, context and data as one text part',
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'the body' }, title: 'Title', context: 'Ctx' },
      [{ text: 'Title\nCtx\nthe body' }],
    ],
    [
      'content document → a header and its blocks',
      { type: 'document', source: { type: 'content', content: [text('one'), png('BB')] }, title: 'Doc' },
      [{ text: 'Doc' }, { text: 'one' }, { inlineData: { mimeType: 'image/png', data: 'BB' } }],
    ],
    [
      'search_result → text with its source and title',
      { type: 'search_result', source: 'https://s.test', title: 'S', content: [text('found')] },
      [{ text: '[search result: S — https://s.test]\nfound' }],
    ],
    ['an unknown block type in a user turn: dropped', { type: 'tool_reference', tool_name: 'x' }, []],
  ];
  it.each(rows)('%s', (_name, block, parts) => {
    const contents = contentsOf([user([text('q'), block])]);
    expect(contents).toEqual([{ role: 'user', parts: [{ text: 'q' }, ...parts] }]);
  });

  it('a string content is one text part', () => {
    expect(contentsOf([user('plain')])).toEqual([{ role: 'user', parts: [{ text: 'plain' }] }]);
  });

  it.each([
    ['a Files API image', { type: 'image', source: { type: 'file', file_id: 'file_1' } }],
    ['a Files API document', { type: 'document', source: { type: 'file', file_id: 'file_1' } }],
  ])('%s cannot be translated: GeminiRequestError (a 400)', (_name, block) => {
    expect(() => contentsOf([user([block])])).toThrow(GeminiRequestError);
  });

  it('a conversation with nothing left to send is a GeminiRequestError', () => {
    expect(() => contentsOf([user([text('')])])).toThrow(GeminiRequestError);
  });
});

describe('roles and merging', () => {
  const rows: Array<[string, InputMessage[], Content[]]> = [
    [
      'user → user, assistant → model',
      [user('a'), assistant('b'), user('c')],
      [
        { role: 'user', parts: [{ text: 'a' }] },
        { role: 'model', parts: [{ text: 'b' }] },
        { role: 'user', parts: [{ text: 'c' }] },
      ],
    ],
    [
      'consecutive user turns merge',
      [user('a'), user([png('X')]), assistant('b')],
      [
        { role: 'user', parts: [{ text: 'a' }, { inlineData: { mimeType: 'image/png', data: 'X' } }] },
        { role: 'model', parts: [{ text: 'b' }] },
      ],
    ],
    [
      'an assistant turn that maps to nothing is dropped, and the user turns around it merge',
      [user('a'), assistant([{ type: 'redacted_thinking', data: 'xyz' }]), user('c')],
      [{ role: 'user', parts: [{ text: 'a' }, { text: 'c' }] }],
    ],
    [
      'a final assistant turn (prefill) stays a trailing model turn',
      [user('a'), assistant('Sure:')],
      [
        { role: 'user', parts: [{ text: 'a' }] },
        { role: 'model', parts: [{ text: 'Sure:' }] },
      ],
    ],
  ];
  it.each(rows)('%s', (_name, messages, expected) => {
    expect(contentsOf(messages)).toEqual(expected);
  });
});

describe('thinking blocks in the history', () => {
  const own = encodeSignature(FAMILY3, 'SIG-A');
  const rows: Array<[string, ContentBlock[], Part[]]> = [
    [
      "same family before a call: the thought's signature never goes on the call, the thought text is not replayed",
      [thinking(own), toolUse('toolu_1')],
      [{ functionCall: { id: 'toolu_1', name: 'Read', args: { file_path: '/a' } }, thoughtSignature: SKIP_SIGNATURE }],
    ],
    [
      "same family carrying the call's own signature: that one goes on the call",
      [thinking(encodeSignature(FAMILY3, 'SIG-A', 'SIG-CALL')), toolUse('toolu_1')],
      [{ functionCall: { id: 'toolu_1', name: 'Read', args: { file_path: '/a' } }, thoughtSignature: 'SIG-CALL' }],
    ],
    ['same family before text: the signature goes on that text part', [thinking(own), text('answer')], [{ text: 'answer', thoughtSignature: 'SIG-A' }]],
    ['same family with nothing after it: dropped (text signatures are not validated)', [text('answer'), thinking(own)], [{ text: 'answer' }]],
    ['another Gemini family: dropped', [thinking(encodeSignature('gemini-2.5-pro', 'OTHER')), text('answer')], [{ text: 'answer' }]],
    ["Anthropic's own signature: dropped", [thinking('EqQBCkgIARAB'), text('answer')], [{ text: 'answer' }]],
    ['no signature (display omitted elsewhere): dropped', [thinking('', ''), text('answer')], [{ text: 'answer' }]],
    ['redacted_thinking: dropped', [{ type: 'redacted_thinking', data: 'opaque' }, text('answer')], [{ text: 'answer' }]],
  ];
  it.each(rows)('%s', (_name, blocks, parts) => {
    const contents = contentsOf([user('q'), assistant(blocks), ...(blocks.some((b) => b.type === 'tool_use') ? [user([toolResult('toolu_1')])] : [])]);
    expect(contents[1]).toEqual({ role: 'model', parts });
  });

  it("a call's signature reaches the call in the next assistant message (Claude Code may send blocks as separate messages)", () => {
    const block = thinking(encodeSignature(FAMILY3, undefined, 'SIG-CALL'));
    const contents = contentsOf([user('q'), assistant([block]), assistant([toolUse('toolu_1')]), user([toolResult('toolu_1')])]);
    expect(contents[1]!.parts[0]!.thoughtSignature).toBe('SIG-CALL');
  });

  it('notes that thinking it could not replay was left out', () => {
    const notes = new Set<NoteCode>();
    contentsOf([user('q'), assistant([thinking('EqQBCkgIARAB'), text('answer')]), user('more')], { notes });
    expect([...notes]).toEqual(['thinking_dropped']);
    const none = new Set<NoteCode>();
    contentsOf([user('q'), assistant([thinking(own), text('answer')]), user('more')], { notes: none });
    expect([...none]).toEqual([]);
  });

  it('the caller can name the family (a route or account bound into it)', () => {
    const bound = encodeSignature('gemini-3-pro@key-1', 'SIG-B');
    const mine = contentsOf([user('q'), assistant([thinking(bound), text('t')])], { family: 'gemini-3-pro@key-1' });
    const theirs = contentsOf([user('q'), assistant([thinking(bound), text('t')])], { family: 'gemini-3-pro@key-2' });
    expect(mine[1]!.parts[0]!.thoughtSignature).toBe('SIG-B');
    expect(theirs[1]!.parts[0]!.thoughtSignature).toBeUndefined();
  });
});

describe('tool_use → functionCall: where the signature comes from', () => {
  // [name, model, assistant blocks, cache entries, expected signatures per call]
  const rows: Array<[string, string, ContentBlock[], Record<string, { signature?: string; family: string; callId?: string }>, Array<string | undefined>]> = [
    [
      "the call's signature the thinking block before it carried",
      G3,
      [thinking(encodeSignature(FAMILY3, 'THOUGHT', 'BLOCK')), toolUse('toolu_1')],
      {},
      ['BLOCK'],
    ],
    [
      "the thought's signature alone is not the call's: the skip value",
      G3,
      [thinking(encodeSignature(FAMILY3, 'THOUGHT')), toolUse('toolu_1')],
      {},
      [SKIP_SIGNATURE],
    ],
    [
      "the cache, kept by the call's own id, wins over the block",
      G3,
      [thinking(encodeSignature(FAMILY3, 'THOUGHT', 'BLOCK')), toolUse('toolu_1')],
      { toolu_1: { signature: 'CACHE', family: FAMILY3 } },
      ['CACHE'],
    ],
    ['the cache when the client dropped thinking blocks', G3, [toolUse('toolu_1')], { toolu_1: { signature: 'CACHE', family: FAMILY3 } }, ['CACHE']],
    [
      'the cache when the block is from another family',
      G3,
      [thinking(encodeSignature('gemini-2.5-pro', 'X')), toolUse('toolu_1')],
      { toolu_1: { signature: 'CACHE', family: FAMILY3 } },
      ['CACHE'],
    ],
    ['Gemini 3, nothing known: the skip value', G3, [toolUse('toolu_1')], {}, [SKIP_SIGNATURE]],
    [
      'Gemini 3, a cached signature of another family is not used: the skip value',
      G3,
      [toolUse('toolu_1')],
      { toolu_1: { signature: 'OLD', family: 'gemini-2.5-pro' } },
      [SKIP_SIGNATURE],
    ],
    ['Gemini 2.5, nothing known: no signature (2.5 does not validate)', G25, [toolUse('toolu_1')], {}, [undefined]],
    [
      'parallel calls: only the first carries one',
      G3,
      [thinking(encodeSignature(FAMILY3, undefined, 'FIRST')), toolUse('toolu_1'), toolUse('toolu_2', 'Grep', { pattern: 'x' })],
      {},
      ['FIRST', undefined],
    ],
    [
      'parallel calls, nothing known: the skip value on the first only',
      G3,
      [toolUse('toolu_1'), toolUse('toolu_2', 'Grep', {})],
      {},
      [SKIP_SIGNATURE, undefined],
    ],
    [
      'parallel calls from the cache: each call its own, as Gemini sent them',
      G3,
      [toolUse('toolu_1'), toolUse('toolu_2', 'Grep', {})],
      { toolu_1: { signature: 'S1', family: FAMILY3 } },
      ['S1', undefined],
    ],
  ];
  it.each(rows)('%s', (_name, model, blocks, entries, expected) => {
    const signatures = new SignatureCache();
    for (const [id, entry] of Object.entries(entries)) signatures.set(id, entry);
    const ids = blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id));
    const contents = contentsOf([user('q'), assistant(blocks), user(ids.map((id) => toolResult(id)))], { model, signatures });
    const calls = contents[1]!.parts.filter((p) => p.functionCall);
    expect(calls.map((p) => p.thoughtSignature)).toEqual(expected);
  });

  it('maps the name through the ToolNameMap and passes the input as args', () => {
    const long = 'mcp__a_very_long_server_name_for_testing__and_an_even_longer_tool_name_here';
    const names = new ToolNameMap([long]);
    const contents = contentsOf([user('q'), assistant([toolUse('toolu_1', long, { q: 1 })]), user([toolResult('toolu_1')])], { names });
    expect(contents[1]!.parts[0]!.functionCall).toEqual({ id: 'toolu_1', name: names.toUpstream(long), args: { q: 1 } });
    expect(contents[2]!.parts[0]!.functionResponse!.name).toBe(names.toUpstream(long));
  });

  it("uses Gemini's own call id from the cache on both the call and its response", () => {
    const signatures = new SignatureCache();
    signatures.set('toolu_1', { signature: 'S', family: FAMILY3, callId: 'gemini-call-7' });
    const contents = contentsOf([user('q'), assistant([toolUse('toolu_1')]), user([toolResult('toolu_1')])], { signatures });
    expect(contents[1]!.parts[0]!.functionCall!.id).toBe('gemini-call-7');
    expect(contents[2]!.parts[0]!.functionResponse!.id).toBe('gemini-call-7');
  });

  it('a non-object input becomes empty args', () => {
    const contents = contentsOf([user('q'), assistant([toolUse('toolu_1', 'Read', 'oops')]), user([toolResult('toolu_1')])]);
    expect(contents[1]!.parts[0]!.functionCall!.args).toEqual({});
  });
});

describe('tool_result → functionResponse', () => {
  const fr = (id: string, response: Record<string, unknown>, name = 'Read', extra: Record<string, unknown> = {}): Part => ({
    functionResponse: { id, name, response, ...extra },
  });
  const img = { inlineData: { mimeType: 'image/png', data: 'P' } };
  // [name, model, assistant blocks, user blocks, expected user parts]
  const rows: Array<[string, string, ContentBlock[], ContentBlock[], Part[]]> = [
    ['a string result → output', G3, [toolUse('toolu_1')], [toolResult('toolu_1', 'file body')], [fr('toolu_1', { output: 'file body' })]],
    ['text blocks → joined by newlines', G3, [toolUse('toolu_1')], [toolResult('toolu_1', [text('a'), text('b')])], [fr('toolu_1', { output: 'a\nb' })]],
    ['is_error → error', G3, [toolUse('toolu_1')], [toolResult('toolu_1', 'boom', { is_error: true })], [fr('toolu_1', { error: 'boom' })]],
    ['an empty result → empty output', G3, [toolUse('toolu_1')], [toolResult('toolu_1', [])], [fr('toolu_1', { output: '' })]],
    [
      'Gemini 3: an image goes inside the response',
      G3,
      [toolUse('toolu_1')],
      [toolResult('toolu_1', [text('shot'), png('P')])],
      [fr('toolu_1', { output: 'shot' }, 'Read', { parts: [img] })],
    ],
    [
      'Gemini 3: only an image → a placeholder output',
      G3,
      [toolUse('toolu_1')],
      [toolResult('toolu_1', [png('P')])],
      [fr('toolu_1', { output: 'Binary content provided (1 item(s)).' }, 'Read', { parts: [img] })],
    ],
    [
      'Gemini 2.5: images follow all the responses',
      G25,
      [toolUse('toolu_1'), toolUse('toolu_2', 'Grep')],
      [toolResult('toolu_1', [png('P')]), toolResult('toolu_2', 'x')],
      [fr('toolu_1', { output: 'Binary content provided (1 item(s)).' }), fr('toolu_2', { output: 'x' }, 'Grep'), img],
    ],
    [
      'responses in call order, whatever order the results came in',
      G3,
      [toolUse('toolu_1'), toolUse('toolu_2', 'Grep')],
      [toolResult('toolu_2', 'two'), toolResult('toolu_1', 'one')],
      [fr('toolu_1', { output: 'one' }), fr('toolu_2', { output: 'two' }, 'Grep')],
    ],
    [
      'user text after the results stays after them',
      G3,
      [toolUse('toolu_1')],
      [text('<system-reminder>x</system-reminder>'), toolResult('toolu_1', 'one')],
      [fr('toolu_1', { output: 'one' }), { text: '<system-reminder>x</system-reminder>' }],
    ],
    [
      'a call without a result gets the sentinel',
      G3,
      [toolUse('toolu_1'), toolUse('toolu_2', 'Grep')],
      [toolResult('toolu_1', 'one')],
      [fr('toolu_1', { output: 'one' }), fr('toolu_2', { error: MISSING_RESULT }, 'Grep')],
    ],
    [
      'a result for a call nobody made → text',
      G3,
      [toolUse('toolu_1')],
      [toolResult('toolu_1', 'one'), toolResult('toolu_9', 'ghost')],
      [fr('toolu_1', { output: 'one' }), { text: '[tool_result for toolu_9]\nghost' }],
    ],
  ];
  it.each(rows)('%s', (_name, model, calls, results, expected) => {
    const contents = contentsOf([user('q'), assistant(calls), user(results)], { model });
    expect(contents[2]).toEqual({ role: 'user', parts: expected });
  });

  it('a result for a call of an earlier turn (not the one right before) → text naming the tool', () => {
    const contents = contentsOf([
      user('q'),
      assistant([toolUse('toolu_1')]),
      user([toolResult('toolu_1', 'one')]),
      assistant('done'),
      user([toolResult('toolu_1', 'late')]),
    ]);
    expect(contents[4]).toEqual({ role: 'user', parts: [{ text: '[tool_result for Read (toolu_1)]\nlate' }] });
  });

  it('a user turn that maps to nothing: the assistant turns around it are one step, its calls answered after it', () => {
    const contents = contentsOf([user('q'), assistant([toolUse('toolu_1')]), user([text('')]), assistant('next')]);
    expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(contents[1]!.parts.map((p) => Object.keys(p)[0])).toEqual(['functionCall', 'text']);
    expect(contents[2]!.parts).toEqual([fr('toolu_1', { error: MISSING_RESULT })]);
  });

  it('a conversation ending with calls gets a final user turn answering them', () => {
    const contents = contentsOf([user('q'), assistant([toolUse('toolu_1')])]);
    expect(contents[2]).toEqual({ role: 'user', parts: [fr('toolu_1', { error: MISSING_RESULT })] });
  });
});

describe('server tools in the history are never forwarded', () => {
  const rows: Array<[string, ContentBlock, Part[]]> = [
    [
      'web search call → a text note',
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'vitest 4' } },
      [{ text: '[web search: vitest 4]' }],
    ],
    [
      'web search results → titles and URLs',
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_1',
        content: [
          { type: 'web_search_result', url: 'https://a.test', title: 'A', encrypted_content: 'zz' },
          { type: 'web_search_result', url: 'https://b.test', title: 'B', encrypted_content: 'yy' },
        ],
      },
      [{ text: '[web search results]\n- A — https://a.test\n- B — https://b.test' }],
    ],
    [
      'a web search error → a note',
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' } },
      [{ text: '[web search error: max_uses_exceeded]' }],
    ],
    ['web_fetch call: dropped', { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_fetch', input: { url: 'https://a.test' } }, []],
    ['web_fetch result: dropped', { type: 'web_fetch_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'web_fetch_result' } }, []],
    ['advisor call: dropped', { type: 'server_tool_use', id: 'srvtoolu_3', name: 'advisor', input: {} }, []],
    ['advisor result: dropped', { type: 'advisor_tool_result', tool_use_id: 'srvtoolu_3', content: { text: 'advice' } }, []],
    ['code execution result: dropped', { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_4', content: {} }, []],
  ];
  it.each(rows)('%s', (_name, block, parts) => {
    const contents = contentsOf([user('q'), assistant([text('before'), block])]);
    expect(contents[1]).toEqual({ role: 'model', parts: [{ text: 'before' }, ...parts] });
  });
});

describe('tools', () => {
  const read = {
    name: 'Read',
    description: 'Reads a file',
    input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
  };
  const noArgs = { name: 'Now', input_schema: { type: 'object', properties: {} } };
  const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 8 };

  it('custom tools → function declarations with sanitized parameters; tool-level extras are not forwarded', () => {
    const tool = { ...read, cache_control: { type: 'ephemeral' }, defer_loading: true, input_examples: [{}], strict: true, type: 'custom' };
    const out = map(request([user('q')], { tools: [tool] }));
    expect(out.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'Read', description: 'Reads a file', parameters: { type: 'OBJECT', properties: { file_path: { type: 'STRING' } }, required: ['file_path'] } },
        ],
      },
    ]);
  });

  it('a tool without arguments has no parameters; a missing description is empty', () => {
    const out = map(request([user('q')], { tools: [noArgs] }));
    expect(out.tools).toEqual([{ functionDeclarations: [{ name: 'Now', description: '' }] }]);
  });

  it('names go through the ToolNameMap', () => {
    const long = 'mcp__server_with_a_long_name__tool_with_an_even_longer_name_than_sixty_four';
    const names = new ToolNameMap([long]);
    const out = map(request([user('q')], { tools: [{ name: long, input_schema: read.input_schema }] }), { names });
    expect(out.tools![0]!.functionDeclarations![0]!.name).toBe(names.toUpstream(long));
  });

  const toolSets: Array<[string, unknown[], unknown, string | undefined]> = [
    ["Claude Code's web search request (the server tool alone) → googleSearch", [webSearch], [{ googleSearch: {} }], undefined],
    ['the newer web search version too', [{ ...webSearch, type: 'web_search_20260209' }], [{ googleSearch: {} }], undefined],
    [
      'web search beside custom tools → the custom tools only (never both)',
      [read, webSearch],
      [{ functionDeclarations: [expect.objectContaining({ name: 'Read' })] }],
      undefined,
    ],
    [
      'a custom tool named WebSearch is a custom tool like any other',
      [{ ...read, name: 'WebSearch' }],
      [{ functionDeclarations: [expect.objectContaining({ name: 'WebSearch' })] }],
      undefined,
    ],
    [
      'advisor, web_fetch, code execution, bash, text editor, memory, tool search: dropped',
      [
        { type: 'advisor_20260301', name: 'advisor' },
        { type: 'web_fetch_20250910', name: 'web_fetch' },
        { type: 'code_execution_20250825', name: 'code_execution' },
        { type: 'bash_20250124', name: 'bash' },
        { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
        { type: 'memory_20250818', name: 'memory' },
        { type: 'tool_search_tool_regex_20251119', name: 'tool_search' },
      ],
      undefined,
      undefined,
    ],
    [
      'allowed_domains → a system hint',
      [{ ...webSearch, allowed_domains: ['docs.x.test', 'y.test'] }],
      [{ googleSearch: {} }],
      'When searching the web, only use results from: docs.x.test, y.test.',
    ],
    [
      'blocked_domains → a system hint',
      [{ ...webSearch, blocked_domains: ['spam.test'] }],
      [{ googleSearch: {} }],
      'When searching the web, never use results from: spam.test.',
    ],
  ];
  it.each(toolSets)('%s', (_name, tools, expected, hint) => {
    const out = map(request([user('q')], { tools, tool_choice: { type: 'tool', name: 'web_search' } }));
    expect(out.tools).toEqual(expected);
    expect(out.systemInstruction?.parts.at(-1)?.text).toBe(hint);
    if (!out.tools?.some((t) => t.functionDeclarations)) expect(out.toolConfig).toBeUndefined();
  });

  const choices: Array<[string, unknown, unknown]> = [
    ['absent → no toolConfig (AUTO is the default)', undefined, undefined],
    ['auto → AUTO', { type: 'auto', disable_parallel_tool_use: true }, { functionCallingConfig: { mode: 'AUTO' } }],
    ['any → ANY', { type: 'any' }, { functionCallingConfig: { mode: 'ANY' } }],
    ['tool → ANY restricted to it', { type: 'tool', name: 'Read' }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Read'] } }],
    ['tool naming an undeclared tool → AUTO rather than a 400', { type: 'tool', name: 'Nope' }, { functionCallingConfig: { mode: 'AUTO' } }],
    ['none → NONE', { type: 'none' }, { functionCallingConfig: { mode: 'NONE' } }],
    ['an unknown type → no toolConfig', { type: 'sometimes' }, undefined],
  ];
  it.each(choices)('tool_choice %s', (_name, toolChoice, expected) => {
    const out = map(request([user('q')], { tools: [read], ...(toolChoice ? { tool_choice: toolChoice } : {}) }));
    expect(out.toolConfig).toEqual(expected);
  });

  it('tool_choice names go through the ToolNameMap', () => {
    const long = 'mcp__server_with_a_long_name__tool_with_an_even_longer_name_than_sixty_four';
    const names = new ToolNameMap([long]);
    const out = map(request([user('q')], { tools: [{ name: long, input_schema: read.input_schema }], tool_choice: { type: 'tool', name: long } }), { names });
    expect(out.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [names.toUpstream(long)] } });
  });

  it('parameters kept from an earlier turn with the same tools give the request making them anew would', () => {
    const long = 'mcp__server_with_a_long_name__tool_with_an_even_longer_name_than_sixty_four';
    const tools = [read, noArgs, { name: long, description: 'Same schema as Read', input_schema: read.input_schema }, webSearch];
    const turn = () => request([user('q')], { tools: JSON.parse(JSON.stringify(tools)) as unknown[], tool_choice: { type: 'tool', name: long } });
    const toolParameters = new ToolParametersCache();
    const withCache = (req: MessagesRequest) =>
      toGeminiRequest(req, { model: G3, names: new ToolNameMap(tools.map((t) => t.name)), signatures: new SignatureCache(), toolParameters });
    const first = withCache(turn());
    const second = withCache(turn());
    expect(second.tools![0]!.functionDeclarations![0]!.parameters).toBe(first.tools![0]!.functionDeclarations![0]!.parameters);
    expect(second).toEqual(map(turn()));
    // A changed description goes up as sent, with the parameters kept for its unchanged schema.
    const changed = withCache(request([user('q')], { tools: [{ ...read, description: 'Reads a file, in pages' }] }));
    expect(changed.tools![0]!.functionDeclarations![0]).toMatchObject({ description: 'Reads a file, in pages' });
    expect(changed.tools![0]!.functionDeclarations![0]!.parameters).toBe(first.tools![0]!.functionDeclarations![0]!.parameters);
  });

  it('no tools → no tools and no toolConfig, even with a tool_choice', () => {
    const out = map(request([user('q')], { tool_choice: { type: 'any' } }));
    expect(out.tools).toBeUndefined();
    expect(out.toolConfig).toBeUndefined();
  });
});

describe('generationConfig', () => {
  const rows: Array<[string, string, Record<string, unknown>, unknown]> = [
    ['max_tokens → maxOutputTokens', G25, { max_tokens: 4096 }, { maxOutputTokens: 4096 }],
    ["max_tokens above the model's limit → the limit", G25, { max_tokens: 128000 }, { maxOutputTokens: 65536 }],
    [
      'temperature, top_p, top_k pass through',
      G25,
      { temperature: 0.2, top_p: 0.9, top_k: 40 },
      { maxOutputTokens: 1024, temperature: 0.2, topP: 0.9, topK: 40 },
    ],
    [
      'stop_sequences → the first five',
      G25,
      { stop_sequences: ['a', 'b', '', 'c', 'd', 'e', 'f'] },
      { maxOutputTokens: 1024, stopSequences: ['a', 'b', 'c', 'd', 'e'] },
    ],
    [
      'output_config.format json_schema → JSON output',
      G25,
      { output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string' } } } } } },
      { maxOutputTokens: 1024, responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { a: { type: 'string' } } } },
    ],
    [
      'thinking → thinkingConfig',
      G25,
      { thinking: { type: 'enabled', budget_tokens: 2000 }, max_tokens: 8000 },
      { maxOutputTokens: 8000, thinkingConfig: { includeThoughts: true, thinkingBudget: 2000 } },
    ],
    [
      'adaptive thinking + effort → thinkingConfig (Gemini 3)',
      G3,
      { thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } },
      { maxOutputTokens: 1024, thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } },
    ],
  ];
  it.each(rows)('%s', (_name, model, extra, expected) => {
    const out = map(request([user('q')], extra), { model });
    const { thinkingConfig, ...rest } = out.generationConfig ?? {};
    const { thinkingConfig: expectedThinking, ...expectedRest } = expected as Record<string, unknown>;
    expect(rest).toEqual(expectedRest);
    if (expectedThinking) expect(thinkingConfig).toEqual(expectedThinking);
  });

  it('a count_tokens body (no max_tokens) has no maxOutputTokens', () => {
    const countBody: CountTokensRequest = { model: 'claude-sonnet-4-5', messages: [user('q')] };
    const out = map(countBody, { model: 'gemini-2.0-flash' });
    expect(out.generationConfig).toBeUndefined();
  });
});

describe('fields Gemini would reject are never forwarded', () => {
  it('only Gemini fields at the top level, and no Anthropic-only key anywhere', () => {
    const req = request(
      [
        user([text('q', { cache_control: { type: 'ephemeral', ttl: '1h' } })]),
        assistant([thinking(encodeSignature(FAMILY3, 'S')), toolUse('toolu_1'), { ...toolUse('toolu_2'), caller: { type: 'direct' } }]),
        user([toolResult('toolu_1', [text('r', { cache_control: { type: 'ephemeral' } })], { cache_control: { type: 'ephemeral' } }), toolResult('toolu_2')]),
      ],
      {
        system: [text('s', { cache_control: { type: 'ephemeral' } })],
        metadata: { user_id: '{"device_id":"d"}' },
        context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
        container: 'c_1',
        service_tier: 'auto',
        cache_control: { type: 'ephemeral' },
        inference_geo: 'us',
        speed: 'fast',
        output_config: { effort: 'high' },
        thinking: { type: 'adaptive' },
        stream: true,
        tools: [
          {
            name: 'Read',
            input_schema: { type: 'object', properties: { file_path: { type: 'string' } } },
            cache_control: { type: 'ephemeral' },
            defer_loading: false,
            allowed_callers: ['direct'],
          },
        ],
      },
    );
    const out = map(req);
    expect(Object.keys(out).sort()).toEqual(['contents', 'generationConfig', 'systemInstruction', 'tools']);
    const json = JSON.stringify(out);
    for (const key of [
      'cache_control',
      'metadata',
      'context_management',
      'container',
      'service_tier',
      'inference_geo',
      'speed',
      'output_config',
      'caller',
      'defer_loading',
      'allowed_callers',
      'stream',
      'thinking"',
    ]) {
      expect(json).not.toContain(key);
    }
  });
});

describe('the request is not modified', () => {
  it('mapping a frozen request neither throws nor changes it', () => {
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
      }
      return value;
    };
    const req = request(
      [
        user('q'),
        assistant([thinking(encodeSignature(FAMILY3, 'S')), text('t'), toolUse('toolu_1'), toolUse('toolu_2')]),
        user([toolResult('toolu_2', [png('P')]), text('more')]),
      ],
      { system: 'sys', tools: [{ name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }] },
    );
    const snapshot = structuredClone(req);
    expect(() => map(deepFreeze(req))).not.toThrow();
    expect(req).toEqual(snapshot);
  });
});

describe('a three-turn tool conversation replays its signatures', () => {
  // Turn by turn: Gemini's answer is translated for the client, the client sends the history back.
  const tools = [{ name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }];
  const call = (name: string, args: Record<string, unknown>, thoughtSignature?: string): Part => ({
    functionCall: { name, args },
    ...(thoughtSignature ? { thoughtSignature } : {}),
  });
  const answer = (parts: Part[], finishReason = 'STOP'): GenerateContentResponse => ({ candidates: [{ content: { role: 'model', parts }, finishReason }] });

  function converse(keepThinking: boolean) {
    const signatures = new SignatureCache();
    const names = new ToolNameMap(['Read']);
    let n = 0;
    const opts = { model: G3, names, signatures, family: FAMILY3, newToolId: () => `toolu_${++n}` };
    const strip = (blocks: ContentBlock[]) => (keepThinking ? blocks : blocks.filter((b) => b.type !== 'thinking'));

    const history: InputMessage[] = [user('Read a and b, then summarise.')];
    const requests = [map(request([...history], { tools }), { signatures, names })];

    const turn1 = toAnthropicMessage(answer([{ text: 'Plan: read a', thought: true }, call('Read', { file_path: '/a' }, 'SIG-1')]), opts);
    history.push(assistant(strip(turn1.content)), user([toolResult('toolu_1', 'A')]));
    requests.push(map(request([...history], { tools }), { signatures, names }));

    const turn2 = toAnthropicMessage(answer([{ text: 'Now b.' }, call('Read', { file_path: '/b' }, 'SIG-2')]), opts);
    history.push(assistant(strip(turn2.content)), user([toolResult('toolu_2', 'B')]));
    requests.push(map(request([...history], { tools }), { signatures, names }));

    const turn3 = toAnthropicMessage(answer([{ text: 'a says A, b says B.' }, { text: '', thoughtSignature: 'SIG-3' }]), opts);
    return { requests, turns: [turn1, turn2, turn3] };
  }

  const signaturesOnCalls = (c: Content[]) => c.flatMap((content) => content.parts.filter((p) => p.functionCall).map((p) => p.thoughtSignature));

  it.each([
    ['the client keeps thinking blocks', true],
    ['the client drops thinking blocks', false],
  ])('%s', (_name, keepThinking) => {
    const { requests, turns } = converse(keepThinking);
    expect(turns.map((t) => t.stop_reason)).toEqual(['tool_use', 'tool_use', 'end_turn']);
    expect(signaturesOnCalls(requests[0]!.contents)).toEqual([]);
    expect(signaturesOnCalls(requests[1]!.contents)).toEqual(['SIG-1']);
    expect(signaturesOnCalls(requests[2]!.contents)).toEqual(['SIG-1', 'SIG-2']);
    // Every call is answered by a response naming the same function, with the same id.
    const last = requests[2]!.contents;
    expect(last.map((c) => c.role)).toEqual(['user', 'model', 'user', 'model', 'user']);
    expect(last[2]!.parts[0]!.functionResponse).toEqual({ id: 'toolu_1', name: 'Read', response: { output: 'A' } });
    expect(last[4]!.parts[0]!.functionResponse).toEqual({ id: 'toolu_2', name: 'Read', response: { output: 'B' } });
    expect(last[1]!.parts[0]!.functionCall!.id).toBe('toolu_1');
    // No thought text is replayed.
    expect(JSON.stringify(last)).not.toContain('Plan: read a');
  });

  it('after a restart (empty cache) and without thinking blocks, the skip value keeps Gemini 3 going', () => {
    const history: InputMessage[] = [user('q'), assistant([text('Now b.'), toolUse('toolu_x')]), user([toolResult('toolu_x', 'B')])];
    const out = map(request(history, { tools }));
    expect(signaturesOnCalls(out.contents)).toEqual([SKIP_SIGNATURE]);
  });
});
