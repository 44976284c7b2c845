import { describe, expect, it } from 'vitest';
import { BaseUrls } from '../../../../src-proxy/providers/shared/base-urls.js';

describe('BaseUrls', () => {
  it.each([
    ['https://api.anthropic.com', { origin: 'https://api.anthropic.com', path: '' }],
    ['https://api.z.ai/api/anthropic', { origin: 'https://api.z.ai', path: '/api/anthropic' }],
    ['http://127.0.0.1:9000/prefix/', { origin: 'http://127.0.0.1:9000', path: '/prefix' }],
  ])('%s', (url, expected) => {
    expect(new BaseUrls().of(url)).toEqual(expected);
  });

  it('parses a URL once and gives the same answer after', () => {
    const urls = new BaseUrls();
    expect(urls.of('https://a.example/x')).toBe(urls.of('https://a.example/x'));
  });
});
