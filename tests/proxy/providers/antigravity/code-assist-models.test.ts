import { describe, expect, it } from 'vitest';
import type { ContentBlock, RequestBase } from '../../../../src-proxy/anthropic/types.js';
import { encodeSignature } from '../../../../src-proxy/providers/gemini/signature-cache.js';
import {
  CLAUDE_DEFAULT_BUDGET,
  claudeThinkingConfig,
  claudeTurnPlan,
  isClaudeModel,
  signatureFamily,
  upstreamModelFor,
} from '../../../../src-proxy/providers/antigravity/code-assist-models.js';

const OFFERED = ['claude-sonnet-4-5', 'claude-sonnet-4-5-thinking', 'claude-opus-4-5-thinking', 'gemini-2.5-flash'];

describe('upstreamModelFor', () => {
  it.each<[string, boolean, readonly string[], string]>([
    ['claude-sonnet-4-5', true, OFFERED, 'claude-sonnet-4-5-thinking'],
    ['claude-sonnet-4-5', false, OFFERED, 'claude-sonnet-4-5'],
    ['CLAUDE-SONNET-4-5', true, OFFERED, 'claude-sonnet-4-5-thinking'],
    ['claude-sonnet-4-5-thinking', true, OFFERED, 'claude-sonnet-4-5-thinking'],
    ['claude-haiku-4-5', true, OFFERED, 'claude-haiku-4-5'],
    ['gemini-2.5-flash', true, OFFERED, 'gemini-2.5-flash'],
    ['claude-sonnet-4-5', true, [], 'claude-sonnet-4-5'],
  ])('%s, thinking %s → %s', (model, thinking, offered, expected) => {
    expect(upstreamModelFor(model, thinking, offered)).toBe(expected);
  });
});

describe('signatureFamily', () => {
  it.each([
    ['claude-sonnet-4-5-thinking', 'code-assist/claude-sonnet-4-5-thinking'],
    ['claude-sonnet-4-5', 'code-assist/claude-sonnet-4-5'],
    ['gemini-3-pro-preview', 'code-assist/gemini-3-pro'],
    ['gemini-2.5-flash', 'code-assist/gemini-2.5-flash'],
  ])('%s → %s', (model, family) => {
    expect(signatureFamily(model)).toBe(family);
  });

  it('tells Claude models from the rest', () => {
    expect([isClaudeModel('claude-opus-4-5'), isClaudeModel('Claude-x'), isClaudeModel('gemini-3-pro')]).toEqual([true, true, false]);
  });
});

describe('claudeThinkingConfig', () => {
  const req = (over: Partial<RequestBase>): RequestBase => ({ model: 'm', messages: [], max_tokens: 32_000, ...over }) as RequestBase;
  it.each<[string, Partial<RequestBase>, string, object | undefined]>([
    ['no thinking asked', {}, 'claude-sonnet-4-5-thinking', undefined],
    ['thinking disabled', { thinking: { type: 'disabled' } }, 'claude-sonnet-4-5-thinking', undefined],
    ['the plain variant', { thinking: { type: 'enabled', budget_tokens: 4000 } }, 'claude-sonnet-4-5', undefined],
    ['a budget', { thinking: { type: 'enabled', budget_tokens: 4000 } }, 'claude-sonnet-4-5-thinking', { includeThoughts: true, thinkingBudget: 4000 }],
    ['adaptive', { thinking: { type: 'adaptive' } }, 'claude-sonnet-4-5-thinking', { includeThoughts: true, thinkingBudget: CLAUDE_DEFAULT_BUDGET }],
    [
      'adaptive with an effort',
      { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } },
      'claude-opus-4-5-thinking',
      { includeThoughts: true, thinkingBudget: 2048 },
    ],
    [
      'a budget at max_tokens',
      { thinking: { type: 'enabled', budget_tokens: 8000 }, max_tokens: 8000 },
      'claude-sonnet-4-5-thinking',
      { includeThoughts: true, thinkingBudget: 7999 },
    ],
    [
      'a budget below the minimum',
      { thinking: { type: 'enabled', budget_tokens: 100 } },
      'claude-sonnet-4-5-thinking',
      { includeThoughts: true, thinkingBudget: 1024 },
    ],
    [
      'thoughts omitted',
      { thinking: { type: 'enabled', budget_tokens: 2048, display: 'omitted' } },
      'claude-sonnet-4-5-thinking',
      { includeThoughts: false, thinkingBudget: 2048 },
    ],
  ])('%s', (_t, over, model, expected) => {
    expect(claudeThinkingConfig(req(over), model)).toEqual(expected);
  });
});

describe('claudeTurnPlan', () => {
  const VARIANT = 'claude-sonnet-4-5-thinking';
  const own = encodeSignature(signatureFamily(VARIANT), 'THOUGHT', 'CALL');
  const toolLoop = (first: ContentBlock[], thinking: unknown = { type: 'enabled', budget_tokens: 2048 }): RequestBase => ({
    model: 'claude-sonnet-4-5',
    thinking,
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [...first, { type: 'tool_use', id: 't', name: 'Bash', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] },
    ],
  });
  const block = (signature: string): ContentBlock => ({ type: 'thinking', thinking: 'hmm', signature });

  it.each<[string, RequestBase, string, readonly string[], { model: string; thinkingOff: boolean }]>([
    ['its own signed thinking first: as it is', toolLoop([block(own)]), VARIANT, OFFERED, { model: VARIANT, thinkingOff: false }],
    [
      "another Claude's thinking: off, on the plain model it offers",
      toolLoop([block(encodeSignature(signatureFamily('claude-opus-4-5-thinking'), 'T'))]),
      VARIANT,
      OFFERED,
      { model: 'claude-sonnet-4-5', thinkingOff: true },
    ],
    ["Anthropic's thinking: off", toolLoop([block('EqQBCkgIARAB')]), VARIANT, OFFERED, { model: 'claude-sonnet-4-5', thinkingOff: true }],
    [
      "only the call's signature, no thought's: off",
      toolLoop([block(encodeSignature(signatureFamily(VARIANT), undefined, 'CALL'))]),
      VARIANT,
      OFFERED,
      { model: 'claude-sonnet-4-5', thinkingOff: true },
    ],
    ['no thinking block: off', toolLoop([]), VARIANT, OFFERED, { model: 'claude-sonnet-4-5', thinkingOff: true }],
    ['no plain model offered: off on the variant', toolLoop([]), 'claude-opus-4-5-thinking', OFFERED, { model: 'claude-opus-4-5-thinking', thinkingOff: true }],
    ['thinking not asked for: as it is', toolLoop([], { type: 'disabled' }), 'claude-sonnet-4-5', OFFERED, { model: 'claude-sonnet-4-5', thinkingOff: false }],
    ['a Gemini model: as it is', toolLoop([]), 'gemini-2.5-flash', OFFERED, { model: 'gemini-2.5-flash', thinkingOff: false }],
  ])('%s', (_title, req, model, offered, expected) => {
    expect(claudeTurnPlan(req, model, offered)).toEqual(expected);
  });
});
