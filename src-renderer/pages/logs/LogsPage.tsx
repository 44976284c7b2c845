import { useMemo, useState } from 'react';
import { useAccounts, useAction, useStatus } from '../../app/live-state.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorText } from '../../components/ErrorText.js';
import { formatCount } from '../../format/format.js';
import { EMPTY_FILTER, filterEntries, NO_ACCOUNT, STATUS_FILTERS, type LogFilter, type StatusFilter } from './log-filter.js';
import { RequestDetail } from './RequestDetail.js';
import { RequestTable } from './RequestTable.js';
import { useLiveRequests } from './live-requests.js';

const STATUS_WORDS: Readonly<Record<StatusFilter, string>> = {
  all: 'Any status',
  ok: 'Succeeded',
  errors: 'Failed',
  '4xx': '4xx (client errors)',
  '5xx': '5xx (upstream or gateway errors)',
};

export function LogsPage() {
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState<LogFilter>(EMPTY_FILTER);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { entries, waiting, error, clear } = useLiveRequests(paused);
  const accounts = useAccounts().value ?? [];
  const team = useStatus().value?.team;
  const action = useAction();
  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter]);
  const selected = selectedId === null ? null : (entries.find((e) => e.id === selectedId) ?? null);
  const failed = useMemo(() => entries.reduce((n, e) => n + (e.status >= 400 ? 1 : 0), 0), [entries]);

  return (
    <div className="logs">
      <div className="toolbar" role="search" aria-label="Filter requests">
        <input
          className="input grow"
          type="search"
          aria-label="Filter by text"
          placeholder="Filter: model, path, account, error…"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        <select
          className="input"
          aria-label="Filter by status"
          value={filter.status}
          onChange={(e) => setFilter({ ...filter, status: e.target.value as StatusFilter })}
        >
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </select>
        <select className="input" aria-label="Filter by account" value={filter.account} onChange={(e) => setFilter({ ...filter, account: e.target.value })}>
          <option value="">Every account</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
          <option value={NO_ACCOUNT}>No account (refused or local)</option>
        </select>
        {team && (
          <select className="input" aria-label="Filter by gateway" value={filter.instance} onChange={(e) => setFilter({ ...filter, instance: e.target.value })}>
            <option value="">Every gateway of the team</option>
            {team.gateways.map((g) => (
              <option key={g.id} value={g.id}>
                {g.self ? `${g.id} (this one)` : g.id}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? `Resume${waiting > 0 ? ` (${formatCount(waiting)} new)` : ''}` : 'Pause'}
        </button>
        <ConfirmButton label="Clear" confirmLabel="Clear the request log" onConfirm={() => void action.run(clear).then(() => setSelectedId(null))} />
      </div>
      <p className="muted counts" aria-live="polite">
        {formatCount(shown.length)} shown of {formatCount(entries.length)} · {formatCount(failed)} failed{paused ? ' · paused' : ''}
      </p>
      <ErrorText>{error ?? action.error}</ErrorText>
      <div className={`logs-body ${selected ? 'with-detail' : ''}`}>
        <RequestTable entries={shown} selectedId={selectedId} onSelect={setSelectedId} onClose={() => setSelectedId(null)} />
        {selected && <RequestDetail entry={selected} onClose={() => setSelectedId(null)} />}
      </div>
    </div>
  );
}
