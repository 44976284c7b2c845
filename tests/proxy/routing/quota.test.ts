import { describe, expect, it } from 'vitest';
import type { ModelQuota } from '../../../src-proxy/contract/index.js';
import { mostQuotaLeft, quotaExhaustedUntil, quotaLeft, rateLimitedUntil } from '../../../src-proxy/routing/quota.js';

const NOW = 1_000_000;
const MODEL = 'claude-sonnet-4-5';
const holder = (...quota: ModelQuota[]) => ({ learned: { quota } });
const q = (remaining: number, resets_at: number | null = NOW + 1000, model = MODEL): ModelQuota => ({ model, remaining, resets_at });

describe('quotaExhaustedUntil', () => {
  it.each<[string, ReturnType<typeof holder> | object, number | null]>([
    ['no learned state', {}, null],
    ['no quota data', holder(), null],
    ['quota left', holder(q(0.2)), null],
    ['spent, reset ahead', holder(q(0, NOW + 5000)), NOW + 5000],
    ['spent, reset passed', holder(q(0, NOW - 1)), null],
    ['spent, reset exactly now', holder(q(0, NOW)), null],
    ['spent, no reset named', holder(q(0, null)), Infinity],
    ['spent for another model only', holder(q(0, NOW + 5000, 'gemini-2.5-flash')), null],
    ['model names compared without case', holder(q(0, NOW + 5000, 'Claude-Sonnet-4-5')), NOW + 5000],
  ])('%s', (_t, c, expected) => {
    expect(quotaExhaustedUntil(c, MODEL, NOW)).toBe(expected);
  });
});

describe('quotaLeft', () => {
  it.each<[string, object, number]>([
    ['no data counts as full', {}, 1],
    ['the fraction reported', holder(q(0.35)), 0.35],
    ['a passed reset counts as full', holder(q(0.1, NOW - 1)), 1],
    ['spent', holder(q(0)), 0],
  ])('%s', (_t, c, expected) => {
    expect(quotaLeft(c, MODEL, NOW)).toBe(expected);
  });
});

describe('mostQuotaLeft', () => {
  it.each<[string, object[], number[], number[]]>([
    ['the one with the most left', [holder(q(0.2)), holder(q(0.9)), holder(q(0.5))], [0, 1, 2], [1]],
    ['ties all stay', [holder(q(0.5)), holder(q(0.5)), holder(q(0.1))], [0, 1, 2], [0, 1]],
    ['no data anywhere keeps everyone', [{}, {}, {}], [0, 1, 2], [0, 1, 2]],
    ['no data ranks as full', [holder(q(0.7)), {}], [0, 1], [1]],
    ['only pool members count', [holder(q(0.9)), holder(q(0.2)), holder(q(0.3))], [1, 2], [2]],
  ])('%s', (_t, accounts, pool, expected) => {
    expect(mostQuotaLeft(accounts, pool, MODEL, NOW)).toEqual(expected);
  });
});

describe('rateLimitedUntil', () => {
  const w = (remaining: number | null, resets_at: number | null, window: 'requests' | 'tokens' = 'requests') => ({ window, limit: 50, remaining, resets_at });
  it.each<[string, ReturnType<typeof w>[] | undefined, number | null]>([
    ['nothing reported', undefined, null],
    ['room left', [w(3, NOW + 10)], null],
    ['a window used up until its reset', [w(0, NOW + 10)], NOW + 10],
    ['the latest of several used up', [w(0, NOW + 10), w(0, NOW + 50, 'tokens')], NOW + 50],
    ['a used-up window whose reset has passed', [w(0, NOW - 1)], null],
    ['a used-up window without a reset: not held on a guess', [w(0, null)], null],
  ])('%s', (_title, rate_limits, expected) => {
    expect(rateLimitedUntil(rate_limits ? { learned: { quota: [], rate_limits } } : {}, NOW)).toBe(expected);
  });
});
