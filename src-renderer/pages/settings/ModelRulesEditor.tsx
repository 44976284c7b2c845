import { PROVIDER_KINDS, type Account, type ModelRule, type ModelTarget, type ProviderKind } from '../../../src-proxy/contract/index.js';
import { useAccounts } from '../../app/live-state.js';
import { KIND_LABELS } from '../../wording/option-labels.js';
import { moved, useDraftRows } from './draft-rows.js';
import { RowButtons } from './RowButtons.js';
import { SaveRow } from './SaveRow.js';
import { SettingsForm, type SectionProps } from './SettingsForm.js';
import { useSettingsSave } from './save-settings.js';

/** One target of a rule as the form edits it: the rule's own target is the first link, its fallbacks follow. */
interface Link {
  provider: ProviderKind;
  model: string;
  /** Account labels and group names; none: every account of the provider. */
  accounts: string[];
}

interface Row {
  match: string;
  links: Link[];
}

function linkOf(t: ModelTarget): Link {
  return { provider: t.provider, model: t.model ?? '', accounts: [...(t.accounts ?? [])] };
}

function targetOf(l: Link): ModelTarget {
  const model = l.model.trim();
  return { provider: l.provider, ...(model === '' ? {} : { model }), ...(l.accounts.length > 0 ? { accounts: l.accounts } : {}) };
}

function toRule(r: Row): ModelRule {
  const [first, ...rest] = r.links;
  return { match: r.match.trim(), ...targetOf(first!), ...(rest.length > 0 ? { fallback: rest.map(targetOf) } : {}) };
}

function rowOf({ match, fallback, ...target }: ModelRule): Row {
  return { match, links: [linkOf(target), ...(fallback ?? []).map(linkOf)] };
}

/** The names a link of `provider` can be narrowed to: the labels of its accounts, then their groups. */
function namesFor(accounts: readonly Account[], provider: ProviderKind, chosen: readonly string[]): Array<{ name: string; group: boolean }> {
  const own = accounts.filter((a) => a.provider === provider);
  const out: Array<{ name: string; group: boolean }> = own.map((a) => ({ name: a.label, group: false }));
  for (const g of new Set(own.map((a) => a.group).filter((g): g is string => !!g))) out.push({ name: g, group: true });
  // A name the rule holds that no account carries any more stays visible, so saving does not drop it unseen.
  for (const name of chosen) if (!out.some((o) => o.name === name)) out.push({ name, group: false });
  return out;
}

/**
 * Model mapping rules in order: the first that matches routes the request, to its first target, then to
 * each fallback in turn when the one before has no account left that can serve.
 */
