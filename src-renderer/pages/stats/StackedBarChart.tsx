import { formatCompact } from '../../format/format.js';
import { niceMax, type Chart } from './stats-series.js';

const WIDTH = 800;
const HEIGHT = 220;
const PAD = { left: 44, right: 8, top: 10, bottom: 24 };

/** Stacked bars over time as plain SVG; each bar names its time and values on hover. */
export function StackedBarChart({
  chart,
  title,
  timeLabel,
  format = formatCompact,
}: {
  chart: Chart;
  title: string;
  timeLabel(t: number): string;
  /** How a value reads on the axis and in the legend. */
  format?: (value: number) => string;
}) {
  const totals = chart.times.map((_, i) => chart.series.reduce((s, x) => s + x.values[i]!, 0));
  const top = niceMax(Math.max(0, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = chart.times.length > 0 ? plotW / chart.times.length : plotW;
  const barW = Math.max(1, slot * 0.72);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const labelEvery = Math.max(1, Math.ceil(chart.times.length / 8));
  const empty = chart.series.length === 0;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {empty ? (
        <p className="muted">Nothing in this period yet.</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${chart.series.map((s) => `${s.label} ${s.total}`).join(', ')}`}>
            {[0, 0.5, 1].map((f) => (
              <g key={f}>
                <line className="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} />
                <text className="axis" x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end">
                  {format(top * f)}
                </text>
              </g>
            ))}
            {chart.times.map((t, i) => {
              let base = 0;
              const x = PAD.left + i * slot + (slot - barW) / 2;
              return (
                <g key={t}>
                  <title>{`${timeLabel(t)}: ${chart.series.map((s) => `${s.label} ${s.values[i]}`).join(', ')}`}</title>
                  {chart.series.map((s, k) => {
                    const v = s.values[i]!;
                    if (v === 0) return null;
                    const y0 = y(base);
                    base += v;
                    return <rect key={s.key} className={`series-${k}`} x={x} width={barW} y={y(base)} height={Math.max(0.5, y0 - y(base))} />;
                  })}
                  {i % labelEvery === 0 && (
                    <text className="axis" x={x + barW / 2} y={HEIGHT - 6} textAnchor="middle">
                      {timeLabel(t)}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
          <ul className="legend">
            {chart.series.map((s, k) => (
              <li key={s.key}>
                <span className={`swatch series-${k}`} aria-hidden="true" />
                {s.label} <span className="muted">{format(s.total)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  );
}
