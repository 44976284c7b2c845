// The request table, virtual: only the rows in view (and a few around them) exist in the page, so ten
// thousand entries scroll as smoothly as ten. The list is @tanstack/react-virtual's: headless (our own
// markup, roles and styles), typed, maintained, about 5 kB, and it handles what a hand-rolled window
// got wrong or lacked (scrolling a row into view under the sticky header, overscan, resizes).

import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import { isUnpriced, type RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { costText } from '../../wording/cost.js';
import { describeFailure } from '../../wording/errors.js';
import { formatCompact, formatDateTimeSeconds, formatMs, formatTime } from '../../format/format.js';
import { layoutColumns, textWidth, type ColumnId } from './column-layout.js';

export const ROW_HEIGHT = 30;
/** Before the first layout (and where there is none, as in tests) the table assumes this viewport. */
const FALLBACK_RECT: Rect = { width: 1200, height: 600 };

interface Column {
  title: string;
  numeric?: boolean;
  mono?: boolean;
  /** Narrowest and widest the column is given, in px. */
  min: number;
  max: number;
  /** The cell's text, which also sizes the column. */
  text(e: RequestLogEntry): string;
  /** What shows on hover: the full text of a column that may cut it (true), the date of a time. */
  hover?: true | ((e: RequestLogEntry) => string);
  className?(e: RequestLogEntry): string;
}

const COLUMNS: Readonly<Record<ColumnId, Column>> = {
  time: { title: 'Time', mono: true, min: 76, max: 76, text: (e) => formatTime(e.time), hover: (e) => formatDateTimeSeconds(e.time) },
  status: {
    title: 'Status',
    min: 64,
    max: 64,
    text: (e) => String(e.status),
    className: (e) => `status ${e.status >= 500 ? 's5' : e.status >= 400 ? 's4' : 's2'}`,
  },
  path: { title: 'Path', mono: true, min: 96, max: 260, hover: true, text: (e) => e.path },
  model: { title: 'Model', mono: true, min: 150, max: 460, hover: true, text: modelText },
  account: {
    title: 'Account',
    min: 110,
    max: 280,
    hover: true,
    text: (e) => e.account_label ?? (e.local ? `local (${e.local})` : '–'),
  },
  attempts: {
    title: 'Attempts',
    numeric: true,
    min: 84,
    max: 120,
    text: (e) => {
      const failed = e.attempts.filter((a) => a.failure !== null).length;
      return `${e.attempts.length}${failed > 0 ? ` (${failed} failed)` : ''}`;
    },
  },
  latency: { title: 'Latency', numeric: true, min: 72, max: 80, text: (e) => formatMs(e.latency_ms) },
  ttfb: { title: 'TTFB', numeric: true, min: 66, max: 80, text: (e) => formatMs(e.ttfb_ms) },
  tokens: {
    title: 'Tokens in/out',
    numeric: true,
    min: 112,
    max: 140,
    text: (e) => (e.input_tokens === null && e.output_tokens === null ? '–' : `${formatCompact(e.input_tokens ?? 0)} / ${formatCompact(e.output_tokens ?? 0)}`),
  },
  cost: { title: 'Cost', numeric: true, min: 84, max: 110, text: costText, className: (e) => (isUnpriced(e) ? 'muted' : '') },
  error: { title: 'Error', min: 100, max: 640, hover: true, text: errorText, className: (e) => (e.status >= 400 ? 'error-text' : 'muted') },
};

/** The column widths the current entries ask for, and which fit in `width`. */
function useLayout(entries: readonly RequestLogEntry[], width: number) {
  const wants = useMemo(() => {
    const longest = new Map<ColumnId, number>();
    for (const [id, c] of Object.entries(COLUMNS) as [ColumnId, Column][]) {
      let chars = c.title.length;
      if (c.max > c.min) for (const e of entries) chars = Math.max(chars, c.text(e).length);
      longest.set(id, chars);
    }
    return longest;
  }, [entries]);
  return useMemo(
    () =>
      layoutColumns(
        width,
        (Object.entries(COLUMNS) as [ColumnId, Column][]).map(([id, c]) => ({
          id,
          min: c.min,
          want: Math.max(c.min, textWidth(wants.get(id)!, c.mono === true, c.max)),
        })),
      ),
    [wants, width],
  );
}

export function RequestTable({
  entries,
  selectedId,
  onSelect,
  onClose,
}: {
  entries: readonly RequestLogEntry[];
  selectedId: string | null;
  onSelect(id: string): void;
  /** Escape: the detail closes. */
  onClose(): void;
}) {
  const viewport = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(FALLBACK_RECT.width);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => viewport.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => entries[i]!.id,
    overscan: 8,
    // The rows start below the sticky header, which also covers the top of the viewport.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) =>
      observeElementRect(instance, (rect) => {
        const inner = instance.scrollElement?.clientWidth ?? 0;
        setWidth(inner > 0 ? inner : FALLBACK_RECT.width);
        cb(rect.height > 0 ? rect : FALLBACK_RECT);
      }),
  });
  const layout = useLayout(entries, width);
  const rowStyle = { gridTemplateColumns: layout.template, minWidth: layout.minWidth };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && selectedId !== null) {
      onClose();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = entries.findIndex((x) => x.id === selectedId);
    const next = Math.min(entries.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
    const entry = entries[next];
    if (!entry) return;
    onSelect(entry.id);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div className="request-table" role="table" aria-label="Requests" aria-rowcount={entries.length + 1}>
      <div className="rt-viewport" ref={viewport} tabIndex={0} onKeyDown={onKeyDown} aria-label="Request rows">
        {/* The header scrolls with the rows (sticky), so both share one width whatever the scrollbar takes. */}
        <div className="rt-row rt-head" role="row" aria-rowindex={1} style={rowStyle}>
          {layout.columns.map((id) => (
            <span key={id} role="columnheader" className={`rt-cell ${COLUMNS[id].numeric ? 'num' : ''}`}>
              {COLUMNS[id].title}
            </span>
          ))}
        </div>
        {entries.length === 0 && <p className="muted rt-empty">No requests yet. They appear here as Claude Code sends them.</p>}
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: layout.minWidth }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = entries[item.index]!;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={e.id === selectedId}
                className={`rt-row ${e.id === selectedId ? 'selected' : ''} ${e.status >= 400 ? 'failed' : ''}`}
                style={{ ...rowStyle, position: 'absolute', top: item.start - ROW_HEIGHT, left: 0, right: 0, height: ROW_HEIGHT }}
                onClick={() => onSelect(e.id)}
              >
                {layout.columns.map((id) => {
                  const c = COLUMNS[id];
                  const text = c.text(e);
                  return (
                    <span
                      key={id}
                      role="cell"
                      className={`rt-cell ${c.numeric ? 'num' : ''} ${c.mono ? 'mono' : ''} ${c.className?.(e) ?? ''}`}
                      title={c.hover === true ? (text === '–' ? undefined : text) : c.hover?.(e)}
                    >
                      {text}
                    </span>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** "inbound → mapped", or one model when the gateway sent it unchanged. */
export function modelText(e: RequestLogEntry): string {
  if (e.inbound_model === null) return e.mapped_model ?? '–';
  if (e.mapped_model === null || e.mapped_model === e.inbound_model) return e.inbound_model;
  return `${e.inbound_model} → ${e.mapped_model}`;
}

/** What went wrong: the answer's error, or for a request served after a failed attempt, that failure. */
export function errorText(e: RequestLogEntry): string {
  if (e.error_message) return e.error_message;
  const failed = e.attempts.filter((a) => a.failure !== null).at(-1);
  if (failed?.failure) return `${e.status < 400 ? 'served after: ' : ''}${describeFailure(failed.failure)}`;
  return '–';
}
