import { useEffect, useMemo, useState } from 'react';
import type { StatsBucketSize, StatsReport } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAccounts, useStatus } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { countOf, formatCompact, formatCostTotal, formatCount, formatUsd, startOfToday } from '../../format/format.js';
import { describeError } from '../../wording/errors.js';
import { seriesColours } from './chart-plot.js';
import { TimeBarChart } from './TimeBarChart.js';
import { chartOf, costRows, type CostRow, type GroupBy } from './stats-series.js';
import { Segmented } from '../../components/Segmented.js';

const RANGE_MS: Readonly<Record<StatsBucketSize, number>> = { hour: 48 * 3_600_000, day: 30 * 86_400_000 };
/** Stats are read again this often while the page is open (they change with every request). */
const REFRESH_MS = 30_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function StatsPage() {
  const client = useControl();
  const accounts = useAccounts().value ?? [];
  const team = useStatus().value?.team;
  const [instance, setInstance] = useState('');
  const [size, setSize] = useState<StatsBucketSize>('hour');
  const [groupBy, setGroupBy] = useState<GroupBy>('account');
  const [report, setReport] = useState<{ report: StatsReport; since: number; until: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () => {
      const until = Date.now();
      const since = until - RANGE_MS[size];
      client.getStats({ bucket: size, since, ...(instance ? { instance } : {}) }).then(
        (r) => {
          if (!live) return;
          setReport({ report: r, since, until });
          setError(null);
        },
        (err: unknown) => live && setError(describeError(err)),
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, size, instance]);

  const labelOf = useMemo(() => {
    const names = new Map(accounts.map((a) => [a.id, a.label]));
    return (key: string) => (groupBy === 'model' ? key : key === '' ? 'no account (refused)' : (names.get(key) ?? `removed account ${key.slice(0, 8)}`));
  }, [accounts, groupBy]);
  const charts = useMemo(() => {
    if (!report) return null;
    const of = (metric: 'requests' | 'tokens' | 'cost') => chartOf(report.report, { size, since: report.since, until: report.until, groupBy, metric, labelOf });
    return { requests: of('requests'), tokens: of('tokens'), cost: of('cost') };
  }, [report, size, groupBy, labelOf]);
  // Every key of the report takes part, so an account or model has one colour in every chart.
  const colours = useMemo(
    () => seriesColours((report?.report.buckets ?? []).map((b) => (groupBy === 'model' ? b.model : (b.account_id ?? '')))),
    [report, groupBy],
  );
  const accountName = (id: string | null) =>
    id === null ? 'no account (refused)' : (accounts.find((a) => a.id === id)?.label ?? `removed account ${id.slice(0, 8)}`);
  const totals = report?.report.totals;

  return (
    <div className="stack">
      <div className="toolbar">
        <Segmented
          label="Period"
          name="stats-size"
          value={size}
          onChange={setSize}
          options={[
            { value: 'hour', label: 'Last 48 hours, by hour' },
            { value: 'day', label: 'Last 30 days, by day' },
          ]}
        />
        <Segmented
          label="Group by"
          name="stats-group"
          value={groupBy}
          onChange={setGroupBy}
          options={[
            { value: 'account', label: 'Per account' },
            { value: 'model', label: 'Per model' },
          ]}
        />
        {team && (
          <select className="input" aria-label="Gateway" value={instance} onChange={(e) => setInstance(e.target.value)}>
            <option value="">The whole team</option>
            {team.gateways.map((g) => (
              <option key={g.id} value={g.id}>
                {g.self ? `${g.id} (this one)` : g.id}
              </option>
            ))}
          </select>
        )}
      </div>
      <ErrorText>{error}</ErrorText>
      {totals && (
        <p className="muted" aria-label="Totals">
          {countOf(totals.requests, 'request')} · {formatCount(totals.failures)} failed · {formatCompact(totals.input_tokens)} input and{' '}
          {formatCompact(totals.output_tokens)} output tokens · {formatCostTotal(totals.cost_usd, totals.unpriced)} in this period
        </p>
      )}
      {charts && report && (
        <>
          <section className="card">
            <TimeBarChart chart={charts.requests} title={`Requests per ${size}, by ${groupBy}`} size={size} colours={colours} whole />
          </section>
          <section className="card">
            <TimeBarChart chart={charts.tokens} title={`Tokens (input + output) per ${size}, by ${groupBy}`} size={size} colours={colours} whole />
          </section>
          <section className="card">
            <TimeBarChart chart={charts.cost} title={`Cost (US$) per ${size}, by ${groupBy}`} size={size} colours={colours} format={formatUsd} />
          </section>
          <section className="card">
            <h2>Cost per day, account and model</h2>
            <CostTable rows={costRows(report.report, startOfToday)} accountName={accountName} />
          </section>
        </>
      )}
    </div>
  );
}

function CostTable({ rows, accountName }: { rows: readonly CostRow[]; accountName(id: string | null): string }) {
  if (rows.length === 0) return <p className="muted">Nothing in this period yet.</p>;
  return (
    <table className="cost-table">
      <thead>
        <tr>
          <th>Day</th>
          <th>Account</th>
          <th>Model</th>
          <th className="num">Requests</th>
          <th className="num">Tokens</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.day}-${r.account_id ?? ''}-${r.model}`}>
            <td>{formatDay(r.day)}</td>
            <td>{accountName(r.account_id)}</td>
            <td className="mono">{r.model}</td>
            <td className="num">{formatCount(r.requests)}</td>
            <td className="num">{formatCompact(r.tokens)}</td>
            <td className="num">{formatCostTotal(r.cost_usd, r.unpriced)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatDay(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
