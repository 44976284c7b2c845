import { describe, expect, it } from 'vitest';
import { mergeConsecutiveSameRole, stripCacheControl } from '../../../src-proxy/anthropic/cleanup.js';
import type { ContentBlock, InputMessage, MessagesRequest } from '../../../src-proxy/anthropic/types.js';

/** Freezes a value and everything it holds, so any write by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A frozen request and a pristine copy to compare it with afterwards. */
function frozen<T>(value: T): { input: T; snapshot: T } {
  const snapshot = structuredClone(value);
  return { input: deepFreeze(value), snapshot };
}

const user = (content: InputMessage['content']): InputMessage => ({ role: 'user', content });
const assistant = (content: InputMessage['content']): InputMessage => ({ role: 'assistant', content });
const text = (t: string, extra: Record<string, unknown> = {}): ContentBlock => ({ type: 'text', text: t, ...extra });
const image: ContentBlock = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
const toolUse: ContentBlock = { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a' } };
const toolResult: ContentBlock = { type: 'tool_result', tool_use_id: 'toolu_1', content: 'file body' };

const request = (messages: InputMessage[], extra: Partial<MessagesRequest> = {}): MessagesRequest => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages,
  ...extra,
});

const EPHEMERAL = { type: 'ephemeral' };

describe('mergeConsecutiveSameRole', () => {
  const merges: Array<[string, InputMessage[], InputMessage[]]> = [
    ['string + string: joined with a blank line', [user('a'), user('b')], [user('a\n\nb')]],
    ['empty string + string: no stray blank line', [user(''), user('b')], [user('b')]],
    ['string + empty string', [user('a'), user('')], [user('a')]],
    ['string + blocks: the string becomes a text block first', [user('a'), user([image])], [user([text('a'), image])]],
    ['blocks + string: the string becomes a text block last', [user([image]), user('b')], [user([image, text('b')])]],
    ['empty string + blocks: no empty text block', [user(''), user([image])], [user([image])]],
    ['blocks + blocks: concatenated in order', [user([toolResult]), user([text('next')])], [user([toolResult, text('next')])]],
    ['three strings in a row', [user('a'), user('b'), user('c')], [user('a\n\nb\n\nc')]],
    ['three of mixed shapes in a row', [user('a'), user([image]), user('c')], [user([text('a'), image, text('c')])]],
    ['two assistant turns', [user('q'), assistant([toolUse]), assistant('more')], [user('q'), assistant([toolUse, text('more')])]],
    [
      'several runs in one conversation',
      [user('a'), user('b'), assistant('x'), user('c'), user('d'), user('e')],
      [user('a\n\nb'), assistant('x'), user('c\n\nd\n\ne')],
    ],
    [
      'system messages in a row',
      [user('a'), { role: 'system', content: 's1' }, { role: 'system', content: 's2' }],
      [user('a'), { role: 'system', content: 's1\n\ns2' }],
    ],
  ];

  it.each(merges)('%s', (_name, messages, expected) => {
    const { input, snapshot } = frozen(request(messages, { system: 'sys', stream: true }));
    const out = mergeConsecutiveSameRole(input);
    expect(out.messages).toEqual(expected);
    expect(out).toEqual({ ...snapshot, messages: expected });
    expect(input).toEqual(snapshot);
  });

  it("keeps the first message's other fields on a merged message", () => {
    const { input } = frozen(request([{ role: 'user', content: 'a', note: 1 }, user('b')]));
    expect(mergeConsecutiveSameRole(input).messages).toEqual([{ role: 'user', content: 'a\n\nb', note: 1 }]);
  });

  it('messages that are not merged are the very same objects', () => {
    const q = user('q');
    const { input } = frozen(request([q, assistant('x'), user('a'), user('b')]));
    const out = mergeConsecutiveSameRole(input);
    expect(out.messages[0]).toBe(q);
    expect(out.messages[1]).toBe(input.messages[1]);
  });

  const untouched: Array<[string, InputMessage[]]> = [
    ['a single message', [user('hi')]],
    ['alternating roles', [user('a'), assistant('b'), user('c'), assistant('d')]],
    ['assistant first', [assistant('a'), user('b')]],
    ['system between users', [user('a'), { role: 'system', content: 's' }, user('b')]],
  ];

  it.each(untouched)('%s: returned as the same object', (_name, messages) => {
    const { input } = frozen(request(messages));
    const out = mergeConsecutiveSameRole(input);
    expect(out).toBe(input);
    expect(out.messages).toBe(input.messages);
  });
});

