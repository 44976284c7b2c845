import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src-proxy/anthropic/errors.js';
import { checkWellFormed, hasSurrogateEscape, parseJsonBody } from '../../../src-proxy/anthropic/parse-json-body.js';

const NOT_UTF8 = 'Request body is not valid UTF-8; JSON must be encoded as UTF-8.';

/** What parsing throws, as the client would see it. */
function rejection(raw: Buffer): { status: number; type: string; message: string } {
  try {
    parseJsonBody(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const e = err as GatewayError;
    return { status: e.status, type: e.type, message: e.message };
  }
  throw new Error('expected the body to be rejected');
}

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** A request body whose second text block holds `text`, written as raw JSON source. */
const withText = (text: string): Buffer =>
  Buffer.from(
    `{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"${text}"}]}]}`,
  );

const lone = (path: string, unit: string, what = 'String'): string => `${path}: ${what} contains a lone surrogate (${unit}), which is not valid Unicode`;

describe('parseJsonBody: bytes that are not UTF-8 are refused before parsing', () => {
  it.each([
    ['a 0xFF byte inside a string', bytes('{"model":"', [0xff], '"}')],
    ['a Latin-1 encoded é', bytes('{"text":"caf', [0xe9], '"}')],
    ['a sequence cut short', bytes('{"text":"', [0xe2, 0x82], '"}')],
    ['a lone continuation byte', bytes('{"text":"', [0x80], '"}')],
    ['an overlong encoding of "/"', bytes('{"text":"', [0xc0, 0xaf], '"}')],
    ['a surrogate encoded in UTF-8 (CESU-8)', bytes('{"text":"', [0xed, 0xa0, 0x80], '"}')],
    ['a code point above U+10FFFF', bytes('{"text":"', [0xf4, 0x90, 0x80, 0x80], '"}')],
    ['a bad byte outside any string', bytes('{"a":1}', [0xfe])],
  ])('%s', (_name, raw) => {
    expect(rejection(raw)).toEqual({ status: 400, type: 'invalid_request_error', message: NOT_UTF8 });
  });
});

describe('parseJsonBody: lone surrogates are refused, naming where they are', () => {
  it.each([
    ['a lone high surrogate in a text block', withText('b\\ud800'), lone('messages.0.content.1.text', '\\ud800')],
    ['a lone high surrogate in upper case', withText('\\uD83D end'), lone('messages.0.content.1.text', '\\ud83d')],
    ['a lone low surrogate', withText('\\udc00'), lone('messages.0.content.1.text', '\\udc00')],
    ['a pair in the wrong order', withText('\\ude00\\ud83d'), lone('messages.0.content.1.text', '\\ude00')],
    ['a high surrogate followed by a letter', withText('\\ud83dx'), lone('messages.0.content.1.text', '\\ud83d')],
    ['a high surrogate after a good pair', withText('\\ud83d\\ude00\\ud83d'), lone('messages.0.content.1.text', '\\ud83d')],
    ['a real escape after an escaped backslash', withText('\\\\\\ud800'), lone('messages.0.content.1.text', '\\ud800')],
    ['in the model', Buffer.from('{"model":"claude\\udfff"}'), lone('model', '\\udfff')],
    [
      'deep inside a tool input',
      Buffer.from('{"messages":[{"role":"assistant","content":[{"type":"tool_use","input":{"cmd":["ls","-l\\udbff"]}}]}]}'),
      lone('messages.0.content.0.input.cmd.1', '\\udbff'),
    ],
    ['in a nested list', Buffer.from('{"a":[[["ok"],["\\ud800"]]]}'), lone('a.0.1.0', '\\ud800')],
    ['in an object key', Buffer.from('{"metadata":{"k\\ud800":1}}'), lone('metadata', '\\ud800', 'Key')],
    ['in a top-level key', Buffer.from('{"\\udc00":1}'), lone('Request body', '\\udc00', 'Key')],
    ['a body that is a bare string', Buffer.from('"\\ud800"'), lone('Request body', '\\ud800')],
  ])('%s', (_name, raw, message) => {
    expect(rejection(raw)).toEqual({ status: 400, type: 'invalid_request_error', message });
  });

  it('walks a very deep body without running out of stack', () => {
    const depth = 100_000;
    const raw = Buffer.from(`${'{"a":['.repeat(depth)}"\\ud800"${']}'.repeat(depth)}`);
    const message = rejection(raw).message;
    expect(message.startsWith('a.0.a.0.a.0.')).toBe(true);
    expect(message.endsWith(`.a.0: ${'String contains a lone surrogate (\\ud800), which is not valid Unicode'}`)).toBe(true);
  });
});

describe('parseJsonBody: what is well-formed parses as JSON.parse would', () => {
  it.each([
    ['plain ASCII', '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}'],
    ['text in 2-, 3- and 4-byte UTF-8', '{"text":"é 中文 😀"}'],
    ['an escaped surrogate pair (Python ensure_ascii)', '{"text":"\\ud83d\\ude00 and \\uD83D\\uDE00"}'],
    ['an escaped backslash before text that looks like an escape', '{"text":"C:\\\\ud800\\\\udc00"}'],
    ['escapes that are not surrogates', '{"text":"\\u001b[0m \\u00e9 \\ud7ff \\ue000 \\uffff"}'],
    ['a key with an escaped pair', '{"\\ud83d\\ude00":{"n":[1,null,true]}}'],
    ['a bare number', '42'],
  ])('%s', (_name, source) => {
    expect(parseJsonBody(Buffer.from(source))).toEqual(JSON.parse(source));
  });
});

describe('parseJsonBody: malformed JSON', () => {
  it.each([
    ['a cut-off object', '{"model": "x", '],
    ['a trailing comma', '{"a":1,}'],
    ['a byte order mark', '\ufeff{"a":1}'],
    ['a bad escape', '{"a":"\\x41"}'],
  ])('%s', (_name, source) => {
    const r = rejection(Buffer.from(source));
    expect(r.status).toBe(400);
    expect(r.type).toBe('invalid_request_error');
    expect(r.message).toMatch(/^Request body is not valid JSON: /);
  });
});

describe('hasSurrogateEscape: the pre-check that spares the walk', () => {
  it.each([
    ['no escapes', '{"text":"hello"}', false],
    ['other escapes', '{"text":"a\\nb\\t\\"c\\u001b\\u00e9"}', false],
    ['a non-surrogate \\ud escape (Hangul)', '{"text":"\\ud55c"}', false],
    ['the private use area', '{"text":"\\ue000"}', false],
    ['a lone surrogate', '{"text":"\\ud800"}', true],
    ['a pair', '{"text":"\\ud83d\\ude00"}', true],
    ['upper-case hex', '{"text":"\\uDBFF"}', true],
    ['upper-case D, lower-case f', '{"text":"\\uDfff"}', true],
    ['an escaped backslash before "ud800" (a harmless false alarm)', '{"text":"\\\\ud800"}', true],
    ['an escape cut off at the end', '{"text":"\\ud', false],
  ])('%s', (_name, source, expected) => {
    expect(hasSurrogateEscape(source)).toBe(expected);
  });

  it('finds an escape wherever it sits among other escapes', () => {
    for (let pad = 0; pad < 40; pad++) {
      expect(hasSurrogateEscape(`{"t":"${'\\n'.repeat(pad)}\\uDA00"}`)).toBe(true);
    }
  });
});

describe('checkWellFormed', () => {
  it('accepts values with paired surrogates, numbers, nulls and booleans', () => {
    expect(() => checkWellFormed({ a: ['😀', 1, null, true, { b: '中' }], c: 'x' })).not.toThrow();
  });

  it('refuses a lone surrogate built in code, not only one parsed from JSON', () => {
    expect(() => checkWellFormed({ a: [String.fromCharCode(0xd800)] })).toThrow(lone('a.0', '\\ud800'));
  });
});
