import { useEffect, useState } from 'react';
import {
  claudeCodeSetup,
  countEntry,
  emptyCounts,
  type Account,
  type UsageCounts,
  type UpdateStatus,
  type Warning,
} from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAccounts, useAction, useSettings, useStatus } from '../../app/live-state.js';
import type { PageProps } from '../../app/page-props.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorText } from '../../components/ErrorText.js';
import { Switch } from '../../components/Switch.js';
import { countOf, formatCompact, formatCostTotal, formatCount, formatDateTime, formatTime, startOfToday } from '../../format/format.js';
import { describeErrorCode, describeWarning } from '../../wording/errors.js';
import { accountState, type AccountState } from '../accounts/account-state.js';
import { KIND_LABELS } from '../../wording/option-labels.js';
import { maskSecret } from '../settings/mask.js';
import { Segmented } from '../../components/Segmented.js';
import { ClaudeCodeConnect } from './ClaudeCodeConnect.js';
import { poolReadiness } from './pool-readiness.js';

export function OverviewPage({ onNavigate }: PageProps) {
  return (
    <div className="stack">
      <PoolBanner onNavigate={onNavigate} />
      <GatewayCard />
      <TeamCard />
      <TodayCard />
      <AccountsGlance onNavigate={onNavigate} />
      <WarningsCard />
      <UpdateCard />
    </div>
  );
}

/** What to do when the gateway cannot answer for want of an account; nothing while one can serve. */
function PoolBanner({ onNavigate }: PageProps) {
  const list = useAccounts().value;
  if (!list) return null;
  const pool = poolReadiness(list, Date.now());
  if (pool.kind === 'ready') return null;
  let title: string;
  let body: string;
  let action: string;
  if (pool.kind === 'empty') {
    title = 'No account yet';
    body =
      'The gateway answers every request with an error until it has an account to send it to: an API key of Anthropic or a compatible provider, a Gemini API key, or a Google account.';
    action = 'Add an account';
  } else if (pool.invalid.length > 0) {
    const first = pool.invalid[0]!;
    title =
      pool.disabled.length > 0
        ? 'No account can serve'
        : `No account can serve: ${pool.invalid.length === 1 ? 'its key was refused' : 'every key was refused'}`;
    body = `${listed(pool.invalid)} ${pool.invalid.length === 1 ? 'was' : 'were'} refused by the upstream${
      pool.disabled.length > 0 ? `, and ${listed(pool.disabled)} ${pool.disabled.length === 1 ? 'is' : 'are'} switched off` : ''
    }. Every request fails until one serves again: give ${first.label} a new key (or sign in again), or add another account.`;
    action = `Fix ${first.label}`;
  } else {
    title = 'Every account is switched off';
    body = `${listed(pool.disabled)} ${pool.disabled.length === 1 ? 'is' : 'are'} disabled, so every request fails. Switch one on.`;
    action = 'Open Accounts';
  }
  return (
    <section className="card banner bad" aria-labelledby="pool-banner-title">
      <h2 id="pool-banner-title">{title}</h2>
      <p>{body}</p>
      <div className="row">
        <button type="button" className="button primary" onClick={() => onNavigate('accounts')}>
          {action}
        </button>
      </div>
    </section>
  );
}

