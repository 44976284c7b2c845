import { useState } from 'react';

/** `list` with the item at `i` moved `by` places (-1: one up, 1: one down). */
export function moved<T>(list: readonly T[], i: number, by: number): T[] {
  const next = [...list];
  const [item] = next.splice(i, 1);
  next.splice(i + by, 0, item!);
  return next;
}

/**
 * The rows of a settings table as the form edits them: added, changed, moved and removed in the draft,
 * and sent only when the section is saved.
 */
export function useDraftRows<T>(initial: () => T[]) {
  const [rows, setRows] = useState<T[]>(initial);
  return {
    rows,
    add: (row: T) => setRows([...rows, row]),
    replace: (i: number, row: T) => setRows(rows.map((r, j) => (j === i ? row : r))),
    update: (i: number, patch: Partial<T>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))),
    move: (i: number, by: number) => setRows(moved(rows, i, by)),
    remove: (i: number) => setRows(rows.filter((_, j) => j !== i)),
  };
}
