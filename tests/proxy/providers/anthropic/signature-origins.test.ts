import { describe, expect, it } from 'vitest';
import { SignatureOrigins } from '../../../../src-proxy/providers/anthropic/signature-origins.js';

const ANTHROPIC = 'https://api.anthropic.com';
const ZAI = 'https://api.z.ai/api/anthropic';
const sig = (n: number) => `${'E'.repeat(300)}${String(n).padStart(6, '0')}`;

describe('SignatureOrigins', () => {
  it('knows which upstream signed a thinking block, and calls it foreign to every other', () => {
    const origins = new SignatureOrigins();
    origins.remember(sig(1), ZAI);
    expect(origins.originOf(sig(1))).toBe(ZAI);
    expect(origins.foreignTo(sig(1), ANTHROPIC)).toBe(true);
    expect(origins.foreignTo(sig(1), ZAI)).toBe(false);
  });

  it('trusts a signature it never saw: the client had it from an upstream that verifies it', () => {
    expect(new SignatureOrigins().foreignTo(sig(2), ANTHROPIC)).toBe(false);
  });

  it('keeps the latest origin of a signature seen twice', () => {
    const origins = new SignatureOrigins();
    origins.remember(sig(3), ZAI);
    origins.remember(sig(3), ANTHROPIC);
    expect(origins.foreignTo(sig(3), ANTHROPIC)).toBe(false);
  });

  it('forgets the least recently seen signature beyond its bound', () => {
    const origins = new SignatureOrigins(2);
    origins.remember(sig(1), ZAI);
    origins.remember(sig(2), ZAI);
    origins.remember(sig(1), ZAI);
    origins.remember(sig(3), ZAI);
    expect([origins.originOf(sig(1)), origins.originOf(sig(2)), origins.originOf(sig(3))]).toEqual([ZAI, undefined, ZAI]);
  });

  it('ignores an empty signature', () => {
    const origins = new SignatureOrigins();
    origins.remember('', ZAI);
    expect(origins.originOf('')).toBeUndefined();
  });
});
