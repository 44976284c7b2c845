import { useState } from 'react';
import { DEFAULT_PRICES, type PriceRow } from '../../../src-proxy/contract/index.js';
import { useDraftRows } from './draft-rows.js';
import { RowButtons } from './RowButtons.js';
import { SaveRow } from './SaveRow.js';
import { SettingsForm, type SectionProps } from './SettingsForm.js';
import { useSettingsSave } from './save-settings.js';

const FIELDS = [
  ['input', 'Input'],
  ['output', 'Output'],
  ['cache_write', 'Cache write'],
  ['cache_read', 'Cache read'],
] as const;
type PriceField = (typeof FIELDS)[number][0];

/** A row as typed: the numbers stay text until saved, so a half-typed "0." is not thrown away. */
type Draft = { model: string } & Record<PriceField, string>;

const draftOf = (r: PriceRow): Draft => ({
  model: r.model,
  input: String(r.input),
  output: String(r.output),
  cache_write: String(r.cache_write),
  cache_read: String(r.cache_read),
});

/** What is wrong with a typed row, in words; null when it can be saved. */
function problemOf(d: Draft, others: readonly Draft[]): string | null {
  if (d.model.trim() === '') return 'Name the upstream model (or a pattern such as glm-4.6*).';
  if (others.some((o) => o.model.trim().toLowerCase() === d.model.trim().toLowerCase())) return `${d.model.trim()} has a price above already.`;
  for (const [field, label] of FIELDS) {
    const n = Number(d[field]);
    if (d[field].trim() === '' || !Number.isFinite(n) || n < 0) return `${label}: enter a price in dollars of 0 or more.`;
  }
  return null;
}

/** The head of both price tables: the model, its four prices, and a column for the row's buttons. */
function PriceHead() {
  return (
    <thead>
      <tr>
        <th scope="col">Upstream model</th>
        {FIELDS.map(([f, label]) => (
          <th key={f} scope="col" className="num">
            {label}
          </th>
        ))}
        <th scope="col">
          <span className="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

/**
 * The price per upstream model. The shipped list prices apply unless a row here replaces one (same
 * model) or adds a model they do not know; a request whose model has no price at all shows "no price".
 */
export function PricesEditor({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const draft = useDraftRows<Draft>(() => settings.model_prices.map(draftOf));
  const rows = draft.rows;
  const [shown, setShown] = useState(false);
  const problems = rows.map((r, i) => problemOf(r, rows.slice(0, i)));
  const submit = () => {
    if (problems.some((p) => p !== null)) return;
    void save.save({
      model_prices: rows.map((r) => ({
        model: r.model.trim(),
        input: Number(r.input),
        output: Number(r.output),
        cache_write: Number(r.cache_write),
        cache_read: Number(r.cache_read),
      })),
    });
  };
  const change = (shipped: PriceRow) => {
    if (!rows.some((r) => r.model.toLowerCase() === shipped.model.toLowerCase())) draft.add(draftOf(shipped));
  };
  return (
    <SettingsForm id="prices" title="Prices" onSubmit={submit}>
      <p className="muted">
        US dollars per million tokens, by the upstream model that served a request. Switchyard ships the providers&apos; list prices; a row here replaces the
        shipped price of its model, or prices a model they do not cover. A model matches its exact id, or a pattern with <code>*</code>.
      </p>
      {rows.length > 0 && (
        <table className="rules prices">
          <PriceHead />
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input
                    className="input"
                    aria-label={`Price ${i + 1} model`}
                    value={r.model}
                    placeholder="glm-4.6*"
                    onChange={(e) => draft.update(i, { model: e.target.value })}
                  />
                  {problems[i] && <small className="error-text">{problems[i]}</small>}
                </td>
                {FIELDS.map(([f, label]) => (
                  <td key={f}>
                    <input
                      className="input num"
                      inputMode="decimal"
                      aria-label={`Price ${i + 1} ${label.toLowerCase()}`}
                      value={r[f]}
                      onChange={(e) => draft.update(i, { [f]: e.target.value })}
                    />
                  </td>
                ))}
                <td className="rule-actions">
                  <RowButtons name={`price ${i + 1}`} index={i} count={rows.length} onRemove={() => draft.remove(i)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SaveRow busy={save.busy} saved={save.saved} error={save.error} label="Save prices">
        <button type="button" className="button" onClick={() => draft.add({ model: '', input: '', output: '', cache_write: '', cache_read: '' })}>
          Add price
        </button>
      </SaveRow>
      <button type="button" className="link-button" aria-expanded={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'} the shipped list prices ({DEFAULT_PRICES.length} models)
      </button>
      {shown && (
        <table className="rules prices shipped" aria-label="Shipped list prices">
          <PriceHead />
          <tbody>
            {DEFAULT_PRICES.map((p) => {
              const replaced = settings.model_prices.some((r) => r.model.toLowerCase() === p.model.toLowerCase());
              return (
                <tr key={p.model} className={replaced ? 'replaced' : undefined}>
                  <td className="mono">
                    {p.model}
                    {replaced && <small className="muted"> (replaced above)</small>}
                  </td>
                  {FIELDS.map(([f]) => (
                    <td key={f} className="num">
                      {p[f]}
                    </td>
                  ))}
                  <td className="rule-actions">
                    <button type="button" className="button small" aria-label={`Change the price of ${p.model}`} onClick={() => change(p)}>
                      Change
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </SettingsForm>
  );
}
