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
    // Only the variant offered: it serves the plain id, thinking asked for or not.
    ['claude-opus-4-5', false, OFFERED, 'claude-opus-4-5-thinking'],
    ['claude-opus-4-5', true, OFFERED, 'claude-opus-4-5-thinking'],
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
    ['no thinking asked: the variant still thinks, least and unseen', {}, 'claude-sonnet-4-5-thinking', { includeThoughts: false, thinkingBudget: 1024 }],
    ['thinking disabled: the same', { thinking: { type: 'disabled' } }, 'claude-sonnet-4-5-thinking', { includeThoughts: false, thinkingBudget: 1024 }],
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
  const asIs = (model: string) => ({ model, thinkingOff: false, toolTurnAsText: false });
  const off = { model: 'claude-sonnet-4-5', thinkingOff: true, toolTurnAsText: false };

  it.each<[string, RequestBase, string, { model: string; thinkingOff: boolean; toolTurnAsText: boolean }]>([
    ['its own signed thinking first: as it is', toolLoop([block(own)]), VARIANT, asIs(VARIANT)],
    [
      "another Claude's thinking: off, on the plain model it offers",
      toolLoop([block(encodeSignature(signatureFamily('claude-opus-4-5-thinking'), 'T'))]),
      VARIANT,
      off,
    ],
    ["Anthropic's thinking: off", toolLoop([block('EqQBCkgIARAB')]), VARIANT, off],
    ["only the call's signature, no thought's: off", toolLoop([block(encodeSignature(signatureFamily(VARIANT), undefined, 'CALL'))]), VARIANT, off],
    ['no thinking block: off', toolLoop([]), VARIANT, off],
    [
      'no plain model offered: the tool turn goes as text, thinking stays on',
      toolLoop([]),
      'claude-opus-4-5-thinking',
      { model: 'claude-opus-4-5-thinking', thinkingOff: false, toolTurnAsText: true },
    ],
    ['the plain model: as it is', toolLoop([], { type: 'disabled' }), 'claude-sonnet-4-5', asIs('claude-sonnet-4-5')],
    ['a Gemini model: as it is', toolLoop([]), 'gemini-2.5-flash', asIs('gemini-2.5-flash')],
  ])('%s', (_title, req, model, expected) => {
    expect(claudeTurnPlan(req, model, OFFERED)).toEqual(expected);
  });

  it('takes the thought the gateway kept for a client that was not shown it', () => {
    const kept = { family: signatureFamily(VARIANT), thought: { signature: 'T', text: '' } };
    expect(claudeTurnPlan(toolLoop([], { type: 'disabled' }), VARIANT, OFFERED, (id) => (id === 't' ? kept : undefined))).toEqual(asIs(VARIANT));
    const other = { family: signatureFamily('claude-opus-4-5-thinking'), thought: { signature: 'T', text: '' } };
    expect(claudeTurnPlan(toolLoop([], { type: 'disabled' }), VARIANT, OFFERED, () => other).toolTurnAsText).toBe(true);
  });
});
