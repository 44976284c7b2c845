// Which columns of the request table show, and how wide, for the width the table has and what its
// rows hold. Rows are positioned one by one (the list is virtual), so the widths are worked out here
// rather than by a <table>'s own layout, and every row gets the same grid.

export type ColumnId = 'time' | 'status' | 'path' | 'model' | 'account' | 'attempts' | 'latency' | 'ttfb' | 'tokens' | 'cost' | 'error';

export interface ColumnSpec {
  id: ColumnId;
  /** Narrowest width in px the column is ever given. */
  min: number;
  /** Widest its content asks for, in px (at least `min`). */
  want: number;
}

export interface ColumnLayout {
  columns: ColumnId[];
  /** The rows' grid-template-columns. */
  template: string;
  /** The rows' width when it is more than the table has: the table then scrolls sideways. */
  minWidth: number;
}

/** Left to right. */
export const COLUMN_ORDER: readonly ColumnId[] = ['time', 'status', 'path', 'model', 'account', 'attempts', 'latency', 'ttfb', 'tokens', 'cost', 'error'];
/** What a narrow table gives up first; time, status, model and account always stay. */
const DROP_ORDER: readonly ColumnId[] = ['ttfb', 'attempts', 'path', 'latency', 'tokens', 'cost', 'error'];
/** Shown whole, as long as dropping other columns makes room for them. */
const WHOLE: ReadonlySet<ColumnId> = new Set(['model', 'account']);
/** Who gets room first, up to what its content asks: the mapped model before the account, and so on. */
const GROW_ORDER: readonly ColumnId[] = ['model', 'account', 'cost', 'tokens', 'attempts', 'path', 'error'];

/**
 * Drops columns in DROP_ORDER until the rest fit at their narrowest with the model and the account
 * whole, widens the kept ones towards what
 * their content asks in GROW_ORDER, and gives what is left to the error column (or the model's, when
 * the error column is gone), so nothing is cut while another column has room to spare.
 */
export function layoutColumns(available: number, specs: readonly ColumnSpec[]): ColumnLayout {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const kept = new Set(COLUMN_ORDER.filter((id) => byId.has(id)));
  const sumMin = () => [...kept].reduce((n, id) => n + byId.get(id)!.min, 0);
  // A column goes before the model or the account would be cut.
  const need = () => [...kept].reduce((n, id) => n + (WHOLE.has(id) ? byId.get(id)!.want : byId.get(id)!.min), 0);
  for (const id of DROP_ORDER) {
    if (need() <= available) break;
    kept.delete(id);
  }
  const width = new Map([...kept].map((id) => [id, byId.get(id)!.min]));
  let spare = available - sumMin();
  for (const id of GROW_ORDER) {
    if (spare <= 0) break;
    const w = width.get(id);
    if (w === undefined) continue;
    const add = Math.min(spare, Math.max(0, byId.get(id)!.want - w));
    width.set(id, w + add);
    spare -= add;
  }
  const columns = COLUMN_ORDER.filter((id) => kept.has(id));
  const stretch: ColumnId = kept.has('error') ? 'error' : 'model';
  const template = columns.map((id) => (id === stretch ? `minmax(${width.get(id)}px, 1fr)` : `${width.get(id)}px`)).join(' ');
  return { columns, template, minWidth: [...width.values()].reduce((a, b) => a + b, 0) };
}

/** Cell padding, both sides together, in px (matches .rt-cell). */
const PADDING = 16;
/** Average advance of a character, in px: the monospace cells are 12px, the others 12.5px sans. */
const MONO_CHAR = 7.3;
const SANS_CHAR = 7.4;

/** The width in px a cell's text asks for, at most `max`; one character to spare for wider glyphs (→). */
export function textWidth(chars: number, mono: boolean, max: number): number {
  return Math.min(max, Math.ceil((chars + 1) * (mono ? MONO_CHAR : SANS_CHAR)) + PADDING);
}
