// How numbers, times and durations read in the console.

const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return integer.format(n);
}

/** 1234 -> 1.2k, 2_500_000 -> 2.5M; small numbers as they are. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trim(n / 1000)}k`;
  if (n < 1_000_000_000) return `${trim(n / 1_000_000)}M`;
  return `${trim(n / 1_000_000_000)}G`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, '');
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local wall-clock time, to the second. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local date and time, to the second: "2026-12-06 13:15:28". */
export function formatDateTimeSeconds(epochMs: number): string {
  return `${formatDateTime(epochMs)}:${pad(new Date(epochMs).getSeconds())}`;
}

/** "in 3 min", "in 2 h 5 min", "now" — how long until `epochMs`, seen from `now`. */
export function formatUntil(epochMs: number, now: number): string {
  const s = Math.round((epochMs - now) / 1000);
  if (s <= 0) return 'now';
  if (s < 60) return `in ${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `in ${h} h` : `in ${h} h ${rest} min`;
}

/** Midnight today, local time. */
export function startOfToday(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** "1 request", "1,234 requests". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * US dollars: cents from ten cents up; below, two significant digits, since one request often costs a
 * fraction of a cent ($0.012, $0.00041).
 */
export function formatUsd(dollars: number): string {
  if (dollars === 0) return '$0.00';
  if (Math.abs(dollars) >= 0.1) return cents.format(dollars);
  const digits = Math.min(12, 1 - Math.floor(Math.log10(Math.abs(dollars))));
  const text = dollars.toFixed(digits).replace(/0+$/, '');
  return `$${/\.\d$/.test(text) ? `${text}0` : text}`;
}

/** A total that leaves out requests without a price says so, instead of passing for the whole. */
export function formatCostTotal(costUsd: number, unpriced: number): string {
  if (unpriced === 0) return formatUsd(costUsd);
  if (costUsd === 0) return 'no price';
  return `${formatUsd(costUsd)} + ${countOf(unpriced, 'unpriced request')}`;
}
