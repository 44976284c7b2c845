import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { isUnpriced, type RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { costText } from '../../wording/cost.js';
import { formatCompact, formatMs, formatTime } from '../../format/format.js';
import { visibleRange } from './virtual-window.js';

export const ROW_HEIGHT = 30;
/** Before the first layout (and where there is none, as in tests) the table assumes this viewport. */
const FALLBACK_VIEWPORT = 600;

const COLUMNS = ['Time', 'Status', 'Path', 'Model', 'Account', 'Attempts', 'Latency', 'TTFB', 'Tokens in/out', 'Cost'] as const;
const NUMERIC: ReadonlySet<string> = new Set(['Attempts', 'Latency', 'TTFB', 'Tokens in/out', 'Cost']);

/**
 * The request table, windowed: only the rows in view (and a few around them) exist in the page, so
 * ten thousand entries scroll as smoothly as ten. Arrow keys move the selection, Escape clears it.
 */
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
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);
  useEffect(() => {
    const el = viewport.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight || FALLBACK_VIEWPORT));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const { start, end } = visibleRange(scrollTop, height, ROW_HEIGHT, entries.length);

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
    const el = viewport.current;
    if (el) {
      // Row tops are below the sticky header, which covers the viewport's first row height.
      const top = next * ROW_HEIGHT;
      const bottom = top + 2 * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
    }
  };

  return (
    <div className="request-table" role="table" aria-label="Requests" aria-rowcount={entries.length + 1}>
      <div
        className="rt-viewport"
        ref={viewport}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        aria-label="Request rows"
      >
        {/* The header scrolls with the rows (sticky), so both share one width whatever the scrollbar takes. */}
        <div className="rt-row rt-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader" className={`rt-cell ${NUMERIC.has(c) ? 'num' : ''}`}>
              {c}
            </span>
          ))}
        </div>
        {entries.length === 0 && <p className="muted rt-empty">No requests yet. They appear here as Claude Code sends them.</p>}
        <div role="rowgroup" style={{ height: entries.length * ROW_HEIGHT, position: 'relative' }}>
          {entries.slice(start, end).map((e, i) => (
            <RequestRow key={e.id} entry={e} index={start + i} selected={e.id === selectedId} onSelect={onSelect} />
          ))}
        </div>
      </div>
    </div>
  );
}

function RequestRow({ entry: e, index, selected, onSelect }: { entry: RequestLogEntry; index: number; selected: boolean; onSelect(id: string): void }) {
  const failedAttempts = e.attempts.filter((a) => a.failure !== null).length;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`rt-row ${selected ? 'selected' : ''} ${e.status >= 400 ? 'failed' : ''}`}
      style={{ position: 'absolute', top: index * ROW_HEIGHT, left: 0, right: 0, height: ROW_HEIGHT }}
      onClick={() => onSelect(e.id)}
    >
      <span role="cell" className="rt-cell mono">
        {formatTime(e.time)}
      </span>
      <span role="cell" className={`rt-cell status ${e.status >= 500 ? 's5' : e.status >= 400 ? 's4' : 's2'}`}>
        {e.status}
      </span>
      <span role="cell" className="rt-cell mono" title={e.path}>
        {e.path}
      </span>
      <span role="cell" className="rt-cell mono" title={modelText(e)}>
        {modelText(e)}
      </span>
      <span role="cell" className="rt-cell" title={e.account_label ?? ''}>
        {e.account_label ?? (e.local ? `local (${e.local})` : '–')}
      </span>
      <span role="cell" className="rt-cell num">
        {e.attempts.length}
        {failedAttempts > 0 ? ` (${failedAttempts} failed)` : ''}
      </span>
      <span role="cell" className="rt-cell num">
        {formatMs(e.latency_ms)}
      </span>
      <span role="cell" className="rt-cell num">
        {formatMs(e.ttfb_ms)}
      </span>
      <span role="cell" className="rt-cell num">
        {e.input_tokens === null && e.output_tokens === null ? '–' : `${formatCompact(e.input_tokens ?? 0)} / ${formatCompact(e.output_tokens ?? 0)}`}
      </span>
      <span role="cell" className={`rt-cell num ${isUnpriced(e) ? 'muted' : ''}`}>
        {costText(e)}
      </span>
    </div>
  );
}

/** "inbound → mapped", or one model when the gateway sent it unchanged. */
export function modelText(e: RequestLogEntry): string {
  if (e.inbound_model === null) return e.mapped_model ?? '–';
  if (e.mapped_model === null || e.mapped_model === e.inbound_model) return e.inbound_model;
  return `${e.inbound_model} → ${e.mapped_model}`;
}
