// The secret port: API keys and refresh tokens live apart from accounts (Electron safeStorage on desktop,
// a 0600 file headless), keyed by account id. Implementations never put a secret into an error or a log.

export interface SecretStore {
  get(id: string): string | undefined;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<void>;
}