export function ModelRulesEditor({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const accounts = useAccounts().value ?? [];
  const draft = useDraftRows<Row>(() => settings.model_rules.map(rowOf));
  const rows = draft.rows;
  const setRow = draft.replace;
  const setLink = (i: number, k: number, patch: Partial<Link>) =>
    setRow(i, { ...rows[i]!, links: rows[i]!.links.map((l, m) => (m === k ? { ...l, ...patch } : l)) });
  const issueAt = (path: string) => save.issues[path];
  return (
    <SettingsForm id="rules" title="Model mapping" onSubmit={() => void save.save({ model_rules: rows.map(toRule) })}>
      <p className="muted">
        Which upstream serves a model Claude Code asks for. Match an exact model id or a pattern with <code>*</code>; the first matching rule wins, then the
        built-in defaults. Each rule sends the request to its first target; when no account of a target can serve it (cooling, out of quota, refused, or failing
        now), the next target is tried. Leave the upstream model empty to send the requested one unchanged, and tick accounts or groups to use only those.
      </p>
      <ol className="rule-list">
        {rows.map((r, i) => {
          const ruleName = `Rule ${i + 1}`;
          const matchIssue = issueAt(`model_rules.${i}.match`);
          return (
            <li key={i} className="rule" aria-label={ruleName}>
              <div className="row rule-head">
                <input
                  className="input"
                  aria-label={`${ruleName} requested model`}
                  value={r.match}
                  placeholder="claude-opus-*"
                  aria-invalid={matchIssue ? true : undefined}
                  onChange={(e) => setRow(i, { ...r, match: e.target.value })}
                />
                <span className="rule-actions">
                  <RowButtons name={ruleName.toLowerCase()} index={i} count={rows.length} onMove={(by) => draft.move(i, by)} onRemove={() => draft.remove(i)} />
                </span>
              </div>
              {matchIssue && <small className="error-text">{matchIssue}</small>}
              <ol className="links" aria-label={`${ruleName} targets`}>
                {r.links.map((l, k) => {
                  const linkName = `${ruleName} target ${k + 1}`;
                  const path = k === 0 ? `model_rules.${i}` : `model_rules.${i}.fallback.${k - 1}`;
                  const issue = issueAt(`${path}.provider`) ?? issueAt(`${path}.model`) ?? issueAt(`${path}.accounts`) ?? issueAt(path);
                  const names = namesFor(accounts, l.provider, l.accounts);
                  return (
                    <li key={k} className="link" aria-label={linkName}>
                      <span className="link-order muted">{k === 0 ? 'First' : 'Then'}</span>
                      <select
                        className="input"
                        aria-label={`${linkName} provider`}
                        value={l.provider}
                        onChange={(e) => setLink(i, k, { provider: e.target.value as ProviderKind, accounts: [] })}
                      >
                        {PROVIDER_KINDS.map((p) => (
                          <option key={p} value={p}>
                            {KIND_LABELS[p]}
                          </option>
                        ))}
                      </select>
                      <input
                        className="input"
                        aria-label={`${linkName} upstream model`}
                        value={l.model}
                        placeholder="(requested model)"
                        onChange={(e) => setLink(i, k, { model: e.target.value })}
                      />
                      <fieldset className="link-accounts">
                        <legend className="visually-hidden">{`${linkName} accounts`}</legend>
                        {names.length === 0 && <span className="muted">no {KIND_LABELS[l.provider]} account yet</span>}
                        {names.map(({ name, group }) => (
                          <label key={`${group ? 'g' : 'a'}:${name}`} className="check">
                            <input
                              type="checkbox"
                              aria-label={`${linkName}: ${group ? 'group' : 'account'} ${name}`}
                              checked={l.accounts.includes(name)}
                              onChange={(e) => setLink(i, k, { accounts: e.target.checked ? [...l.accounts, name] : l.accounts.filter((n) => n !== name) })}
                            />
                            {group ? `group ${name}` : name}
                          </label>
                        ))}
                        {names.length > 0 && l.accounts.length === 0 && <span className="muted">all accounts</span>}
                      </fieldset>
                      <span className="rule-actions">
                        <RowButtons
                          name={linkName.toLowerCase()}
                          index={k}
                          count={r.links.length}
                          removable={r.links.length > 1}
                          onMove={(by) => setRow(i, { ...r, links: moved(r.links, k, by) })}
                          onRemove={() => setRow(i, { ...r, links: r.links.filter((_, m) => m !== k) })}
                        />
                      </span>
                      {issue && <small className="error-text link-issue">{issue}</small>}
                    </li>
                  );
                })}
              </ol>
              <button
                type="button"
                className="button small"
                onClick={() => setRow(i, { ...r, links: [...r.links, { provider: 'anthropic', model: '', accounts: [] }] })}
              >
                Add fallback to {ruleName.toLowerCase()}
              </button>
            </li>
          );
        })}
      </ol>
      <SaveRow busy={save.busy} saved={save.saved} error={save.error} label="Save rules">
        <button type="button" className="button" onClick={() => draft.add({ match: '', links: [{ provider: 'anthropic', model: '', accounts: [] }] })}>
          Add rule
        </button>
      </SaveRow>
    </SettingsForm>
  );
}
