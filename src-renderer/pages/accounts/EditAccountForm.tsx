import { useState } from 'react';
import { ACCOUNT_KINDS, AccountPatchSchema, type Account } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { TextField } from '../../components/TextField.js';
import { issuesByField } from '../../forms/schema-issues.js';
import { AccountForm, KindOptions, useAccountForm } from './AccountForm.js';
import { optionFields, optionValues } from './option-fields.js';

/** An account's label and options, changed in place; its key is never shown (Replace key sets a new one). */
export function EditAccountForm({ account: a, onDone }: { account: Account; onDone(): void }) {
  const client = useControl();
  const form = useAccountForm(onDone);
  const kind = a.provider;
  const fields = optionFields(ACCOUNT_KINDS[kind].options);
  const [label, setLabel] = useState(a.label);
  const [options, setOptions] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(
      fields.map((f) => [f.name, ((a.options as Record<string, unknown>)[f.name] as string | boolean | undefined) ?? (f.kind === 'boolean' ? false : '')]),
    ),
  );
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
    if (Object.keys(found).length > 0) return form.refuse(found);
    await form.send(() => client.updateAccount(a.id, { label, options: values }));
  };
  return (
    <AccountForm
      name={`Edit ${a.label}`}
      className="form-grid edit-account"
      state={form}
      onSubmit={() => void submit()}
      submitLabel="Save changes"
      compact
      onCancel={onDone}
    >
      <TextField label="Label" value={label} onChange={setLabel} issue={form.issues.label} />
      <KindOptions kind={kind} fields={fields} values={options} issues={form.issues} onChange={setOptions} />
    </AccountForm>
  );
}
