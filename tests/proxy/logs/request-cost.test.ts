import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, priceTable } from '../../../src-proxy/contract/index.js';
import { priceEntry } from '../../../src-proxy/logs/request-cost.js';
import { makeEntry } from './entry-fixture.js';

const table = priceTable([]);
const entry = (over: Parameters<typeof makeEntry>[2]) => makeEntry('e1', 1000, over);

describe('priceEntry', () => {
  it('prices by the model that served, not the one asked for, and says what the asked one would have cost', () => {
    const priced = priceEntry(
      entry({
        inbound_model: 'claude-opus-4-5',
        mapped_model: 'glm-4.6',
        input_tokens: 10_000,
        output_tokens: 2_000,
        cache_read_input_tokens: 50_000,
        cache_creation_input_tokens: 0,
      }),
      table,
    );
    // glm-4.6: $0.60 in, $2.20 out, $0.11 cache read
    expect(priced.cost_usd).toBeCloseTo((10_000 * 0.6 + 2_000 * 2.2 + 50_000 * 0.11) / 1e6, 9);
    expect(priced.priced_as).toBe('glm-4.6*');
    // claude-opus-4-5: $5 in, $25 out, $0.50 cache read
    expect(priced.requested_cost_usd).toBeCloseTo((10_000 * 5 + 2_000 * 25 + 50_000 * 0.5) / 1e6, 9);
  });

  it('says nothing of a requested price when the model was not mapped', () => {
    expect(priceEntry(entry({ inbound_model: 'claude-sonnet-4-5', mapped_model: 'claude-sonnet-4-5' }), table).requested_cost_usd).toBeNull();
  });

  it('an unknown model has no price: null, never $0', () => {
    const priced = priceEntry(entry({ mapped_model: 'house-model-7', input_tokens: 10, output_tokens: 5 }), table);
    expect(priced).toMatchObject({ cost_usd: null, priced_as: null });
  });

  it.each([
    ['a warmup answered locally', { local: 'warmup' as const }],
    ['a token count', { route: 'count_tokens' as const }],
    ['a request with no tokens reported', { input_tokens: null, output_tokens: null }],
  ])('leaves %s unpriced', (_name, over) => {
    expect(priceEntry(entry(over), table).cost_usd).toBeNull();
  });

  it('a price the user set applies to the next request', () => {
    const mine = priceTable([{ model: 'house-model-7', input: 1, output: 2, cache_write: 0, cache_read: 0 }]);
    expect(priceEntry(entry({ mapped_model: 'house-model-7', input_tokens: 1_000_000, output_tokens: 1_000_000 }), mine).cost_usd).toBe(3);
    expect(DEFAULT_PRICES.some((r) => r.model === 'house-model-7')).toBe(false);
  });
});
