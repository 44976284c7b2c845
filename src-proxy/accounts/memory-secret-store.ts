// Secrets that live only as long as the process: tests, and headless runs fed from environment variables.

import type { SecretStore } from './secret-store.js';

export class MemorySecretStore implements SecretStore {
  private readonly secrets: Map<string, string>;

  constructor(initial: Readonly<Record<string, string>> = {}) {
    this.secrets = new Map(Object.entries(initial));
  }

  get(id: string): string | undefined {
    return this.secrets.get(id);
  }

  async set(id: string, secret: string): Promise<void> {
    this.secrets.set(id, secret);
  }

  async delete(id: string): Promise<void> {
    this.secrets.delete(id);
  }
}
