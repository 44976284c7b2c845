// Secrets at rest on the desktop: sealed with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet),
// through its asynchronous API (the synchronous one is deprecated in Electron 45 and goes in 46). Where
// the OS offers no keychain (Linux without a secret service: safeStorage then falls back to a fixed
// key), secrets are stored as they are in the user's own profile folder, and the console says so.
// Each stored value says how it was stored, so a keychain that comes or goes later still reads old ones,
// and a value stored plainly is sealed once a keychain is there.

import type { OpenedSecret, SecretCodec } from '../../src-proxy/accounts/file-secret-store.js';

/** The part of Electron's safeStorage the desktop uses. */
export interface SafeStorageLike {
  /** Resolves once the keychain has answered (lazily, on first use after `ready`). */
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(text: string): Promise<Buffer>;
  /** `shouldReEncrypt`: the keychain rotated its key, or offers a better one; the value should be sealed again. */
  decryptStringAsync(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: which backend seals; `basic_text` is a fixed key, no protection. */
  getSelectedStorageBackend?(): string;
}

const SEALED = 'safe:';
const PLAIN = 'plain:';

export async function keychainAvailable(safeStorage: SafeStorageLike, platform: string): Promise<boolean> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend !== 'basic_text' && backend !== 'unknown';
}

export function safeStorageCodec(safeStorage: SafeStorageLike, protect: boolean): SecretCodec {
  return {
    seal: async (secret) => (protect ? SEALED + (await safeStorage.encryptStringAsync(secret)).toString('base64') : PLAIN + secret),
    async open(stored): Promise<OpenedSecret> {
      if (stored.startsWith(PLAIN)) return { secret: stored.slice(PLAIN.length), reseal: protect };
      if (stored.startsWith(SEALED)) {
        const opened = await safeStorage.decryptStringAsync(Buffer.from(stored.slice(SEALED.length), 'base64'));
        // Without protection now, a sealed value is left sealed rather than rewritten plainly.
        return { secret: opened.result, reseal: opened.shouldReEncrypt && protect };
      }
      throw new Error('unknown secret encoding');
    },
  };
}
