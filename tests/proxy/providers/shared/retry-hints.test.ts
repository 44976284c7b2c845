import { describe, expect, it } from 'vitest';
import { durationMs, retryAfterHeaderMs } from '../../../../src-proxy/providers/shared/retry-hints.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryAfterHeaderMs', () => {
  it.each<[string, Record<string, string>, number | null]>([
    ['nothing', {}, null],
    ['retry-after-ms wins', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['retry-after in seconds', { 'retry-after': '7' }, 7000],
    ['retry-after as a date', { 'retry-after': new Date(NOW + 3000).toUTCString() }, 3000],
    ['a date in the past is now', { 'retry-after': new Date(NOW - 3000).toUTCString() }, 0],
    ['garbage', { 'retry-after': 'soon' }, null],
    ['a negative ms', { 'retry-after-ms': '-5' }, null],
  ])('%s', (_title, headers, expected) => {
    expect(retryAfterHeaderMs(headers, NOW)).toBe(expected);
  });
});

describe('durationMs (protobuf JSON durations, as in Google RetryInfo)', () => {
  it.each<[unknown, number | null]>([
    ['12s', 12_000],
    ['0.5s', 500],
    ['1.2501s', 1251],
    [' 3s ', 3000],
    ['12', null],
    ['12ms', null],
    [12, null],
    [null, null],
  ])('%j -> %j', (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });
});
