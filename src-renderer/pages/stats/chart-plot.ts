// A chart's series as the plot draws them: stacked bars, each centred in its period and as wide as it
// (less a gap), on a time axis; and one colour per account or model that stays the same whichever
// chart, period or metric shows it.

import type { StatsBucketSize } from '../../../src-proxy/contract/index.js';
import { OTHER, type Chart } from './stats-series.js';

export const PERIOD_MS: Readonly<Record<StatsBucketSize, number>> = { hour: 3_600_000, day: 86_400_000 };

export interface PlotData {
  /** Each period's middle, in seconds (the plot's time unit). */
  xs: number[];
  /** Running totals, the first series' alone first: bar k is drawn from 0 to stacks[k], over the ones below. */
  stacks: number[][];
  /** The x range shown, in seconds: from the first period's start to the last one's end. */
  range: [number, number];
}

export function plotData(chart: Chart, size: StatsBucketSize): PlotData {
  const period = PERIOD_MS[size];
  const xs = chart.times.map((t) => (t + period / 2) / 1000);
  const running = chart.times.map(() => 0);
  const stacks = chart.series.map((s) => s.values.map((v, i) => (running[i]! += v)));
  const first = chart.times[0] ?? 0;
  const last = chart.times.at(-1) ?? 0;
  return { xs, stacks, range: [first / 1000, (last + period) / 1000] };
}

/** Distinct on light and dark backgrounds (Tableau 10 without its grey, which "others" has). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#d4a72c', '#b07aa1', '#ff9da7', '#9c755f'] as const;
export const OTHER_COLOUR = '#9aa3b2';

function hash(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A colour for every key: the one its name hashes to, or the next free one when another key took it
 * first (keys in name order, so the same set of keys always gets the same colours). Given every key a
 * report holds, each chart drawn from it colours an account or model alike.
 */
export function seriesColours(keys: Iterable<string>): Map<string, string> {
  const colours = new Map<string, string>([[OTHER, OTHER_COLOUR]]);
  const taken = new Set<number>();
  for (const key of [...new Set(keys)].filter((k) => k !== OTHER).sort()) {
    let slot = hash(key) % PALETTE.length;
    // Past as many keys as there are colours, colours repeat.
    for (let tries = 0; taken.has(slot) && tries < PALETTE.length; tries++) slot = (slot + 1) % PALETTE.length;
    if (taken.size >= PALETTE.length) taken.clear();
    taken.add(slot);
    colours.set(key, PALETTE[slot]!);
  }
  return colours;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const DATE = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric' });

/** The period a bar stands for: "Sat, Dec 6, 13:00–14:00", or "Sat, Dec 6" for a day. */
export function periodLabel(start: number, size: StatsBucketSize): string {
  const d = new Date(start);
  if (size === 'day') return DATE.format(d);
  const end = new Date(start + PERIOD_MS.hour);
  const clock = (x: Date) => `${pad(x.getHours())}:${pad(x.getMinutes())}`;
  return `${DATE.format(d)}, ${clock(d)}–${clock(end)}`;
}
