// Accounts as the console and the CLI manage them: the key is stored before the account exists and
// removed with it, and option changes are checked by the account's own kind.

import { randomBytes } from 'node:crypto';
import {
  ACCOUNT_KINDS,
  AccountPatchSchema,
  AccountSchema,
  ControlError,
  NewAccountSchema,
  newAccountSecret,
  type Account,
  type AccountPatch,
  type NewAccount,
} from '../contract/index.js';
import type { StoreAccountPool } from '../accounts/account-pool.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { SecretStore } from '../accounts/secret-store.js';
import { parseOrThrow, type Parser } from './parse-args.js';

export class AccountsService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly secrets: SecretStore,
    private readonly pool: StoreAccountPool,
  ) {}

  async list(): Promise<Account[]> {
    // The counters of the last few hundred milliseconds of successes, written now rather than soon.
    this.pool.flushStats();
    return [...this.accounts.list()];
  }

  async add(input: NewAccount): Promise<Account> {
    const parsed = parseOrThrow(NewAccountSchema, input);
    const account = AccountSchema.parse({
      id: `acct_${randomBytes(6).toString('hex')}`,
      provider: parsed.provider,
      label: parsed.label,
      enabled: parsed.enabled ?? true,
      options: parsed.options,
      created_at: Date.now(),
    });
    // The key first: an account never exists without its key.
    await this.secrets.set(account.id, newAccountSecret(parsed));
    try {
      await this.accounts.add(account);
    } catch (err) {
      await this.secrets.delete(account.id);
      throw err;
    }
    return account;
  }

  async update(id: string, patch: AccountPatch): Promise<Account> {
    const current = this.require(id);
    const p = parseOrThrow(AccountPatchSchema, patch);
    const kindOptions = ACCOUNT_KINDS[current.provider].options as Parser<Account['options']>;
    const options = p.options ? parseOrThrow(kindOptions, { ...current.options, ...definedOnly(p.options) }) : current.options;
    if (p.api_key !== undefined) await this.secrets.set(id, p.api_key);
    const resetHealth = p.reset_health === true || p.api_key !== undefined;
    // `options` were parsed by the account's own kind's schema, so the account stays of its kind.
    return this.accounts.update(
      id,
      (a) =>
        ({
          ...a,
          label: p.label ?? a.label,
          enabled: p.enabled ?? a.enabled,
          options,
          ...(resetHealth ? { health: 'ok' as const, health_message: null, health_at: Date.now(), cooldowns: [] } : {}),
        }) as Account,
    );
  }

  async remove(id: string): Promise<void> {
    this.require(id);
    await this.accounts.remove(id);
    await this.secrets.delete(id);
  }

  private require(id: string): Account {
    const account = this.accounts.get(id);
    if (!account) throw new ControlError('not_found', `No account with id ${id}.`);
    return account;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
