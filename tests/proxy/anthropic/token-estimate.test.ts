import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../../../src-proxy/anthropic/token-estimate.js';
import type { ContentBlock, CountTokensRequest, InputMessage } from '../../../src-proxy/anthropic/types.js';

const request = (messages: InputMessage[], extra: Partial<CountTokensRequest> = {}): CountTokensRequest => ({
  model: 'claude-sonnet-4-5',
  messages,
  ...extra,
});
const user = (content: InputMessage['content']): InputMessage => ({ role: 'user', content });
const estimate = (messages: InputMessage[], extra: Partial<CountTokensRequest> = {}) => estimateInputTokens(request(messages, extra));

const words = (n: number) => 'lorem ipsum dolor sit amet '.repeat(n);
const base64 = (bytes: number) => 'A'.repeat(Math.ceil(bytes / 3) * 4);
const image = (data: string): ContentBlock => ({ type: 'image', source: { type: 'base64', media_type: 'image/png', data } });
const pdf = (data: string): ContentBlock => ({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } });

describe('estimateInputTokens', () => {
  it.each<[string, InputMessage[]]>([
    ['an empty string message', [user('')]],
    ['an empty block list', [user([])]],
    ['one character', [user('a')]],
    ['an empty text block', [user([{ type: 'text', text: '' }])]],
  ])('is never 0: %s', (_name, messages) => {
    expect(estimate(messages)).toBeGreaterThanOrEqual(1);
  });

  it('is a positive integer', () => {
    const n = estimate([user(words(7))]);
    expect(Number.isInteger(n)).toBe(true);
    expect(n).toBeGreaterThan(0);
  });

  it('grows with the text', () => {
    const sizes = [0, 1, 10, 100, 1000, 10_000];
    const counts = sizes.map((n) => estimate([user(words(n))]));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]!);
  });

  it('is in the right range for English text (a few characters per token)', () => {
    const text = words(1000); // 27,000 characters
    const n = estimate([user(text)]);
    expect(n).toBeGreaterThan(text.length / 6);
    expect(n).toBeLessThan(text.length / 2);
  });

  it('counts text the same whether it is a string or a text block', () => {
    const text = words(50);
    expect(estimate([user([{ type: 'text', text }])])).toBe(estimate([user(text)]));
  });

  it('grows with every message', () => {
    expect(estimate([user('a'), { role: 'assistant', content: 'b' }])).toBeGreaterThan(estimate([user('a')]));
  });

  const baseline = [user('hello')];
  const adds: Array<[string, InputMessage[], Partial<CountTokensRequest>]> = [
    ['a string system prompt', baseline, { system: words(100) }],
    ['system blocks', baseline, { system: [{ type: 'text', text: words(100) }] }],
    [
      'a tool definition',
      baseline,
      { tools: [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }] },
    ],
    ['a server tool', baseline, { tools: [{ type: 'web_search_20250305', name: 'web_search' }] }],
    ['a thinking block', [...baseline, { role: 'assistant', content: [{ type: 'thinking', thinking: words(50), signature: 's' }] }], {}],
    ['a tool_use block', [...baseline, { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Read', input: { file_path: '/a/b/c.ts' } }] }], {}],
    ['a tool_result with string content', [...baseline, user([{ type: 'tool_result', tool_use_id: 't', content: words(50) }])], {}],
    ['a tool_result with block content', [...baseline, user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: words(50) }] }])], {}],
    ['an empty tool_result', [...baseline, user([{ type: 'tool_result', tool_use_id: 't' }])], {}],
    [
      'an unknown block type',
      [...baseline, user([{ type: 'search_result', source: 'https://x', title: 't', content: [{ type: 'text', text: words(20) }] }])],
      {},
    ],
  ];

  it.each(adds)('counts %s', (_name, messages, extra) => {
    expect(estimate(messages, extra)).toBeGreaterThan(estimate(baseline));
  });

  it('counts a larger tool_use input as more', () => {
    const call = (input: unknown): InputMessage => ({ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Write', input }] });
    expect(estimate([user('x'), call({ content: words(100) })])).toBeGreaterThan(estimate([user('x'), call({ content: 'x' })]));
  });

  it('counts a larger tool_result as more', () => {
    const result = (content: string) => user([{ type: 'tool_result', tool_use_id: 't', content }]);
    expect(estimate([result(words(100))])).toBeGreaterThan(estimate([result('ok')]));
  });

  describe('images and documents have fixed costs', () => {
    it('an image adds a large fixed cost whatever its encoded size', () => {
      const small = estimate([user([image(base64(100))])]);
      const big = estimate([user([image(base64(2_000_000))])]);
      expect(small).toBe(big);
      expect(small - estimate([user([])])).toBeGreaterThanOrEqual(1000);
    });

    it('each image adds the same cost', () => {
      const one = estimate([user([image('x')])]);
      const two = estimate([user([image('x'), image('x')])]);
      const none = estimate([user([])]);
      expect(two - one).toBe(one - none);
    });

    it('an image inside a tool_result is charged too', () => {
      const withImage = estimate([user([{ type: 'tool_result', tool_use_id: 't', content: [image('x')] }])]);
      const without = estimate([user([{ type: 'tool_result', tool_use_id: 't', content: [] }])]);
      expect(withImage - without).toBeGreaterThanOrEqual(1000);
    });

    it('a PDF adds a large fixed cost per page: a bigger PDF costs more', () => {
      const none = estimate([user([])]);
      const small = estimate([user([pdf(base64(1000))])]);
      const big = estimate([user([pdf(base64(5_000_000))])]);
      expect(small - none).toBeGreaterThanOrEqual(1000);
      expect(big).toBeGreaterThan(small);
    });

    it('a plain-text document counts its text', () => {
      const doc = (data: string): ContentBlock => ({ type: 'document', source: { type: 'text', media_type: 'text/plain', data } });
      expect(estimate([user([doc(words(1000))])])).toBeGreaterThan(estimate([user([doc(words(10))])]));
      expect(estimate([user([doc(words(10))])])).toBeLessThan(1000);
    });
  });
});
