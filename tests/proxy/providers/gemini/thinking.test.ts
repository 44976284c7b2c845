import { describe, expect, it } from 'vitest';
import type { RequestBase } from '../../../../src-proxy/anthropic/types.js';
import { clientWantsThinking, geminiModelProfile, levelForBudget, thinkingConfigFor } from '../../../../src-proxy/providers/gemini/thinking.js';

const req = (extra: Record<string, unknown> = {}): RequestBase => ({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], ...extra });
const enabled = (budget_tokens: number, extra: Record<string, unknown> = {}) => ({ thinking: { type: 'enabled', budget_tokens, ...extra } });
const adaptive = (extra: Record<string, unknown> = {}) => ({ thinking: { type: 'adaptive', ...extra } });
const effort = (e: string) => ({ output_config: { effort: e } });

describe('geminiModelProfile', () => {
  const families: Array<[string, string, string]> = [
    ['gemini-3-pro-preview', 'gemini-3-pro', 'level'],
    ['gemini-3-flash-preview', 'gemini-3-flash', 'level'],
    ['gemini-3.1-pro-preview-customtools', 'gemini-3.1-pro', 'level'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash', 'budget'],
    ['gemini-2.5-flash-lite-preview-09-2025', 'gemini-2.5-flash-lite', 'budget'],
    ['gemini-2.5-pro', 'gemini-2.5-pro', 'budget'],
    ['GEMINI-2.5-PRO', 'gemini-2.5-pro', 'budget'],
    ['gemini-2.0-flash', 'gemini-2.0-flash', 'none'],
    ['gemini-flash-latest (an alias: its own family, a budget every thinking Gemini accepts)', 'gemini-flash-latest', 'budget'],
    ['claude-sonnet-4-5 (not a Gemini model: no thinking config)', 'claude-sonnet-4-5', 'none'],
  ];
  it.each(families)('%s → family %s, %s thinking', (model, family, style) => {
    const id = model.split(' ')[0]!;
    const profile = geminiModelProfile(id);
    expect(profile.family).toBe(family);
    expect(profile.thinking.style).toBe(style);
  });

  it('only Gemini 3 enforces signatures and takes media inside function responses', () => {
    expect(geminiModelProfile('gemini-3-flash').requiresSignatures).toBe(true);
    expect(geminiModelProfile('gemini-3-flash').multimodalFunctionResponses).toBe(true);
    expect(geminiModelProfile('gemini-2.5-pro').requiresSignatures).toBe(false);
    expect(geminiModelProfile('gemini-2.5-pro').multimodalFunctionResponses).toBe(false);
  });

  it('knows the output limit of the families it recognises', () => {
    expect(geminiModelProfile('gemini-2.5-pro').maxOutputTokens).toBe(65536);
    expect(geminiModelProfile('gemini-3-pro-preview').maxOutputTokens).toBe(65536);
    expect(geminiModelProfile('gemini-flash-latest').maxOutputTokens).toBeNull();
  });
});

describe('levelForBudget', () => {
  it.each([
    [1024, 'LOW'],
    [4095, 'LOW'],
    [4096, 'MEDIUM'],
    [16383, 'MEDIUM'],
    [16384, 'HIGH'],
    [64000, 'HIGH'],
  ])('%i → %s', (budget, level) => expect(levelForBudget(budget)).toBe(level));
});

describe('clientWantsThinking', () => {
  it.each([
    ['absent', {}, false],
    ['disabled', { thinking: { type: 'disabled' } }, false],
    ['enabled', enabled(2048), true],
    ['adaptive', adaptive(), true],
    ['a newer type (between_tools)', { thinking: { type: 'between_tools' } }, true],
    ['not an object', { thinking: 'yes' }, false],
  ])('%s → %s', (_name, extra, expected) => expect(clientWantsThinking(req(extra))).toBe(expected));
});

describe('thinkingConfigFor', () => {
  const rows: Array<[string, string, Record<string, unknown>, unknown]> = [
    // 2.5 family: a budget
    ['2.5 Flash, thinking absent: off', 'gemini-2.5-flash', {}, { includeThoughts: false, thinkingBudget: 0 }],
    ['2.5 Flash, disabled: off', 'gemini-2.5-flash', { thinking: { type: 'disabled' } }, { includeThoughts: false, thinkingBudget: 0 }],
    ['2.5 Flash-Lite, disabled: off', 'gemini-2.5-flash-lite', { thinking: { type: 'disabled' } }, { includeThoughts: false, thinkingBudget: 0 }],
    [
      '2.5 Pro, disabled: cannot switch off, so its minimum',
      'gemini-2.5-pro',
      { thinking: { type: 'disabled' } },
      { includeThoughts: false, thinkingBudget: 128 },
    ],
    ['2.5 Flash, enabled 10000: that budget', 'gemini-2.5-flash', enabled(10000), { includeThoughts: true, thinkingBudget: 10000 }],
    ['2.5 Flash, enabled 31999: clamped to Flash max', 'gemini-2.5-flash', enabled(31999), { includeThoughts: true, thinkingBudget: 24576 }],
    ['2.5 Pro, enabled 60000: clamped to Pro max', 'gemini-2.5-pro', enabled(60000), { includeThoughts: true, thinkingBudget: 32768 }],
    ['2.5 Flash-Lite, enabled 100: raised to Lite min', 'gemini-2.5-flash-lite', enabled(100), { includeThoughts: true, thinkingBudget: 512 }],
    ['2.5 Pro, adaptive: dynamic', 'gemini-2.5-pro', adaptive(), { includeThoughts: true, thinkingBudget: -1 }],
    ['2.5 Pro, adaptive + effort low', 'gemini-2.5-pro', { ...adaptive(), ...effort('low') }, { includeThoughts: true, thinkingBudget: 2048 }],
    ['2.5 Pro, adaptive + effort medium', 'gemini-2.5-pro', { ...adaptive(), ...effort('medium') }, { includeThoughts: true, thinkingBudget: 8192 }],
    ['2.5 Pro, adaptive + effort high', 'gemini-2.5-pro', { ...adaptive(), ...effort('high') }, { includeThoughts: true, thinkingBudget: 24576 }],
    ['2.5 Pro, adaptive + effort xhigh', 'gemini-2.5-pro', { ...adaptive(), ...effort('xhigh') }, { includeThoughts: true, thinkingBudget: 32768 }],
    [
      '2.5 Flash, adaptive + effort xhigh: clamped',
      'gemini-2.5-flash',
      { ...adaptive(), ...effort('xhigh') },
      { includeThoughts: true, thinkingBudget: 24576 },
    ],
    ['2.5 Pro, adaptive + effort max: dynamic', 'gemini-2.5-pro', { ...adaptive(), ...effort('max') }, { includeThoughts: true, thinkingBudget: -1 }],
    ['2.5 Pro, adaptive + unknown effort: ignored', 'gemini-2.5-pro', { ...adaptive(), ...effort('turbo') }, { includeThoughts: true, thinkingBudget: -1 }],
    [
      '2.5 Pro, enabled + effort: the explicit budget wins',
      'gemini-2.5-pro',
      { ...enabled(4000), ...effort('max') },
      { includeThoughts: true, thinkingBudget: 4000 },
    ],
    ['2.5 Pro, effort without thinking: still off', 'gemini-2.5-pro', effort('high'), { includeThoughts: false, thinkingBudget: 128 }],
    [
      '2.5 Pro, display omitted: thinks, shows no thoughts',
      'gemini-2.5-pro',
      enabled(8000, { display: 'omitted' }),
      { includeThoughts: false, thinkingBudget: 8000 },
    ],
    ['2.5 Pro, a newer thinking type: like adaptive', 'gemini-2.5-pro', { thinking: { type: 'between_tools' } }, { includeThoughts: true, thinkingBudget: -1 }],
    ['2.5 Pro, enabled without a budget: like adaptive', 'gemini-2.5-pro', { thinking: { type: 'enabled' } }, { includeThoughts: true, thinkingBudget: -1 }],
    // 3 family: a level, never off
    ['3 Pro, absent: lowest level, no thoughts', 'gemini-3-pro-preview', {}, { includeThoughts: false, thinkingLevel: 'LOW' }],
    ['3 Flash, disabled: MINIMAL', 'gemini-3-flash-preview', { thinking: { type: 'disabled' } }, { includeThoughts: false, thinkingLevel: 'MINIMAL' }],
    ['3 Flash, enabled 2000: LOW', 'gemini-3-flash-preview', enabled(2000), { includeThoughts: true, thinkingLevel: 'LOW' }],
    ['3 Flash, enabled 8000: MEDIUM', 'gemini-3-flash-preview', enabled(8000), { includeThoughts: true, thinkingLevel: 'MEDIUM' }],
    ['3 Flash, enabled 31999: HIGH', 'gemini-3-flash-preview', enabled(31999), { includeThoughts: true, thinkingLevel: 'HIGH' }],
    ['3 Pro, enabled 8000: MEDIUM is not a 3.0 Pro level, so HIGH', 'gemini-3-pro-preview', enabled(8000), { includeThoughts: true, thinkingLevel: 'HIGH' }],
    ['3.1 Pro, enabled 8000: MEDIUM', 'gemini-3.1-pro-preview', enabled(8000), { includeThoughts: true, thinkingLevel: 'MEDIUM' }],
    ['3 Pro, adaptive: the model default level', 'gemini-3-pro-preview', adaptive(), { includeThoughts: true }],
    ['3 Flash, adaptive + effort low', 'gemini-3-flash-preview', { ...adaptive(), ...effort('low') }, { includeThoughts: true, thinkingLevel: 'LOW' }],
    ['3 Flash, adaptive + effort medium', 'gemini-3-flash-preview', { ...adaptive(), ...effort('medium') }, { includeThoughts: true, thinkingLevel: 'MEDIUM' }],
    ['3 Flash, adaptive + effort high', 'gemini-3-flash-preview', { ...adaptive(), ...effort('high') }, { includeThoughts: true, thinkingLevel: 'HIGH' }],
    ['3 Flash, adaptive + effort max', 'gemini-3-flash-preview', { ...adaptive(), ...effort('max') }, { includeThoughts: true, thinkingLevel: 'HIGH' }],
    ['3 Pro, adaptive + display omitted', 'gemini-3-pro-preview', adaptive({ display: 'omitted' }), { includeThoughts: false }],
    // models without thinking, and unknown ones
    ['2.0 Flash: no thinking config at all', 'gemini-2.0-flash', enabled(4000), undefined],
    ['an alias, thinking off: the model default', 'gemini-flash-latest', {}, undefined],
    ['an alias, enabled: a budget', 'gemini-flash-latest', enabled(4000), { includeThoughts: true, thinkingBudget: 4000 }],
  ];

  it.each(rows)('%s', (_name, model, extra, expected) => {
    expect(thinkingConfigFor(req(extra), model)).toEqual(expected);
  });

  it('never sends a budget and a level together', () => {
    for (const [, model, extra] of rows) {
      const config = thinkingConfigFor(req(extra), model);
      expect(config && 'thinkingBudget' in config && 'thinkingLevel' in config).toBeFalsy();
    }
  });
});
