// Stacked bars over time, drawn by uPlot: a time axis with dates, each bar as wide as its period, and a
// tooltip naming the period and each series' value. uPlot is small (about 50 kB, no dependencies),
// typed, maintained and made for time series; the legend and tooltip are ours, in the page's markup.

import { useEffect, useRef, useState } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsBucketSize } from '../../../src-proxy/contract/index.js';
import { formatCompact } from '../../format/format.js';
import { OTHER_COLOUR, periodLabel, plotData } from './chart-plot.js';
import { niceMax, type Chart } from './stats-series.js';

const HEIGHT = 240;
/** Axis steps for counts: whole numbers only (no "0.2 requests"). */
const WHOLE_STEPS = Array.from({ length: 13 }, (_, p) => [1, 2, 5].map((m) => m * 10 ** p)).flat();

/** Whether this page can draw on a canvas (a test's DOM cannot; the chart is then its legend alone). */
const canDraw = (() => {
  let answer: boolean | null = null;
  return () => (answer ??= document.createElement('canvas').getContext('2d') !== null);
})();

// uPlot's time-axis formats, tick spacing first: a date under the first hour of each day.
const TIME_VALUES: NonNullable<uPlot.Axis['values']> = [
  [3600 * 24 * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600 * 24, '{MMM} {D}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{MMM} {D}', null, '\n{MMM} {D}', null, null, null, 1],
];

function cssColour(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || 'gray';
}

/** The page's colour scheme, followed as it changes (axis and grid colours are read from it). */
function useColourScheme(): 'light' | 'dark' {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [query]);
  return dark ? 'dark' : 'light';
}

export function TimeBarChart({
  chart,
  title,
  size,
  colours,
  format = formatCompact,
  whole = false,
}: {
  chart: Chart;
  title: string;
  size: StatsBucketSize;
  /** Each series' colour by key, the same in every chart of the page. */
  colours: ReadonlyMap<string, string>;
  /** How a value reads on the axis, in the legend and in the tooltip. */
  format?: (value: number) => string;
  /** The values are counts: the axis steps by whole numbers. */
  whole?: boolean;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ idx: number; left: number; top: number; flip: boolean } | null>(null);
  const scheme = useColourScheme();
  const colourOf = (key: string) => colours.get(key) ?? OTHER_COLOUR;
  const empty = chart.series.length === 0;

  useEffect(() => {
    const el = holder.current;
    if (!el || empty || !canDraw()) return;
    const { xs, stacks, range } = plotData(chart, size);
    // The tallest stack first, so each lower part is drawn over it.
    const order = chart.series.map((_, k) => k).reverse();
    const axis = { stroke: cssColour(el, '--muted'), grid: { stroke: cssColour(el, '--border'), width: 1 }, ticks: { show: false } };
    const opts: Options = {
      width: el.clientWidth || 800,
      height: HEIGHT,
      legend: { show: false },
      cursor: { x: false, y: false, drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: { time: true, range: () => range },
        y: { range: (_u, _min, max) => [0, niceMax(max)] },
      },
      axes: [
        { ...axis, values: TIME_VALUES, size: 44 },
        {
          ...axis,
          values: (_u, splits) => splits.map((v) => format(v)),
          ...(whole ? { incrs: WHOLE_STEPS } : {}),
          // As wide as its longest label.
          size: (_u, values) => 16 + 7 * Math.max(3, ...(values ?? []).map((v) => v.length)),
        },
      ],
      series: [
        {},
        ...order.map((k) => ({
          label: chart.series[k]!.label,
          fill: colourOf(chart.series[k]!.key),
          stroke: colourOf(chart.series[k]!.key),
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.86, Infinity], align: 0 }),
          points: { show: false },
        })),
      ],
      hooks: {
        setCursor: [
          (u) => {
            const { idx, left, top } = u.cursor;
            const away = idx === null || idx === undefined || left === undefined || left < 0 || top === undefined;
            setHover(away ? null : { idx, left: left + u.over.offsetLeft, top: top + u.over.offsetTop, flip: left > u.over.clientWidth / 2 });
          },
        ],
      },
    };
    const data: AlignedData = [xs, ...order.map((k) => stacks[k]!)];
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      setHover(null);
    };
    // colourOf reads `colours`; format is a stable module function.
  }, [chart, size, colours, format, whole, scheme, empty]);

  const shown = hover && chart.times[hover.idx] !== undefined ? hover : null;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {empty ? (
        <p className="muted">Nothing in this period yet.</p>
      ) : (
        <>
          <div className="chart-plot" role="img" aria-label={`${title}: ${chart.series.map((s) => `${s.label} ${s.total}`).join(', ')}`}>
            <div ref={holder} />
            {shown && (
              <div
                className="chart-tooltip"
                role="tooltip"
                style={{ left: shown.left, top: shown.top, transform: `translate(${shown.flip ? 'calc(-100% - 14px)' : '14px'}, -50%)` }}
              >
                <strong>{periodLabel(chart.times[shown.idx]!, size)}</strong>
                {chart.series
                  .filter((s) => s.values[shown.idx]! > 0)
                  .map((s) => (
                    <div key={s.key}>
                      <span className="swatch" style={{ background: colourOf(s.key) }} aria-hidden="true" /> {s.label}{' '}
                      <span className="num">{format(s.values[shown.idx]!)}</span>
                    </div>
                  ))}
                {chart.series.every((s) => s.values[shown.idx] === 0) && <div className="muted">nothing</div>}
              </div>
            )}
          </div>
          <ul className="legend">
            {chart.series.map((s) => (
              <li key={s.key}>
                <span className="swatch" style={{ background: colourOf(s.key) }} aria-hidden="true" />
                {s.label} <span className="muted">{format(s.total)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  );
}
