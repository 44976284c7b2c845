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
import { TextField } from '../../components/TextField.js';
import { KIND_LABELS, SECRET_LABELS } from '../../wording/option-labels.js';
import { PRESET_WORDS } from '../../wording/presets.js';
import { AccountForm, KindOptions, useAccountForm } from './AccountForm.js';
import { GoogleSignIn } from './GoogleSignIn.js';
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
  const form = useAccountForm(onDone);
  const fields = optionFields(ACCOUNT_KINDS[kind].options);
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState('');
  const [options, setOptions] = useState(() => ({ ...initialOptionValues(fields), ...preset }));
  const submit = async () => {
    const input = { provider: kind, label, [ACCOUNT_KINDS[kind].secret]: secret, options: optionValues(fields, options) };
    const parsed = NewAccountSchema.safeParse(input);
    if (!parsed.success) return form.refuse(issuesByField(parsed.error.issues, input));
    await form.send(() => client.addAccount(parsed.data));
  };
  const secretLabel = SECRET_LABELS[ACCOUNT_KINDS[kind].secret];
  return (
    <AccountForm name={`New ${title} account`} className="form-grid" state={form} onSubmit={() => void submit()} submitLabel="Add account">
      <TextField label="Label" hint="A name you recognise, e.g. the account's email." value={label} onChange={setLabel} issue={form.issues.label} />
      <TextField
        label={secretLabel}
        type="password"
        hint="Stored by the gateway; never shown again."
        value={secret}
        onChange={setSecret}
        issue={form.issues[ACCOUNT_KINDS[kind].secret]}
      />
      <KindOptions kind={kind} fields={fields} values={options} issues={form.issues} onChange={setOptions} />
    </AccountForm>
  );
}
