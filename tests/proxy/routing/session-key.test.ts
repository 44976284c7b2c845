import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InputMessage, MessagesRequest } from '../../../src-proxy/anthropic/types.js';
import { sessionKeyOf } from '../../../src-proxy/routing/session-key.js';

const SESSION = '5f0c6a52-3c1e-4b8e-9a47-2d2b7c1e9f10';
const ACCOUNT = 'a1b2c3d4-0000-4000-8000-123456789abc';
const DEVICE = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function req(messages: InputMessage[], userId?: string | null): MessagesRequest {
  const r: MessagesRequest = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages };
  if (userId !== undefined) r.metadata = { user_id: userId };
  return r;
}

const hello: InputMessage[] = [{ role: 'user', content: 'hello' }];
const firstKey = (text: string): string => `first:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

describe('sessionKeyOf: the session Claude Code names in metadata.user_id', () => {
  it.each<[string, string]>([
    ['the older underscore format', `user_${DEVICE}_account_${ACCOUNT}_session_${SESSION}`],
    ['the older format without an account', `user_${DEVICE}_account__session_${SESSION}`],
    ['the newer JSON format', JSON.stringify({ device_id: DEVICE, account_uuid: ACCOUNT, session_id: SESSION })],
    ['the newer JSON format with fields in another order', JSON.stringify({ session_id: SESSION, device_id: DEVICE })],
    ['the newer JSON format with an empty account', JSON.stringify({ device_id: DEVICE, account_uuid: '', session_id: SESSION })],
  ])('%s', (_title, userId) => {
    expect(sessionKeyOf(req(hello, userId))).toBe(`session:${SESSION}`);
  });

  it.each<[string, string | null | undefined]>([
    ['no metadata', undefined],
    ['a null user_id', null],
    ['a plain user id, which names a user rather than a conversation', 'user-1234'],
    ['the older format cut short', `user_${DEVICE}_account_${ACCOUNT}`],
    ['JSON without a session id', JSON.stringify({ device_id: DEVICE, account_uuid: ACCOUNT })],
    ['JSON with an empty session id', JSON.stringify({ device_id: DEVICE, session_id: '' })],
    ['JSON with a non-string session id', JSON.stringify({ session_id: 42 })],
    ['JSON that is not an object', '{"session_id"'],
    ['a JSON array', '[1,2]'],
    ['an absurdly long session id', JSON.stringify({ session_id: 'x'.repeat(10_000) })],
    ['a session id with odd characters', `user_${DEVICE}_account_${ACCOUNT}_session_a b\nc`],
  ])('falls back to the first message with %s', (_title, userId) => {
    expect(sessionKeyOf(req(hello, userId))).toBe(firstKey('hello'));
  });
});

describe('sessionKeyOf: the first user message, for other clients', () => {
  it.each<[string, InputMessage[], string | null]>([
    ['string content', [{ role: 'user', content: 'Fix the bug' }], firstKey('Fix the bug')],
    [
      'text blocks, joined; other blocks ignored',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look at' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'text', text: 'this picture' },
          ],
        },
      ],
      firstKey('Look at\nthis picture'),
    ],
    [
      'messages with empty text are skipped',
      [
        { role: 'user', content: '' },
        { role: 'user', content: [{ type: 'image', source: {} }] },
        { role: 'user', content: [{ type: 'text', text: '  \n' }] },
        { role: 'assistant', content: 'ignored: not the user' },
        { role: 'user', content: 'the real start' },
      ],
      firstKey('the real start'),
    ],
    [
      'only the first user message counts: later turns do not change the key',
      [
        { role: 'user', content: 'Fix the bug' },
        { role: 'assistant', content: 'Done.' },
        { role: 'user', content: 'Thanks, now the tests' },
      ],
      firstKey('Fix the bug'),
    ],
    ['no messages', [], null],
    ['no user text at all', [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] }], null],
    ['only assistant text', [{ role: 'assistant', content: 'hi' }], null],
  ])('%s', (_title, messages, expected) => {
    expect(sessionKeyOf(req(messages))).toBe(expected);
  });

  it('is stable across calls and turns of one conversation', () => {
    const turn1 = req([{ role: 'user', content: 'Refactor the parser' }]);
    const turn2 = req([
      { role: 'user', content: [{ type: 'text', text: 'Refactor the parser' }] },
      { role: 'assistant', content: 'Sure.' },
      { role: 'user', content: 'Go on' },
    ]);
    const key = sessionKeyOf(turn1);
    expect(key).toMatch(/^first:[0-9a-f]{16}$/);
    expect(sessionKeyOf(turn1)).toBe(key);
    expect(sessionKeyOf(turn2)).toBe(key);
  });

  it('differs for conversations that start differently', () => {
    const keys = ['Refactor the parser', 'Refactor the lexer', 'refactor the parser'].map((t) => sessionKeyOf(req([{ role: 'user', content: t }])));
    expect(new Set(keys).size).toBe(3);
  });

  it('handles a 300 KB conversation by hashing its first user message only', () => {
    const big = 'x'.repeat(100_000);
    const messages: InputMessage[] = [{ role: 'user', content: 'start' }];
    for (let i = 0; i < 3; i++) {
      messages.push({ role: 'assistant', content: big }, { role: 'user', content: [{ type: 'text', text: big }] });
    }
    expect(sessionKeyOf(req(messages))).toBe(firstKey('start'));
  });
});
