// What every AccountStore adapter shares. Memory is the truth and changes apply synchronously, so a
// request that patches stats never waits on the disk and `update` always sees the latest runtime state.
// Persisting writes the whole snapshot; a version counter lets one write cover every change before it.

import { AccountSchema, type Account } from '../contract/index.js';
import { EventBus } from '../lib/event-bus.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { editAccount, newAccount, parseAccount, patchAccount } from './account-changes.js';
import type { AccountStore } from './account-store.js';

const DEFAULT_RUNTIME_FLUSH_MS = 1000;

export abstract class BaseAccountStore implements AccountStore {
  private accounts: readonly Account[];
  private readonly events = new EventBus<{ change: readonly Account[] }>();
  private readonly persistQueue = new SerialQueue();
  private version = 0;
  private persistedVersion = 0;
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    initial: readonly Account[],
    private readonly runtimeFlushMs = DEFAULT_RUNTIME_FLUSH_MS,
  ) {
    this.accounts = Object.freeze(initial.map(parseAccount));
  }

  list(): readonly Account[] {
    return this.accounts;
  }

  get(id: string): Account | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  async add(account: Account): Promise<void> {
    this.commit([...this.accounts, newAccount(account, (id) => this.get(id))]);
    await this.persistNow();
  }

  async update(id: string, change: (a: Account) => Account): Promise<Account> {
    const current = this.get(id);
    if (!current) throw new Error(`Account ${id} not found`);
    const next = editAccount(current, change);
    this.replace(next);
    await this.persistNow();
    return next;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.get(id)) return false;
    this.commit(this.accounts.filter((a) => a.id !== id));
    await this.persistNow();
    return true;
  }

  patchRuntime(id: string, change: (a: Account) => Account): void {
    const current = this.get(id);
    if (!current) return;
    this.replace(patchAccount(current, change));
    this.schedulePersist();
  }

  async flush(): Promise<void> {
    await this.persistNow();
  }

  onChange(listener: (accounts: readonly Account[]) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Writes one snapshot of every account. Called one at a time. */
  protected abstract persist(accounts: readonly Account[]): Promise<void>;

  private replace(next: Account): void {
    this.commit(this.accounts.map((a) => (a.id === next.id ? next : a)));
  }

  private commit(next: readonly Account[]): void {
    this.accounts = Object.freeze(next);
    this.version++;
    this.events.emit('change', this.accounts);
  }

  private schedulePersist(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed background write is retried on the next tick rather than reported: the data is safe in
      // memory, and shutdown's flush() surfaces a failure that persists.
      this.persistNow().catch(() => this.schedulePersist());
    }, this.runtimeFlushMs);
    // Bookkeeping must not keep a stopping process alive; shutdown calls flush().
    this.timer.unref();
  }

  private persistNow(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    return this.persistQueue.run(async () => {
      if (this.persistedVersion === this.version) return;
      const version = this.version;
      // Runtime patches skip validation on the hot path; what reaches the disk is checked here, once
      // per write, which also strips anything the schema does not know (a secret passed by mistake).
      await this.persist(this.accounts.map((a) => AccountSchema.parse(a)));
      this.persistedVersion = Math.max(this.persistedVersion, version);
    });
  }
}