function listed(accounts: readonly Account[]): string {
  const names = accounts.map((a) => a.label);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function GatewayCard() {
  const client = useControl();
  const status = useStatus();
  const settings = useSettings().value;
  const accounts = useAccounts().value;
  const action = useAction();
  const [shell, setShell] = useState<'posix' | 'powershell'>('posix');
  const [revealed, setRevealed] = useState(false);
  const s = status.value;
  const toggle = (run: boolean) =>
    action.run(async () => {
      status.set(await (run ? client.startGateway() : client.stopGateway()));
    });
  const url = s?.url ?? (s ? `http://${s.host === '0.0.0.0' ? '127.0.0.1' : s.host}:${s.port}` : null);
  const key = settings && settings.auth_mode !== 'off' ? settings.api_key || null : null;
  const setup = url ? claudeCodeSetup({ url, apiKey: key, shell }) : '';
  // The key is masked on screen only; the copy button copies the real lines. A key the shell quoting
  // changed is masked by rebuilding the lines around the mask instead.
  const shown =
    key && !revealed
      ? setup.includes(key)
        ? setup.split(key).join(maskSecret(key))
        : claudeCodeSetup({ url: url ?? '', apiKey: maskSecret(key), shell })
      : setup;
  return (
    <section className="card" aria-labelledby="gateway-title">
      <div className="card-head">
        <h2 id="gateway-title">Gateway</h2>
        {s && (
          <Switch
            label="Gateway"
            text={s.running ? 'Gateway running' : 'Gateway stopped'}
            checked={s.running}
            disabled={action.busy}
            onChange={(v) => void toggle(v)}
          />
        )}
      </div>
      <ErrorText>{status.error ?? action.error}</ErrorText>
      {s && !action.error && s.last_error && !s.running && <ErrorText>{describeErrorCode(s.last_error)}</ErrorText>}
      {s && (
        <dl className="facts">
          <dt>State</dt>
          <dd>
            {s.running ? `running since ${formatDateTime(s.started_at ?? Date.now())}` : 'stopped: requests are refused'}
            {s.running && accounts && poolReadiness(accounts, Date.now()).kind !== 'ready' && (
              <span className="state-invalid">, but no account can serve: every request fails</span>
            )}
          </dd>
          <dt>Address</dt>
          <dd>
            <code>{url}</code>
            {settings && <span className="muted"> · auth {settings.auth_mode === 'off' ? 'off' : settings.auth_mode}</span>}
          </dd>
        </dl>
      )}
      {url && (
        <div className="setup">
          <h3>Point Claude Code at it</h3>
          <ClaudeCodeConnect />
          <div className="setup-head">
            <h4>Or for one shell only</h4>
            <Segmented
              label="Shell"
              name="shell"
              value={shell}
              onChange={setShell}
              options={[
                { value: 'posix', label: 'bash / zsh' },
                { value: 'powershell', label: 'PowerShell' },
              ]}
            />
          </div>
          <pre className="code" aria-label="Claude Code setup">
            {shown}
          </pre>
          <div className="row">
            <CopyButton text={setup} label="Copy Claude Code setup" />
            {key && (
              <button type="button" className="button small" onClick={() => setRevealed(!revealed)}>
                {revealed ? 'Hide key' : 'Show key'}
              </button>
            )}
            <span className="muted">
              Then run <code>claude</code> in the same shell.
            </span>
          </div>
        </div>
      )}
    </section>
  );
}

/** How often the team card reads the gateways' heartbeats again while it is shown. */
const HEARTBEATS_REFRESH_MS = 5000;

/** The gateways sharing this one's pool (team mode); nothing when it runs alone. */
function TeamCard() {
  const client = useControl();
  const { value, set } = useStatus();
  const team = value?.team;
  const inTeam = team !== undefined;
  // A heartbeat is no event (each gateway beats every second): the card reads them again now and then.
  useEffect(() => {
    if (!inTeam) return;
    const timer = setInterval(() => void client.getStatus().then(set, () => undefined), HEARTBEATS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [client, set, inTeam]);
  if (!team) return null;
  const alive = team.gateways.filter((g) => g.alive).length;
  return (
    <section className="card" aria-labelledby="team-title">
      <div className="card-head">
        <h2 id="team-title">
          Team: {alive} gateway{alive === 1 ? '' : 's'}
        </h2>
      </div>
      {team.unreachable_since !== null && (
        <ErrorText>{`team store unreachable since ${formatDateTime(team.unreachable_since)}: this gateway serves from what it last knew`}</ErrorText>
      )}
      <p className="muted">
        Accounts, settings, cooldowns, usage and the request log are shared through <code>{team.store}</code>.
      </p>
      <table className="team-table" aria-label="Gateways of the team">
        <thead>
          <tr>
            <th>Gateway</th>
            <th>Address</th>
            <th>Version</th>
            <th>Last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {team.gateways.map((g) => (
            <tr key={g.id}>
              <td>
                {g.id}
                {g.self ? <span className="muted"> (this one)</span> : null}
              </td>
              <td>{g.address ? <code>{g.address}</code> : <span className="muted">stopped</span>}</td>
              <td>{g.version}</td>
              <td>
                {formatTime(g.last_heartbeat)}
                {g.alive ? null : <span className="muted"> (silent)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TodayCard() {
  const client = useControl();
  const [today, setToday] = useState<UsageCounts | null>(null);
  useEffect(() => {
    let live = true;
    const since = startOfToday(Date.now());
    client.getStats({ bucket: 'hour', since }).then(
      (r) => live && setToday((prev) => prev ?? r.totals),
      () => live && setToday((prev) => prev ?? emptyCounts()),
    );
    const off = client.onEvent('request', (e) => {
      // Stats count the messages only; so does today's card, so the two agree.
      if (e.time < since || e.route !== 'messages') return;
      setToday((prev) => {
        const next = { ...(prev ?? emptyCounts()) };
        countEntry(next, e);
        return next;
      });
    });
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return (
    <section className="card" aria-labelledby="today-title">
      <h2 id="today-title">Today</h2>
      <div className="metrics">
        <Metric label="Requests" value={today ? formatCount(today.requests) : '…'} />
        <Metric label="Errors" value={today ? formatCount(today.failures) : '…'} tone={today && today.failures > 0 ? 'bad' : undefined} />
        <Metric label="Input tokens" value={today ? formatCompact(today.input_tokens) : '…'} />
        <Metric label="Output tokens" value={today ? formatCompact(today.output_tokens) : '…'} />
        <Metric label="Cost" value={today ? formatCostTotal(today.cost_usd, today.unpriced) : '…'} />
      </div>
    </section>
  );
}

function Metric({ label, value, tone }: { label: string; value: string; tone?: 'bad' | undefined }) {
  return (
    <div className={`metric ${tone ?? ''}`} role="group" aria-label={label}>
      <div className="metric-value">{value}</div>
      <div className="metric-label">{label}</div>
    </div>
  );
}

const STATE_WORDS: Readonly<Record<AccountState['kind'], string>> = {
  ok: 'ok',
  untried: 'not tried yet',
  cooling: 'cooling',
  invalid: 'invalid',
  disabled: 'disabled',
};

/** The accounts at a glance; with none at all the pool banner is the one message, with its action. */
function AccountsGlance({ onNavigate }: PageProps) {
  const accounts = useAccounts();
  const list = accounts.value;
  const now = Date.now();
  const states = (list ?? []).map((a) => accountState(a, now).kind);
  if (list && list.length === 0) return null;
  return (
    <section className="card" aria-labelledby="glance-title">
      <div className="card-head">
        <h2 id="glance-title">Accounts</h2>
        <button type="button" className="button small" onClick={() => onNavigate('accounts')}>
          Manage accounts
        </button>
      </div>
      <ErrorText>{accounts.error}</ErrorText>
      {list && list.length > 0 && (
        <>
          <p>
            {states.filter((k) => k === 'ok').length} ready ·{' '}
            {states.includes('untried') ? `${states.filter((k) => k === 'untried').length} not tried yet · ` : ''}
            {states.filter((k) => k === 'cooling').length} cooling · {states.filter((k) => k === 'invalid').length} invalid ·{' '}
            {states.filter((k) => k === 'disabled').length} disabled
          </p>
          <ul className="glance">
            {list.map((a, i) => (
              <li key={a.id}>
                <span className={`dot state-${states[i]}`} aria-hidden="true" />
                <span>{a.label}</span>
                <span className="muted">
                  {KIND_LABELS[a.provider]} · {STATE_WORDS[states[i]!]} · {countOf(a.stats.requests, 'request')}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function WarningsCard() {
  const client = useControl();
  const [warnings, setWarnings] = useState<Warning[]>([]);
  useEffect(() => {
    let live = true;
    const off = client.onEvent('warning', (w) => setWarnings((prev) => [...prev, w]));
    client.listWarnings().then(
      (list) => live && setWarnings((prev) => [...list, ...prev.filter((w) => !list.some((l) => l.code === w.code && l.time === w.time))]),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [client]);
  if (warnings.length === 0) return null;
  return (
    <section className="card warn" aria-labelledby="warnings-title">
      <h2 id="warnings-title">Warnings</h2>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.code}-${w.time}`}>{describeWarning(w)}</li>
        ))}
      </ul>
    </section>
  );
}

function UpdateCard() {
  const client = useControl();
  const [update, setUpdate] = useState<UpdateStatus | null>(null);
  const action = useAction();
  useEffect(() => {
    let live = true;
    const off = client.onEvent('update', setUpdate);
    client.getUpdateStatus().then(
      (u) => live && setUpdate(u),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [client]);
  if (!update?.supported) return null;
  return (
    <section className="card" aria-labelledby="update-title">
      <div className="card-head">
        <h2 id="update-title">Updates</h2>
        <button
          type="button"
          className="button small"
          disabled={action.busy}
          onClick={() => void action.run(async () => setUpdate(await client.checkForUpdates()))}
        >
          Check now
        </button>
      </div>
      <p>
        Version {update.current_version}.{' '}
        {update.latest_version && update.release_url ? (
          <>
            Version {update.latest_version} is available:{' '}
            <a href={update.release_url} target="_blank" rel="noreferrer">
              release notes and download
            </a>
            .
          </>
        ) : update.checked_at ? (
          `Up to date (checked ${formatDateTime(update.checked_at)}).`
        ) : (
          'Not checked yet.'
        )}
      </p>
      {update.error && <ErrorText>{describeErrorCode(update.error)}</ErrorText>}
      <ErrorText>{action.error}</ErrorText>
    </section>
  );
}
