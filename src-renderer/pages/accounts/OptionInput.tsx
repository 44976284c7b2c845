import type { AccountKind } from '../../../src-proxy/contract/index.js';
import { TextField } from '../../components/TextField.js';
import { choiceLabel, optionLabel } from '../../wording/option-labels.js';
import type { OptionField } from './option-fields.js';

/** One option of an account kind as a form control: a checkbox, a choice or a text field, with its words. */
export function OptionInput({
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
