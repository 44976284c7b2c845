import { useState } from 'react';
import {
  ACCOUNT_KINDS,
  ACCOUNT_PRESETS,
  GOOGLE_ACCOUNT_KIND,
  NewAccountSchema,
  type AccountKind,
  type AccountPresetId,
} from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { TextField } from '../../components/TextField.js';
import { KIND_LABELS, SECRET_LABELS } from '../../wording/option-labels.js';
import { PRESET_WORDS } from '../../wording/presets.js';
import { GoogleSignIn } from './GoogleSignIn.js';
import { OptionInput } from './OptionInput.js';
import { initialOptionValues, optionFields, optionValues } from './option-fields.js';
import { issuesByField } from '../../forms/schema-issues.js';
import { Segmented } from '../../components/Segmented.js';

/** What the form starts from: a provider's preset, an Anthropic-compatible endpoint of one's own, or a Google sign-in. */
type Start = AccountPresetId | 'custom' | 'google';

const STARTS: ReadonlyArray<{ value: Start; label: string }> = [
  ...ACCOUNT_PRESETS.map((p) => ({ value: p.id, label: PRESET_WORDS[p.id].label })),
  { value: 'custom', label: KIND_LABELS.anthropic },
  { value: 'google', label: KIND_LABELS[GOOGLE_ACCOUNT_KIND] },
];

export function AddAccountForm({ onDone }: { onDone(): void }) {
  const [start, setStart] = useState<Start>('anthropic');
  const preset = ACCOUNT_PRESETS.find((p) => p.id === start);
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">Add an account</h2>
      <Segmented label="Provider" name="account-provider" value={start} onChange={setStart} options={STARTS} />
      {preset && <p className="muted preset-hint">{PRESET_WORDS[preset.id].hint}</p>}
      {start === 'google' ? (
        <GoogleSignIn onDone={onDone} />
      ) : (
        <KeyAccountForm
          key={start}
          kind={preset?.kind ?? 'anthropic'}
          title={preset ? PRESET_WORDS[preset.id].label : KIND_LABELS.anthropic}
          preset={preset?.options ?? {}}
          onDone={onDone}
        />
      )}
    </section>
  );
}

/** An account that serves with an API key: a label, the key, and the kind's options, filled from a preset. */
function KeyAccountForm({ kind, title, preset, onDone }: { kind: AccountKind; title: string; preset: Readonly<Record<string, string>>; onDone(): void }) {
  const client = useControl();
  const action = useAction();
  const fields = optionFields(ACCOUNT_KINDS[kind].options);
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState('');
  const [options, setOptions] = useState(() => ({ ...initialOptionValues(fields), ...preset }));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const submit = async () => {
    const input = { provider: kind, label, [ACCOUNT_KINDS[kind].secret]: secret, options: optionValues(fields, options) };
    const parsed = NewAccountSchema.safeParse(input);
    if (!parsed.success) {
      setIssues(issuesByField(parsed.error.issues, input));
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
      aria-label={`New ${title} account`}
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
