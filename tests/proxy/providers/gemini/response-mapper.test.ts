import { describe, expect, it } from 'vitest';
import { MessageAccumulator } from '../../../../src-proxy/anthropic/collector.js';
import type { Message, StreamEvent } from '../../../../src-proxy/anthropic/types.js';
import type { GenerateContentResponse, Part, UsageMetadata } from '../../../../src-proxy/providers/gemini/gemini-types.js';
import {
  finishClass,
  GeminiResponseError,
  GeminiStreamTranslator,
  refusalText,
  stopReasonFor,
  toAnthropicMessage,
  usageFrom,
  type TranslatorOptions,
} from '../../../../src-proxy/providers/gemini/response-mapper.js';
import { decodeSignature, encodeSignature, SignatureCache } from '../../../../src-proxy/providers/gemini/signature-cache.js';
import { ToolNameMap } from '../../../../src-proxy/providers/gemini/tool-names.js';

const FAMILY = 'gemini-3-pro';

const chunk = (parts: Part[], extra: { finishReason?: string; usageMetadata?: UsageMetadata } = {}): GenerateContentResponse => ({
  candidates: [{ content: { role: 'model', parts }, ...(extra.finishReason ? { finishReason: extra.finishReason } : {}) }],
  ...(extra.usageMetadata ? { usageMetadata: extra.usageMetadata } : {}),
});
const finish = (finishReason: string, usageMetadata?: UsageMetadata): GenerateContentResponse => ({
  candidates: [{ content: { role: 'model', parts: [] }, finishReason }],
  ...(usageMetadata ? { usageMetadata } : {}),
});
const call = (name: string, args: Record<string, unknown>, thoughtSignature?: string, id?: string): Part => ({
  functionCall: { name, args, ...(id ? { id } : {}) },
  ...(thoughtSignature ? { thoughtSignature } : {}),
});
const thought = (text: string, thoughtSignature?: string): Part => ({ text, thought: true, ...(thoughtSignature ? { thoughtSignature } : {}) });

function setup(extra: Partial<TranslatorOptions> = {}) {
  let n = 0;
  const signatures = new SignatureCache();
  const opts: TranslatorOptions = {
    model: 'claude-sonnet-4-5',
    names: new ToolNameMap(['Read', 'Grep']),
    signatures,
    family: FAMILY,
    newToolId: () => `toolu_${++n}`,
    ...extra,
  };
  return { opts, signatures, translator: new GeminiStreamTranslator(opts) };
}

/** Runs chunks through a translator; returns every event, the events per push, and the collected message. */
function run(chunks: GenerateContentResponse[], extra: Partial<TranslatorOptions> = {}) {
  const { translator, signatures } = setup(extra);
  const perPush = chunks.map((c) => translator.push(c));
  const events: StreamEvent[] = [...perPush.flat(), ...translator.end()];
  const acc = new MessageAccumulator();
  for (const e of events) acc.apply(e);
  return { events, perPush, message: acc.result(), signatures };
}

/** The collected content in a compact form: [type, text or name] pairs, signatures decoded. */
const shape = (message: Message) =>
  message.content.map((b) => {
    if (b.type === 'thinking') {
      const decoded = decodeSignature(b.signature);
      // A thinking block carries its thought's signature, and the following call's own one apart from it.
      return decoded?.call ? ['thinking', b.thinking, decoded.signature ?? null, decoded.call] : ['thinking', b.thinking, decoded?.signature ?? null];
    }
    if (b.type === 'tool_use') return ['tool_use', b.name, b.input];
    return [b.type, b.text];
  });

