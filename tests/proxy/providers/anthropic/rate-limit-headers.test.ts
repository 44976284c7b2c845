import { describe, expect, it } from 'vitest';
import { readRateLimits } from '../../../../src-proxy/providers/anthropic/rate-limit-headers.js';

const RESET = '2026-12-07T14:05:00Z';

describe('readRateLimits', () => {
  it('reads each window the headers name, in a fixed order', () => {
    expect(
      readRateLimits({
        'anthropic-ratelimit-tokens-limit': '80000',
        'anthropic-ratelimit-tokens-remaining': '79000',
        'anthropic-ratelimit-tokens-reset': RESET,
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': RESET,
        'anthropic-ratelimit-output-tokens-remaining': '100',
      }),
    ).toEqual([
      { window: 'requests', limit: 50, remaining: 0, resets_at: Date.parse(RESET) },
      { window: 'tokens', limit: 80000, remaining: 79000, resets_at: Date.parse(RESET) },
      { window: 'output-tokens', limit: null, remaining: 100, resets_at: null },
    ]);
  });

  it.each<[string, Record<string, string>]>([
    ['no such headers', { 'content-type': 'application/json' }],
    ['a reset alone', { 'anthropic-ratelimit-requests-reset': RESET }],
    ['numbers that are not counts', { 'anthropic-ratelimit-requests-limit': 'many', 'anthropic-ratelimit-requests-remaining': '-1' }],
  ])('reads nothing from %s', (_title, headers) => {
    expect(readRateLimits(headers)).toEqual([]);
  });
});
