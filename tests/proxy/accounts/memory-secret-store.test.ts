import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';

describe('MemorySecretStore', () => {
  it('sets, gets and deletes secrets', async () => {
    const store = new MemorySecretStore({ a: 'key-a' });
    expect(store.get('a')).toBe('key-a');
    await store.set('b', 'key-b');
    await store.delete('a');
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBe('key-b');
  });
});