describe('finishReason → stop_reason', () => {
  const rows: Array<[string | undefined, boolean, string, string]> = [
    ['STOP', false, 'end_turn', 'end_turn'],
    ['STOP', true, 'end_turn', 'tool_use'],
    ['MAX_TOKENS', false, 'max_tokens', 'max_tokens'],
    ['MAX_TOKENS', true, 'max_tokens', 'tool_use'],
    ['SAFETY', false, 'refusal', 'refusal'],
    ['RECITATION', false, 'refusal', 'refusal'],
    ['LANGUAGE', false, 'refusal', 'refusal'],
    ['BLOCKLIST', false, 'refusal', 'refusal'],
    ['PROHIBITED_CONTENT', false, 'refusal', 'refusal'],
    ['SPII', false, 'refusal', 'refusal'],
    ['IMAGE_SAFETY', false, 'refusal', 'refusal'],
    ['SAFETY', true, 'refusal', 'tool_use'],
    ['MALFORMED_FUNCTION_CALL', false, 'bad_tool_call', 'end_turn'],
    ['UNEXPECTED_TOOL_CALL', false, 'bad_tool_call', 'end_turn'],
    ['TOO_MANY_TOOL_CALLS', false, 'bad_tool_call', 'end_turn'],
    ['OTHER', false, 'end_turn', 'end_turn'],
    ['FINISH_REASON_UNSPECIFIED', false, 'end_turn', 'end_turn'],
    ['SOMETHING_NEW', false, 'end_turn', 'end_turn'],
    [undefined, false, 'end_turn', 'end_turn'],
  ];
  it.each(rows)('%s (tool called: %s) → class %s, stop_reason %s', (reason, called, cls, stop) => {
    expect(finishClass(reason)).toBe(cls);
    expect(stopReasonFor(reason, called)).toBe(stop);
  });
});

