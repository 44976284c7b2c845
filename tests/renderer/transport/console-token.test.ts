import { describe, expect, it, vi } from 'vitest';
import { forgetConsoleToken, storeConsoleToken, takeConsoleToken, type TokenPlace } from '../../../src-renderer/transport/console-token.js';

function place(hash: string) {
  const store = new Map<string, string>();
  const replaceState = vi.fn();
  const p: TokenPlace = {
    location: { hash, pathname: '/ui/', search: '' },
    history: { replaceState },
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
  };
  return { p, replaceState };
}

describe('the console token', () => {
  it('moves from the URL fragment to session storage and clears the fragment', () => {
    const { p, replaceState } = place('#token=abc_DEF-123');
    expect(takeConsoleToken(p)).toBe('abc_DEF-123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/ui/');
    p.location.hash = '';
    expect(takeConsoleToken(p)).toBe('abc_DEF-123');
  });

  it('is null without a fragment or a stored token, and the address is left alone', () => {
    const { p, replaceState } = place('');
    expect(takeConsoleToken(p)).toBeNull();
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('can be stored from the prompt and forgotten when refused', () => {
    const { p } = place('');
    storeConsoleToken(p.storage, '  pasted  ');
    expect(takeConsoleToken(p)).toBe('pasted');
    forgetConsoleToken(p.storage);
    expect(takeConsoleToken(p)).toBeNull();
  });
});
