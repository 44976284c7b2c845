import { useState } from 'react';
import { ACCOUNT_KINDS, presetOf, type Account } from '../../../src-proxy/contract/index.js';
import { TextField } from '../../components/TextField.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorText } from '../../components/ErrorText.js';
import { Switch } from '../../components/Switch.js';
import { countOf, formatCompact, formatCount, formatDateTime, formatTime, formatUntil } from '../../format/format.js';
import { describeAccountTest } from '../../wording/account-test.js';
import { KIND_LABELS } from '../../wording/option-labels.js';
import { PRESET_WORDS } from '../../wording/presets.js';
import { accountState, describeAccountState } from './account-state.js';
import { EditAccountForm } from './EditAccountForm.js';
import { GroupField } from './GroupField.js';
import { RateLimitBars } from './RateLimitBars.js';

export function AccountCard({ account: a }: { account: Account }) {
  const client = useControl();
  const action = useAction();
  const testing = useAction();
  const now = Date.now();
  const state = accountState(a, now);
  const preset = presetOf(a.provider, a.options as { base_url?: string });
  const [replacing, setReplacing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [newKey, setNewKey] = useState('');
  return (
    <li className="card account" aria-label={a.label}>
      <div className="card-head">
        <div>
          <h2 className="account-label">{a.label}</h2>
          <div className="muted">
            {preset ? PRESET_WORDS[preset].label : KIND_LABELS[a.provider]}
            {'base_url' in a.options && a.options.base_url ? ` · ${a.options.base_url}` : ''}
          </div>
        </div>
        <Switch
          label={`Enabled: ${a.label}`}
          showLabel={false}
          checked={a.enabled}
          disabled={action.busy}
          onChange={(enabled) => void action.run(() => client.updateAccount(a.id, { enabled }))}
        />
      </div>
      <p className={`account-state state-${state.kind}`}>
        <span className={`dot state-${state.kind}`} aria-hidden="true" />
        {describeAccountState(state, now, formatTime)}
      </p>
      {a.last_test && (
        <p className={`account-test ${a.last_test.failure === null ? 'passed' : 'failed'}`} role="status" aria-label={`Test of ${a.label}`}>
          <span className="muted">Tested {formatDateTime(a.last_test.at)}: </span>
          {describeAccountTest(a, a.last_test)}
        </p>
      )}
      {a.learned.quota.length > 0 && (
        <ul className="quota" aria-label={`Quota of ${a.label}`}>
          {a.learned.quota.map((q) => (
            <li key={q.model}>
              <span className="quota-model">{q.model}</span>
              <span
                className="bar"
                role="meter"
                aria-label={`${q.model} quota left`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(q.remaining * 100)}
              >
                <span className={`bar-fill ${q.remaining < 0.2 ? 'low' : ''}`} style={{ width: `${Math.round(q.remaining * 100)}%` }} />
              </span>
              <span className="muted">
                {Math.round(q.remaining * 100)}% left{q.resets_at ? `, resets ${formatUntil(q.resets_at, now)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <RateLimitBars account={a} now={now} />
      {/* Keyed by the group, so a change made elsewhere (CLI, another console) shows instead of a stale draft. */}
      <GroupField key={a.group ?? ''} account={a} />
      <div className="row account-foot">
        <span className="muted">
          {countOf(a.stats.requests, 'request')} · {formatCount(a.stats.failures)} failed · {formatCompact(a.stats.input_tokens)} in /{' '}
          {formatCompact(a.stats.output_tokens)} out tokens
          {a.stats.last_used_at ? ` · last used ${formatDateTime(a.stats.last_used_at)}` : ''}
        </span>
        <span className="spacer" />
        {(state.kind === 'invalid' || state.kind === 'cooling') && (
          <button
            type="button"
            className="button small"
            disabled={action.busy}
            onClick={() => void action.run(() => client.updateAccount(a.id, { reset_health: true }))}
          >
            Clear status
          </button>
        )}
        <button
          type="button"
          className="button small"
          disabled={testing.busy}
          aria-label={`Test ${a.label}`}
          title="One cheap real request through this account"
          onClick={() => void testing.run(() => client.testAccount(a.id))}
        >
          {testing.busy ? 'Testing…' : 'Test'}
        </button>
        {!editing && (
          <button type="button" className="button small" aria-label={`Edit ${a.label}`} onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        {ACCOUNT_KINDS[a.provider].secret === 'api_key' && !replacing && (
          <button type="button" className="button small" disabled={action.busy} onClick={() => setReplacing(true)}>
            Replace key
          </button>
        )}
        <ConfirmButton
          label="Remove"
          confirmLabel={`Remove ${a.label}`}
          disabled={action.busy}
          onConfirm={() => void action.run(() => client.removeAccount(a.id))}
        />
      </div>
      {editing && <EditAccountForm account={a} onDone={() => setEditing(false)} />}
      {replacing && (
        <form
          className="row replace-key"
          aria-label={`New API key for ${a.label}`}
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              await client.updateAccount(a.id, { api_key: newKey });
              setNewKey('');
              setReplacing(false);
            });
          }}
        >
          <TextField label="New API key" type="password" value={newKey} onChange={setNewKey} hint="Replaces the stored key and clears an invalid mark." />
          <button type="submit" className="button primary small" disabled={action.busy || newKey.trim() === ''}>
            Save key
          </button>
          <button type="button" className="button small" onClick={() => setReplacing(false)}>
            Cancel
          </button>
        </form>
      )}
      <ErrorText>{action.error ?? testing.error}</ErrorText>
    </li>
  );
}