describe('usageMetadata → usage', () => {
  const rows: Array<[string, UsageMetadata, Record<string, number>]> = [
    [
      'plain',
      { promptTokenCount: 100, candidatesTokenCount: 20 },
      { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ],
    [
      'thoughts count as output',
      { promptTokenCount: 100, candidatesTokenCount: 20, thoughtsTokenCount: 51 },
      { input_tokens: 100, output_tokens: 71, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ],
    [
      'cached prompt tokens are cache reads, not input',
      { promptTokenCount: 2100, cachedContentTokenCount: 1536, candidatesTokenCount: 40 },
      { input_tokens: 564, output_tokens: 40, cache_read_input_tokens: 1536, cache_creation_input_tokens: 0 },
    ],
    [
      'tool-use prompt tokens are input',
      { promptTokenCount: 100, toolUsePromptTokenCount: 30, candidatesTokenCount: 1 },
      { input_tokens: 130, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ],
    ['nothing known: zeros', {}, { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }],
  ];
  it.each(rows)('%s', (_name, meta, expected) => expect(usageFrom(meta)).toEqual(expected));
});

describe('GeminiStreamTranslator', () => {
  it('text split across many chunks is one text block; nothing is emitted before the first content', () => {
    const { perPush, message } = run([
      { usageMetadata: { promptTokenCount: 10 } },
      chunk([{ text: 'Hel' }]),
      chunk([{ text: 'lo, ' }]),
      chunk([{ text: 'wor' }, { text: 'ld' }]),
      chunk([{ text: '!' }], { finishReason: 'STOP', usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4 } }),
    ]);
    expect(perPush[0]).toEqual([]);
    expect(perPush[1]![0]!.type).toBe('message_start');
    expect(shape(message)).toEqual([['text', 'Hello, world!']]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    expect(message.usage).toMatchObject({ input_tokens: 10, output_tokens: 4 });
    expect(message.model).toBe('claude-sonnet-4-5');
  });

  it('thoughts become a thinking block; a signature on a later empty-text part signs it', () => {
    const { message } = run([
      chunk([thought('Let me ')]),
      chunk([thought('think.')]),
      chunk([{ text: '', thoughtSignature: 'SIG' }]),
      chunk([{ text: 'Answer.' }], { finishReason: 'STOP' }),
    ]);
    expect(shape(message)).toEqual([
      ['thinking', 'Let me think.', 'SIG'],
      ['text', 'Answer.'],
    ]);
    expect(message.content[0]!.signature).toBe(encodeSignature(FAMILY, 'SIG'));
  });

  it('a functionCall with its signature in one chunk, more text after: a signed thinking block, the call, the text', () => {
    const { message, signatures } = run([
      chunk([{ text: 'Reading.' }]),
      chunk([call('Read', { file_path: '/a' }, 'SIG-CALL')]),
      chunk([{ text: 'Meanwhile…' }], { finishReason: 'STOP' }),
    ]);
    expect(shape(message)).toEqual([
      ['text', 'Reading.'],
      ['thinking', '', null, 'SIG-CALL'],
      ['tool_use', 'Read', { file_path: '/a' }],
      ['text', 'Meanwhile…'],
    ]);
    expect(message.content[2]!.id).toBe('toolu_1');
    expect(message.stop_reason).toBe('tool_use');
    expect(signatures.get('toolu_1')).toEqual({ signature: 'SIG-CALL', family: FAMILY });
  });

  it("a call after streamed thoughts: the block closes with the call's signature apart from the thought's", () => {
    const { message } = run([chunk([thought('Plan.')]), chunk([call('Read', { file_path: '/a' }, 'S')], { finishReason: 'STOP' })]);
    expect(shape(message)).toEqual([
      ['thinking', 'Plan.', null, 'S'],
      ['tool_use', 'Read', { file_path: '/a' }],
    ]);
  });

  it('a signed thought, then a call with its own signature: each signature stays with its part', () => {
    const { message, signatures } = run([
      chunk([thought('Plan', 'THOUGHT-SIG')]),
      chunk([call('Read', { file_path: '/a' }, 'CALL-SIG')], { finishReason: 'STOP' }),
    ]);
    expect(shape(message)).toEqual([
      ['thinking', 'Plan', 'THOUGHT-SIG', 'CALL-SIG'],
      ['tool_use', 'Read', { file_path: '/a' }],
    ]);
    expect(signatures.get('toolu_1')).toEqual({ signature: 'CALL-SIG', family: FAMILY });
  });

  it('a signed thought before a call without one: the thought keeps it, the call gets none', () => {
    const { message, signatures } = run([chunk([thought('Plan', 'THOUGHT-SIG'), call('Read', {})], { finishReason: 'STOP' })]);
    expect(shape(message)[0]).toEqual(['thinking', 'Plan', 'THOUGHT-SIG']);
    expect(signatures.get('toolu_1')).toBeUndefined();
  });

  it('parallel calls: one tool_use each, only the first signed and cached', () => {
    const { message, signatures } = run([
      chunk([call('Read', { file_path: '/a' }, 'S1'), call('Grep', { pattern: 'x' }), call('Read', { file_path: '/b' })], { finishReason: 'STOP' }),
    ]);
    expect(shape(message)).toEqual([
      ['thinking', '', null, 'S1'],
      ['tool_use', 'Read', { file_path: '/a' }],
      ['tool_use', 'Grep', { pattern: 'x' }],
      ['tool_use', 'Read', { file_path: '/b' }],
    ]);
    expect(message.content.filter((b) => b.type === 'tool_use').map((b) => b.id)).toEqual(['toolu_1', 'toolu_2', 'toolu_3']);
    expect(signatures.get('toolu_1')?.signature).toBe('S1');
    expect(signatures.get('toolu_2')).toBeUndefined();
  });

  it("a signature pending from an empty-text part is not the next call's; Gemini's call id is kept", () => {
    const { message, signatures } = run([
      chunk([{ text: '', thoughtSignature: 'P' }]),
      chunk([call('Read', {}, undefined, 'gem-1')], { finishReason: 'STOP' }),
    ]);
    expect(shape(message)[0]).toEqual(['thinking', '', 'P']);
    expect(signatures.get('toolu_1')).toEqual({ family: FAMILY, callId: 'gem-1' });
  });

  it('function names come back through the ToolNameMap; missing args are an empty input', () => {
    const long = 'mcp__server_with_a_long_name__tool_with_an_even_longer_name_than_sixty_four';
    const names = new ToolNameMap([long]);
    const { message } = run([chunk([{ functionCall: { name: names.toUpstream(long) } }], { finishReason: 'STOP' })], { names });
    expect(shape(message)).toEqual([['tool_use', long, {}]]);
  });

  it('an empty final chunk with only finishReason and usage finishes the message', () => {
    const { perPush, message } = run([
      chunk([{ text: 'Done.' }], { usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 1 } }),
      finish('STOP', { promptTokenCount: 50, cachedContentTokenCount: 20, candidatesTokenCount: 2, thoughtsTokenCount: 8 }),
    ]);
    expect(perPush[1]).toEqual([]);
    expect(shape(message)).toEqual([['text', 'Done.']]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 10, cache_creation_input_tokens: 0 });
  });

  it('a signature on a later text chunk does not split the answer', () => {
    const { message } = run([chunk([{ text: 'one ' }]), chunk([{ text: 'two', thoughtSignature: 'LATE' }], { finishReason: 'STOP' })]);
    expect(shape(message)).toEqual([['text', 'one two']]);
  });

  it('a signature on the first text part (Gemini 3 text turns) signs an empty thinking block before it', () => {
    const { message } = run([chunk([{ text: 'Hi', thoughtSignature: 'T' }], { finishReason: 'STOP' })]);
    expect(shape(message)).toEqual([
      ['thinking', '', 'T'],
      ['text', 'Hi'],
    ]);
  });

  it('a signature after the last text has no block to go on: dropped', () => {
    const { message } = run([chunk([{ text: 'Hi' }]), chunk([{ text: '', thoughtSignature: 'END' }], { finishReason: 'STOP' })]);
    expect(shape(message)).toEqual([['text', 'Hi']]);
  });

  it('interleaved thinking: text, thoughts, text → three blocks', () => {
    const { message } = run([chunk([{ text: 'A' }, thought('hmm'), { text: 'B' }])]);
    expect(shape(message)).toEqual([
      ['text', 'A'],
      ['thinking', 'hmm', null],
      ['text', 'B'],
    ]);
  });

  it('the client did not ask for thinking: no thinking blocks, the call signature is still cached', () => {
    const { message, signatures } = run([chunk([thought('secret'), call('Read', {}, 'S')], { finishReason: 'STOP' })], { thinking: false });
    expect(shape(message)).toEqual([['tool_use', 'Read', {}]]);
    expect(signatures.get('toolu_1')?.signature).toBe('S');
  });

  it('inline images and code execution parts are not forwarded', () => {
    const { message } = run([chunk([{ inlineData: { mimeType: 'image/png', data: 'x' } }, { executableCode: { code: '1' } }, { text: 'ok' }])]);
    expect(shape(message)).toEqual([['text', 'ok']]);
  });

  it('the family defaults to the profile of the model', () => {
    const { message } = run([chunk([{ text: 'x', thoughtSignature: 'S' }])], { model: 'gemini-3-flash-preview', family: undefined });
    expect(decodeSignature(message.content[0]!.signature)?.family).toBe('gemini-3-flash');
  });

  describe('refusals', () => {
    it('a blocked prompt (promptFeedback, no candidates) → refusal with a short explanation', () => {
      const { message } = run([{ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 9 } }]);
      expect(message.stop_reason).toBe('refusal');
      expect(shape(message)).toEqual([['text', refusalText('prompt', 'SAFETY')]]);
      expect(message.usage.input_tokens).toBe(9);
    });

    it('a safety stop before anything was said → refusal with a short explanation', () => {
      const { message } = run([finish('SAFETY')]);
      expect(message.stop_reason).toBe('refusal');
      expect(shape(message)).toEqual([['text', refusalText('response', 'SAFETY')]]);
    });

    it('a safety stop after some text → refusal, the text as it was', () => {
      const { message } = run([chunk([{ text: 'Partial' }]), finish('RECITATION')]);
      expect(message.stop_reason).toBe('refusal');
      expect(shape(message)).toEqual([['text', 'Partial']]);
    });

    it('a safety stop after thoughts only still explains itself', () => {
      const { message } = run([chunk([thought('hmm')]), finish('PROHIBITED_CONTENT')]);
      expect(shape(message)).toEqual([
        ['thinking', 'hmm', null],
        ['text', refusalText('response', 'PROHIBITED_CONTENT')],
      ]);
    });
  });

  describe('failures the caller can retry', () => {
    const rows: Array<[string, GenerateContentResponse[], string]> = [
      ['no chunk at all', [], 'empty'],
      ['chunks without candidates or a reason', [{ usageMetadata: { promptTokenCount: 3 } }], 'empty'],
      ['STOP with no content', [finish('STOP')], 'empty'],
      ['only an empty-text signature', [chunk([{ text: '', thoughtSignature: 'S' }], { finishReason: 'STOP' })], 'empty'],
      ['no finishReason and no content', [chunk([])], 'empty'],
      ['MALFORMED_FUNCTION_CALL before anything', [finish('MALFORMED_FUNCTION_CALL')], 'bad_tool_call'],
      [
        'thoughts hidden from a non-thinking client, then MALFORMED_FUNCTION_CALL',
        [chunk([thought('x')], { finishReason: 'MALFORMED_FUNCTION_CALL' })],
        'bad_tool_call',
      ],
    ];
    it.each(rows)('%s → GeminiResponseError %s from end()', (_name, chunks, kind) => {
      const { translator } = setup({ thinking: false });
      for (const c of chunks) expect(translator.push(c)).toEqual([]);
      let error: unknown;
      try {
        translator.end();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GeminiResponseError);
      expect((error as GeminiResponseError).kind).toBe(kind);
    });

    it('MALFORMED_FUNCTION_CALL after text → end_turn (too late to retry)', () => {
      const { message } = run([chunk([{ text: 'I will call' }]), finish('MALFORMED_FUNCTION_CALL')]);
      expect(message.stop_reason).toBe('end_turn');
    });

    it('MAX_TOKENS with no content is a valid empty message (max_tokens: 1 probes)', () => {
      const { message } = run([finish('MAX_TOKENS', { promptTokenCount: 5, candidatesTokenCount: 0 })]);
      expect(message.stop_reason).toBe('max_tokens');
      expect(message.content).toEqual([]);
    });

    it('an error chunk mid-stream → GeminiResponseError upstream_error carrying Google’s error', () => {
      const { translator } = setup();
      translator.push(chunk([{ text: 'partial' }]));
      const error = { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' };
      expect(() => translator.push({ error })).toThrow(expect.objectContaining({ kind: 'upstream_error', upstream: error }));
    });
  });

  it('after end() the translator is done: more chunks and a second end() produce nothing', () => {
    const { translator } = setup();
    translator.push(chunk([{ text: 'x' }], { finishReason: 'STOP' }));
    expect(translator.end().at(-1)).toEqual({ type: 'message_stop' });
    expect(translator.push(chunk([{ text: 'y' }]))).toEqual([]);
    expect(translator.end()).toEqual([]);
  });
});

describe('toAnthropicMessage', () => {
  it('a complete response becomes the same message its stream would', () => {
    const response: GenerateContentResponse = {
      candidates: [
        { content: { role: 'model', parts: [thought('Plan.'), { text: 'Calling.' }, call('Read', { file_path: '/a' }, 'S')] }, finishReason: 'STOP' },
      ],
      usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 12, thoughtsTokenCount: 30 },
    };
    const { opts } = setup({ id: 'msg_fixed' });
    const message = toAnthropicMessage(response, opts);
    const streamed = run([response], { id: 'msg_fixed' }).message;
    expect(message).toEqual(streamed);
    expect(message).toMatchObject({
      id: 'msg_fixed',
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      usage: { input_tokens: 40, output_tokens: 42 },
    });
    expect(shape(message)).toEqual([
      ['thinking', 'Plan.', null],
      ['text', 'Calling.'],
      ['thinking', '', null, 'S'],
      ['tool_use', 'Read', { file_path: '/a' }],
    ]);
  });

  it('an empty response throws the same typed error', () => {
    const { opts } = setup();
    expect(() => toAnthropicMessage({ candidates: [{ finishReason: 'STOP' }] }, opts)).toThrow(GeminiResponseError);
  });
});
