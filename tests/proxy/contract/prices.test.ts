import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_PRICES, findPrice, priceTable, PriceRowsSchema, type PriceRow } from '../../../src-proxy/contract/index.js';

describe('findPrice in the shipped table', () => {
  it.each<[string, string | null]>([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4*'],
    ['claude-sonnet-4-6', 'claude-sonnet-4*'],
    ['claude-sonnet-4-6[1m]', 'claude-sonnet-4*'],
    ['claude-sonnet-5', 'claude-sonnet-5*'],
    ['claude-sonnet-5-5', 'claude-sonnet-5-5*'],
    ['claude-opus-4-5-thinking', 'claude-opus-4-5*'],
    ['claude-opus-4-1-20250805', 'claude-opus-4*'],
    ['claude-opus-4-8', 'claude-opus-4-8*'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5*'],
    ['CLAUDE-HAIKU-4-5', 'claude-haiku-4-5*'],
    ['claude-fable-5-1', 'claude-fable-5-1*'],
    ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite*'],
    ['gemini-2.5-flash', 'gemini-2.5-flash*'],
    ['gemini-3-pro-preview', 'gemini-3-pro*'],
    ['gemini-3-pro-high', 'gemini-3-pro*'],
    ['glm-4.6', 'glm-4.6*'],
    ['glm-4.5-air', 'glm-4.5-air*'],
    ['deepseek-flash', 'deepseek-flash*'],
    ['deepseek-v4-flash', 'deepseek-v4-flash*'],
    ['deepseek-v4-pro', 'deepseek-v4-pro*'],
    ['deepseek-chat', null],
    ['MiniMax-M2', 'minimax-m2*'],
    ['kimi-k2-turbo-preview', 'kimi-k2-turbo*'],
    ['kimi-k2-0905-preview', 'kimi-k2*'],
    ['some-model-nobody-priced', null],
    ['deepseek-reasoner', null],
  ])('%s is priced by %s', (model, row) => {
    expect(findPrice(model, DEFAULT_PRICES)?.model ?? null).toBe(row);
  });

  it('ships the four rates of every row', () => {
    for (const r of DEFAULT_PRICES) for (const v of [r.input, r.output, r.cache_write, r.cache_read]) expect(v).toBeGreaterThanOrEqual(0);
    expect(PriceRowsSchema.safeParse(DEFAULT_PRICES).success).toBe(true);
  });
});

describe('priceTable', () => {
  const mine: PriceRow = { model: 'GLM-4.6*', input: 0.5, output: 2, cache_write: 0.5, cache_read: 0.1 };
  it("replaces the shipped row of the same model with the user's, and adds new ones", () => {
    const table = priceTable([mine, { model: 'my-model', input: 1, output: 1, cache_write: 1, cache_read: 1 }]);
    expect(findPrice('glm-4.6', table)).toEqual(mine);
    expect(findPrice('my-model', table)?.model).toBe('my-model');
    expect(table).toHaveLength(DEFAULT_PRICES.length + 1);
  });

  it('an exact id wins over any pattern', () => {
    expect(findPrice('glm-4.6', priceTable([{ ...mine, model: 'glm-4.6' }]))?.model).toBe('glm-4.6');
  });

  it('gives the same answer every time it is asked, and a new table its own', () => {
    const first = priceTable([mine]);
    for (let i = 0; i < 3; i++) expect(findPrice('GLM-4.6', first)).toEqual(mine);
    expect(findPrice('nobody-prices-this', first)).toBeNull();
    expect(findPrice('nobody-prices-this', first)).toBeNull();
    const second = priceTable([{ ...mine, input: 9 }]);
    expect(findPrice('GLM-4.6', second)?.input).toBe(9);
    expect(findPrice('GLM-4.6', first)?.input).toBe(0.5);
  });

  it('keeps answering rightly past the most answers it keeps per table', () => {
    const table = priceTable([mine]);
    for (let i = 0; i < 600; i++) expect(findPrice(`glm-4.6-variant-${i}`, table)).toEqual(mine);
    expect(findPrice('claude-opus-4-5', table)?.model).toMatch(/^claude-opus-4-5/);
  });

  it('refuses two rows for one model', () => {
    expect(PriceRowsSchema.safeParse([mine, { ...mine, model: 'glm-4.6*' }]).success).toBe(false);
  });
});

describe('costOf', () => {
  it('charges input, output, cache writes and cache reads at their own rates', () => {
    const sonnet = findPrice('claude-sonnet-4-6', DEFAULT_PRICES)!;
    const usage = { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 2000, cache_read_input_tokens: 10_000 };
    // 1000 × $3 + 500 × $15 + 2000 × $3.75 + 10000 × $0.30, per million
    expect(costOf(usage, sonnet)).toBeCloseTo((3000 + 7500 + 7500 + 3000) / 1e6, 12);
  });

  it('counts tokens not reported as none', () => {
    expect(costOf({ input_tokens: null, output_tokens: 1_000_000, cache_creation_input_tokens: null, cache_read_input_tokens: null }, DEFAULT_PRICES[0]!)).toBe(
      50,
    );
  });
});