describe('stripCacheControl', () => {
  const cases: Array<[string, MessagesRequest, MessagesRequest]> = [
    ['top level', request([user('hi')], { cache_control: EPHEMERAL }), request([user('hi')])],
    [
      'system blocks',
      request([user('hi')], { system: [text('a', { cache_control: EPHEMERAL }), text('b'), text('c', { cache_control: { type: 'ephemeral', ttl: '1h' } })] }),
      request([user('hi')], { system: [text('a'), text('b'), text('c')] }),
    ],
    [
      'tools',
      request([user('hi')], {
        tools: [
          { name: 'Read', input_schema: { type: 'object' } },
          { name: 'Write', input_schema: { type: 'object' }, cache_control: EPHEMERAL },
        ],
      }),
      request([user('hi')], {
        tools: [
          { name: 'Read', input_schema: { type: 'object' } },
          { name: 'Write', input_schema: { type: 'object' } },
        ],
      }),
    ],
    [
      'message blocks',
      request([user([text('a', { cache_control: EPHEMERAL })]), assistant('ok'), user([image, { ...text('b'), cache_control: EPHEMERAL }])]),
      request([user([text('a')]), assistant('ok'), user([image, text('b')])]),
    ],
    [
      'blocks nested in tool_result content',
      request([
        assistant([toolUse]),
        user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [text('x', { cache_control: EPHEMERAL }), image], cache_control: EPHEMERAL }]),
      ]),
      request([assistant([toolUse]), user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [text('x'), image] }])]),
    ],
    [
      'only inside tool_result content',
      request([user([{ type: 'tool_result', tool_use_id: 't', content: [{ ...image, cache_control: EPHEMERAL }] }])]),
      request([user([{ type: 'tool_result', tool_use_id: 't', content: [image] }])]),
    ],
    [
      'everywhere at once',
      request([user([text('a', { cache_control: EPHEMERAL })])], {
        cache_control: EPHEMERAL,
        system: [text('s', { cache_control: EPHEMERAL })],
        tools: [{ name: 'T', cache_control: EPHEMERAL }],
      }),
      request([user([text('a')])], { system: [text('s')], tools: [{ name: 'T' }] }),
    ],
  ];

  it.each(cases)('%s: removed, input left as it was', (_name, req, expected) => {
    const { input, snapshot } = frozen(req);
    const out = stripCacheControl(input);
    expect(out).toEqual(expected);
    expect(out).not.toBe(input);
    expect(JSON.stringify(out)).not.toContain('cache_control');
    expect(input).toEqual(snapshot);
  });

  it('parts with nothing to strip are shared, not copied', () => {
    const system = [text('s')];
    const tools = [{ name: 'T' }];
    const untouchedMessage = user([text('keep')]);
    const { input } = frozen(request([untouchedMessage, assistant('x'), user([text('a', { cache_control: EPHEMERAL })])], { system, tools }));
    const out = stripCacheControl(input);
    expect(out.system).toBe(system);
    expect(out.tools).toBe(tools);
    expect(out.messages[0]).toBe(untouchedMessage);
    expect(out.messages[1]).toBe(input.messages[1]);
    expect(out.messages[2]).not.toBe(input.messages[2]);
  });

  const nothing: Array<[string, MessagesRequest]> = [
    ['string content and system', request([user('hi'), assistant('ho')], { system: 'sys' })],
    ['blocks without cache_control', request([user([text('a'), image]), assistant([toolUse]), user([toolResult])], { system: [text('s')] })],
    ['tools without cache_control', request([user('hi')], { tools: [{ name: 'Read', input_schema: { type: 'object' } }] })],
    ['tool_result with block content', request([user([{ type: 'tool_result', tool_use_id: 't', content: [text('x')] }])])],
    ['unknown fields', request([user('hi')], { thinking: { type: 'adaptive' }, context_management: { edits: [] } })],
  ];

  it.each(nothing)('%s: nothing to strip, the same object back', (_name, req) => {
    const { input } = frozen(req);
    expect(stripCacheControl(input)).toBe(input);
  });

  it('leaves a malformed nested content list for the upstream to judge instead of throwing', () => {
    const { input } = frozen(
      request([user([{ type: 'tool_result', tool_use_id: 't', content: ['not a block', null, text('x', { cache_control: EPHEMERAL })] }])]),
    );
    const out = stripCacheControl(input);
    expect(out.messages[0]!.content).toEqual([{ type: 'tool_result', tool_use_id: 't', content: ['not a block', null, text('x')] }]);
  });
});
