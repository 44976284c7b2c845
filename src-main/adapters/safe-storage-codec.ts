// Secrets at rest on the desktop: sealed with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet).
// Where the OS offers no keychain (Linux without a secret service: safeStorage then falls back to a
// fixed key), secrets are stored as they are in the user's own profile folder, and the console says so.
// Each stored value says how it was stored, so a keychain that comes or goes later still reads old ones.

import type { SecretCodec } from '../../src-proxy/accounts/file-secret-store.js';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
  /** Linux only: which backend seals; `basic_text` is a fixed key, no protection. */
  getSelectedStorageBackend?(): string;
}

const SEALED = 'safe:';
const PLAIN = 'plain:';

export function keychainAvailable(safeStorage: SafeStorageLike, platform: string): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend !== 'basic_text' && backend !== 'unknown';
}

export function safeStorageCodec(safeStorage: SafeStorageLike, protect: boolean): SecretCodec {
  return {
    seal: (secret) => (protect ? SEALED + safeStorage.encryptString(secret).toString('base64') : PLAIN + secret),
    open(stored) {
      if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
      if (stored.startsWith(SEALED)) return safeStorage.decryptString(Buffer.from(stored.slice(SEALED.length), 'base64'));
      throw new Error('unknown secret encoding');
    },
  };
}
