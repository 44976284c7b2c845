// When a client wants one JSON message, its upstream is asked for one too unless the answer may take
// longer than the headers wait allows; then a stream, whose headers come at once, is collected instead.

import { describe, expect, it } from 'vitest';
import { asksForStream, expectedAnswerMs } from '../../../../src-proxy/providers/shared/answer-shape.js';

describe('expectedAnswerMs', () => {
  it.each([
    [128_000, 3_600_000],
    [1024, 28_800],
    [0, 0],
  ])('reckons %i tokens at %i ms, as the official SDKs do', (tokens, ms) => {
    expect(expectedAnswerMs(tokens)).toBe(ms);
  });
});

describe('asksForStream', () => {
  const DEFAULT_WAIT = 120_000;
  it.each([
    ['the client streams', { stream: true, max_tokens: 16 }, DEFAULT_WAIT, true],
    ['a short answer (1,024 tokens: 29 s of a 120 s wait)', { stream: false, max_tokens: 1024 }, DEFAULT_WAIT, false],
    ['no stream field, a short answer', { max_tokens: 1024 }, DEFAULT_WAIT, false],
    ['exactly half the wait (2,133 tokens: 60 s)', { max_tokens: 2133 }, DEFAULT_WAIT, false],
    ['just over half the wait (2,134 tokens)', { max_tokens: 2134 }, DEFAULT_WAIT, true],
    ['a long answer (32,000 tokens: 15 min)', { stream: false, max_tokens: 32_000 }, DEFAULT_WAIT, true],
    ['a short answer under a short wait (1,024 tokens, 300 ms)', { max_tokens: 1024 }, 300, true],
    ['a tiny answer under a short wait (5 tokens: 141 ms of 300)', { max_tokens: 5 }, 300, false],
    ['no max_tokens', {}, DEFAULT_WAIT, true],
    ['a max_tokens that is not a number', { max_tokens: '5' }, DEFAULT_WAIT, true],
    ['a negative max_tokens', { max_tokens: -1 }, DEFAULT_WAIT, true],
    ['no headers wait at all', { max_tokens: 64_000 }, 0, false],
  ])('%s', (_what, body, waitMs, stream) => {
    expect(asksForStream(body, waitMs)).toBe(stream);
  });
});
