import { useState } from 'react';
import { PROVIDER_KINDS, type ModelRule, type ProviderKind } from '../../../src-proxy/contract/index.js';
import { KIND_LABELS } from '../../wording/option-labels.js';
import { SettingsForm, type SectionProps } from './SettingsForm.js';
import { useSettingsSave } from './save-settings.js';

interface Row {
  match: string;
  provider: ProviderKind;
  model: string;
  /** What this form does not edit (accounts, fallback links), kept as it was. */
  rest: Omit<ModelRule, 'match' | 'provider' | 'model'>;
}

function toRule(r: Row): ModelRule {
  const match = r.match.trim();
  const model = r.model.trim();
  return model === '' ? { match, provider: r.provider, ...r.rest } : { match, provider: r.provider, model, ...r.rest };
}

/** Model mapping rules in order: the first that matches routes the request. */
export function ModelRulesEditor({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const [rows, setRows] = useState<Row[]>(() =>
    settings.model_rules.map(({ match, provider, model, ...rest }) => ({ match, provider, model: model ?? '', rest })),
  );
  const update = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) => {
    const next = [...rows];
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row!);
    setRows(next);
  };
  return (
    <SettingsForm id="rules" title="Model mapping" onSubmit={() => void save.save({ model_rules: rows.map(toRule) })}>
      <p className="muted">
        Which upstream serves a model Claude Code asks for. Match an exact model id or a pattern with <code>*</code>; the first matching rule wins, then the
        built-in defaults. Leave the upstream model empty to send the requested one unchanged.
      </p>
      {rows.length > 0 && (
        <table className="rules">
          <thead>
            <tr>
              <th scope="col">Requested model</th>
              <th scope="col">Provider</th>
              <th scope="col">Upstream model</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const issue = save.issues[`model_rules.${i}.match`] ?? save.issues[`model_rules.${i}.model`] ?? save.issues[`model_rules.${i}.provider`];
              return (
                <tr key={i}>
                  <td>
                    <input
                      className="input"
                      aria-label={`Rule ${i + 1} requested model`}
                      value={r.match}
                      placeholder="claude-opus-*"
                      aria-invalid={save.issues[`model_rules.${i}.match`] ? true : undefined}
                      onChange={(e) => update(i, { match: e.target.value })}
                    />
                    {issue && <small className="error-text">{issue}</small>}
                  </td>
                  <td>
                    <select
                      className="input"
                      aria-label={`Rule ${i + 1} provider`}
                      value={r.provider}
                      onChange={(e) => update(i, { provider: e.target.value as ProviderKind })}
                    >
                      {PROVIDER_KINDS.map((p) => (
                        <option key={p} value={p}>
                          {KIND_LABELS[p]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-label={`Rule ${i + 1} upstream model`}
                      value={r.model}
                      placeholder="(unchanged)"
                      onChange={(e) => update(i, { model: e.target.value })}
                    />
                  </td>
                  <td className="rule-actions">
                    <button type="button" className="button small" aria-label={`Move rule ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Move rule ${i + 1} down`}
                      disabled={i === rows.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="button small danger-outline"
                      aria-label={`Remove rule ${i + 1}`}
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" className="button" onClick={() => setRows([...rows, { match: '', provider: 'anthropic', model: '', rest: {} }])}>
          Add rule
        </button>
        <button type="submit" className="button primary" disabled={save.busy}>
          Save rules
        </button>
        {save.saved && <span role="status">Saved.</span>}
      </div>
      {save.error && (
        <p className="error-text" role="alert">
          {save.error}
        </p>
      )}
    </SettingsForm>
  );
}
