// Which accounts a route's link may use. A link names accounts by label or by group; names match
// without regard to case, as labels are usually email addresses typed by hand.

export interface NamedAccount {
  label?: string;
  group?: string | null;
}

/** True when the account belongs to the link: every account when the link names none. */
export function inTarget(account: NamedAccount, names: readonly string[] | null | undefined): boolean {
  if (names === null || names === undefined) return true;
  const label = account.label?.toLowerCase();
  const group = account.group?.toLowerCase();
  for (const name of names) {
    const n = name.toLowerCase();
    if (n === label || n === group) return true;
  }
  return false;
}
