import { useState } from 'react';
import { ACCOUNT_KIND_NAMES, ACCOUNT_KINDS, accountKindSpec, NewAccountSchema, type AccountKind } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { TextField } from '../../components/TextField.js';
import { choiceLabel, KIND_LABELS, optionLabel, SECRET_LABELS } from '../../wording/option-labels.js';
import { GoogleSignIn } from './GoogleSignIn.js';
import { initialOptionValues, optionFields, optionValues, type OptionField } from './option-fields.js';
import { issuesByField } from '../../forms/schema-issues.js';
import { Segmented } from '../../components/Segmented.js';

export function AddAccountForm({ onDone }: { onDone(): void }) {
  const [kind, setKind] = useState<AccountKind>('anthropic');
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">Add an account</h2>
      <Segmented
        label="Account kind"
        name="account-kind"
        value={kind}
        onChange={setKind}
        options={ACCOUNT_KIND_NAMES.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
      />
      {accountKindSpec(kind).signIn === 'google' ? <GoogleSignIn onDone={onDone} /> : <KeyAccountForm key={kind} kind={kind} onDone={onDone} />}
    </section>
  );
}

/** An account that serves with an API key: a label, the key, and the kind's options. */
function KeyAccountForm({ kind, onDone }: { kind: AccountKind; onDone(): void }) {
  const client = useControl();
  const action = useAction();
  const fields = optionFields(ACCOUNT_KINDS[kind].options);
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState('');
  const [options, setOptions] = useState(() => initialOptionValues(fields));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const submit = async () => {
    const input = { provider: kind, label, [ACCOUNT_KINDS[kind].secret]: secret, options: optionValues(fields, options) };
    const parsed = NewAccountSchema.safeParse(input);
    if (!parsed.success) {
      setIssues(issuesByField(parsed.error.issues));
      return;
    }
    setIssues({});
    const added = await action.run(() => client.addAccount(parsed.data));
    if (added) onDone();
  };
  const secretLabel = SECRET_LABELS[ACCOUNT_KINDS[kind].secret];
  return (
    <form
      className="form-grid"
      aria-label={`New ${KIND_LABELS[kind]} account`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField label="Label" hint="A name you recognise, e.g. the account's email." value={label} onChange={setLabel} issue={issues.label} />
      <TextField
        label={secretLabel}
        type="password"
        hint="Stored by the gateway; never shown again."
        value={secret}
        onChange={setSecret}
        issue={issues[ACCOUNT_KINDS[kind].secret]}
      />
      {fields.map((f) => (
        <OptionInput
          key={f.name}
          kind={kind}
          field={f}
          value={options[f.name]}
          issue={issues[`options.${f.name}`]}
          onChange={(v) => setOptions({ ...options, [f.name]: v })}
        />
      ))}
      <div className="row">
        <button type="submit" className="button primary" disabled={action.busy}>
          Add account
        </button>
      </div>
      <ErrorText>{action.error}</ErrorText>
    </form>
  );
}

function OptionInput({
  kind,
  field,
  value,
  onChange,
  issue,
}: {
  kind: AccountKind;
  field: OptionField;
  value: string | boolean | undefined;
  onChange(v: string | boolean): void;
  issue?: string | undefined;
}) {
  const { label, hint } = optionLabel(kind, field.name);
  if (field.kind === 'boolean')
    return (
      <label className="check">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span>
          {label}
          {hint && <small className="muted"> {hint}</small>}
        </span>
      </label>
    );
  if (field.kind === 'choice')
    return (
      <label className="field">
        <span>{label}</span>
        <select value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {field.choices.map((c) => (
            <option key={c} value={c}>
              {choiceLabel(c)}
            </option>
          ))}
        </select>
      </label>
    );
  return <TextField label={field.required ? label : `${label} (optional)`} hint={hint} value={String(value ?? '')} onChange={onChange} issue={issue} />;
}
