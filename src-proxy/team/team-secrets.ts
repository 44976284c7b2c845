// Account secrets of a team: sealed under the team key in the store, open only in this gateway's memory.

import type { SecretStore } from '../accounts/secret-store.js';
import type { Outbox } from './outbox.js';
import type { TeamKey } from './sealing.js';
import { requireReachable } from './team-accounts.js';
import type { TeamConnection } from './team-connection.js';

/** The additional data a secret is sealed with: it opens only as this account's secret. */
export const secretContext = (accountId: string) => `secret:${accountId}`;

export class TeamSecretStore implements SecretStore {
  private secrets = new Map<string, string>();

  constructor(
    private readonly conn: TeamConnection,
    private readonly outbox: Outbox,
    private readonly key: TeamKey,
    /** A sealed value that does not open (sealed by a gateway with another team secret). */
    private readonly onUnreadable: (accountId: string) => void,
  ) {}

  get(id: string): string | undefined {
    return this.secrets.get(id);
  }

  async set(id: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new Error(`Empty secret for account ${id}`);
    requireReachable(this.conn);
    await this.outbox.applied(this.outbox.push({ k: 'secret', id, v: this.key.seal(secret, secretContext(id)) }));
    this.secrets.set(id, secret);
  }

  async delete(id: string): Promise<void> {
    requireReachable(this.conn);
    await this.outbox.applied(this.outbox.push({ k: 'secret', id }));
    this.secrets.delete(id);
  }

  applyRemote(id: string, sealed: string | null): void {
    if (sealed === null) {
      this.secrets.delete(id);
      return;
    }
    try {
      this.secrets.set(id, this.key.open(sealed, secretContext(id)));
    } catch {
      this.secrets.delete(id);
      this.onUnreadable(id);
    }
  }

  replaceAll(sealed: Readonly<Record<string, string>>): void {
    this.secrets = new Map();
    for (const [id, value] of Object.entries(sealed)) this.applyRemote(id, value);
  }
}
