import { useState } from 'react';
import { ACCOUNT_KINDS, AccountPatchSchema, type Account } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { TextField } from '../../components/TextField.js';
import { issuesByField } from '../../forms/schema-issues.js';
import { OptionInput } from './OptionInput.js';
import { optionFields, optionValues } from './option-fields.js';

/** An account's label and options, changed in place; its key is never shown (Replace key sets a new one). */
export function EditAccountForm({ account: a, onDone }: { account: Account; onDone(): void }) {
  const client = useControl();
  const action = useAction();
  const kind = a.provider;
  const fields = optionFields(ACCOUNT_KINDS[kind].options);
  const [label, setLabel] = useState(a.label);
  const [options, setOptions] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(
      fields.map((f) => [f.name, ((a.options as Record<string, unknown>)[f.name] as string | boolean | undefined) ?? (f.kind === 'boolean' ? false : '')]),
    ),
  );
  const [issues, setIssues] = useState<Record<string, string>>({});
  const submit = async () => {
    const values = optionValues(fields, options);
    // Checked here by the same schemas the core applies, so a mistake is named beside its field at once.
    const patch = AccountPatchSchema.safeParse({ label, options: values });
    const parsedOptions = ACCOUNT_KINDS[kind].options.safeParse(values);
    const found = {
      ...(patch.success ? {} : issuesByField(patch.error.issues, { label, options: values })),
      ...(parsedOptions.success
        ? {}
        : issuesByField(
            parsedOptions.error.issues.map((i) => ({ ...i, path: ['options', ...i.path] })),
            { options: values },
          )),
    };
    setIssues(found);
    if (Object.keys(found).length > 0) return;
    const saved = await action.run(() => client.updateAccount(a.id, { label, options: values }));
    if (saved) onDone();
  };
  return (
    <form
      className="form-grid edit-account"
      aria-label={`Edit ${a.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField label="Label" value={label} onChange={setLabel} issue={issues.label} />
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
        <button type="submit" className="button primary small" disabled={action.busy}>
          Save changes
        </button>
        <button type="button" className="button small" onClick={onDone}>
          Cancel
        </button>
      </div>
      <ErrorText>{action.error}</ErrorText>
    </form>
  );
}
