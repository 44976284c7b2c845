// What the core shows of the secrets kept in settings: enough to tell which one is set, never the secret.

import { describe, expect, it } from 'vitest';
import { maskedClientSecret, maskedRedisUrl } from '../../../src-proxy/contract/index.js';

describe('maskedRedisUrl', () => {
  it.each([
    ['', ''],
    ['redis://127.0.0.1:6379/0', 'redis://127.0.0.1:6379/0'],
    ['redis://user@10.0.0.5:6379', 'redis://user@10.0.0.5:6379'],
    ['redis://:pa55@10.0.0.5:6379/1', 'redis://:********@10.0.0.5:6379/1'],
    ['rediss://team:pa55%40word@redis.example:6380/2', 'rediss://team:********@redis.example:6380/2'],
    ['not a url with a secret', '********'],
  ])('%j is shown as %j', (url, shown) => {
    expect(maskedRedisUrl(url)).toBe(shown);
  });
});

describe('maskedClientSecret', () => {
  it.each([
    ['', ''],
    ['short', '********'],
    ['GOCSPX-0123456789abcdef', 'GOCS********'],
  ])('%j is shown as %j', (secret, shown) => {
    expect(maskedClientSecret(secret)).toBe(shown);
  });
});
