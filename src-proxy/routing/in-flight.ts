// Attempts under way per account, so that selection can prefer the account with the fewest: a long
// stream holding one account sends the next conversation to another. One gateway counts its own; in a
// team the counts of the other gateways are added (see team/team-in-flight.ts).

export interface InFlight {
  /** Marks an attempt on the account as under way; the returned function ends it (calling it again does nothing). */
  begin(accountId: string): () => void;
  /** Attempts under way on the account, on this gateway and on every other gateway sharing the pool. */
  count(accountId: string): number;
}

/** This gateway's own attempts under way. `onChange` hears every change, with the account it touched. */
export class LocalInFlight implements InFlight {
  private readonly counts = new Map<string, number>();

  constructor(private readonly onChange: (accountId: string) => void = () => undefined) {}

  begin(accountId: string): () => void {
    this.counts.set(accountId, (this.counts.get(accountId) ?? 0) + 1);
    this.onChange(accountId);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (this.counts.get(accountId) ?? 1) - 1;
      if (n > 0) this.counts.set(accountId, n);
      else this.counts.delete(accountId);
      this.onChange(accountId);
    };
  }

  count(accountId: string): number {
    return this.counts.get(accountId) ?? 0;
  }

  /** Every account with an attempt under way, and how many. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** The members of `pool` (indexes into `accounts`) with the fewest attempts under way. */
export function leastBusy(accounts: ReadonlyArray<{ id: string }>, pool: readonly number[], inFlight: Pick<InFlight, 'count'>): readonly number[] {
  if (pool.length < 2) return pool;
  let fewest = Infinity;
  let out: number[] = [];
  for (const i of pool) {
    const n = inFlight.count(accounts[i]!.id);
    if (n < fewest) {
      fewest = n;
      out = [i];
    } else if (n === fewest) {
      out.push(i);
    }
  }
  return out;
}
