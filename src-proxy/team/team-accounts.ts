// The account store of a team: the same port as the file store, read from memory on every request, with
// the shared store as the truth behind it. This gateway's writes apply to its memory at once and go to
// the store through the outbox; every change the store announces (this gateway's own included, in the
// store's order) replaces that account's fields here, with this gateway's writes the store has not
// confirmed yet laid on top, so nothing it did is undone by an older picture.

import { ControlError, type Account } from '../contract/index.js';
import { editAccount, freezeAccount, newAccount, patchAccount } from '../accounts/account-changes.js';
import type { AccountStore } from '../accounts/account-store.js';
import { EventBus } from '../lib/event-bus.js';
import { accountFromFields, accountToFields, applyFieldOps, diffAccount, isEmpty, type FieldOps, type Fields } from './account-fields.js';
import type { Outbox } from './outbox.js';
import type { TeamConnection } from './team-connection.js';

interface Entry {
  score: number;
  /** As the store last announced it (empty for one this gateway created and the store has not confirmed). */
  base: Fields;
  /** This gateway's writes the store has not announced yet. */
  pending: Array<{ seq: number; ops: FieldOps }>;
  account: Account | null;
}

export class TeamAccountStore implements AccountStore {
  private readonly entries = new Map<string, Entry>();
  private accounts: readonly Account[] = Object.freeze([]);
  private readonly events = new EventBus<{ change: readonly Account[] }>();

  constructor(
    private readonly conn: TeamConnection,
    private readonly outbox: Outbox,
    private readonly now: () => number = Date.now,
  ) {}

  list(): readonly Account[] {
    return this.accounts;
  }

  get(id: string): Account | undefined {
    return this.entries.get(id)?.account ?? undefined;
  }

  async add(account: Account): Promise<void> {
    requireReachable(this.conn);
    const parsed = newAccount(account, (id) => this.get(id));
    const ops: FieldOps = { set: accountToFields(parsed), incr: {}, del: [] };
    const seq = this.outbox.push({ k: 'acct', id: parsed.id, create: parsed.created_at, ...ops });
    this.entries.set(parsed.id, { score: parsed.created_at, base: {}, pending: [{ seq, ops }], account: parsed });
    this.commit();
    await this.outbox.applied(seq);
  }

  async update(id: string, change: (a: Account) => Account): Promise<Account> {
    requireReachable(this.conn);
    const current = this.get(id);
    if (!current) throw new Error(`Account ${id} not found`);
    const next = editAccount(current, change);
    const seq = this.write(current, next);
    if (seq !== null) await this.outbox.applied(seq);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    requireReachable(this.conn);
    if (!this.get(id)) return false;
    const seq = this.outbox.push({ k: 'acct-rm', id });
    this.entries.delete(id);
    this.commit();
    await this.outbox.applied(seq);
    return true;
  }

  patchRuntime(id: string, change: (a: Account) => Account): void {
    const current = this.get(id);
    if (!current) return;
    this.write(current, patchAccount(current, change));
  }

  async flush(): Promise<void> {
    await this.outbox.drain();
  }

  onChange(listener: (accounts: readonly Account[]) => void): () => void {
    return this.events.on('change', listener);
  }

  /** The store announced an account's fields after a write (`origin`'s write number `seq`). */
  applyRemote(id: string, fields: Fields, own: boolean, seq: number): void {
    let entry = this.entries.get(id);
    if (!entry) {
      const score = Number(JSON.parse(fields['f:created_at'] ?? '0'));
      entry = { score, base: fields, pending: [], account: null };
      this.entries.set(id, entry);
    }
    entry.base = fields;
    if (own) entry.pending = entry.pending.filter((p) => p.seq > seq);
    this.rebuild(entry);
    this.commit();
  }

  removeRemote(id: string): void {
    if (this.entries.delete(id)) this.commit();
  }

  /**
   * The whole picture read from the store (at start, and after the store was away), where `confirmed`
   * is the last write of this gateway the store had applied before it was read.
   */
  replaceAll(accounts: ReadonlyArray<{ id: string; score: number; fields: Fields }>, confirmed: number): void {
    const next = new Map<string, Entry>();
    for (const a of accounts) {
      const pending = (this.entries.get(a.id)?.pending ?? []).filter((p) => p.seq > confirmed);
      const entry: Entry = { score: a.score, base: a.fields, pending, account: null };
      this.rebuild(entry);
      next.set(a.id, entry);
    }
    // Accounts this gateway created that the store has not got yet stay.
    for (const [id, entry] of this.entries) {
      if (!next.has(id) && Object.keys(entry.base).length === 0 && entry.pending.some((p) => p.seq > confirmed)) next.set(id, entry);
    }
    this.entries.clear();
    for (const [id, entry] of next) this.entries.set(id, entry);
    this.commit();
  }

  /** Every account as the store last confirmed it, without this gateway's unconfirmed writes. */
  confirmed(): Array<{ id: string; score: number; fields: Fields }> {
    const out: Array<{ id: string; score: number; fields: Fields }> = [];
    for (const [id, e] of this.entries) if (Object.keys(e.base).length > 0) out.push({ id, score: e.score, fields: e.base });
    return out;
  }

  private write(current: Account, next: Account): number | null {
    const ops = diffAccount(current, next, this.now());
    if (isEmpty(ops)) return null;
    const entry = this.entries.get(current.id)!;
    const seq = this.outbox.push({ k: 'acct', id: current.id, ...ops });
    entry.pending.push({ seq, ops });
    entry.account = next;
    this.commit();
    return seq;
  }

  private rebuild(entry: Entry): void {
    let fields = entry.base;
    for (const p of entry.pending) fields = applyFieldOps(fields, p.ops);
    const account = accountFromFields(fields);
    entry.account = account ? freezeAccount(account) : null;
  }

  private commit(): void {
    const sorted = [...this.entries.entries()].sort(([a, x], [b, y]) => x.score - y.score || (a < b ? -1 : a > b ? 1 : 0));
    const out: Account[] = [];
    for (const [, e] of sorted) if (e.account) out.push(e.account);
    this.accounts = Object.freeze(out);
    this.events.emit('change', this.accounts);
  }
}

/** Changes the user makes wait for the store: a change it never got would be undone when it is back. */
export function requireReachable(conn: TeamConnection): void {
  if (conn.reachable) return;
  const since = conn.unreachableSince;
  const when = since === null ? '' : ` since ${new Date(since).toISOString()}`;
  throw new ControlError('upstream_unreachable', `The team store is unreachable${when}; changes can be made again when it answers.`);
}
