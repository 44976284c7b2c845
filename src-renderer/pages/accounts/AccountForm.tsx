import { useState, type ReactNode } from 'react';
import type { AccountKind } from '../../../src-proxy/contract/index.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { OptionInput } from './OptionInput.js';
import type { OptionField } from './option-fields.js';

/**
 * The state of a form that adds or changes an account: what the schemas found, named beside the fields
 * (`refuse`), or the call to the core once they found nothing (`send`), and `onDone` when it succeeded.
 */
export function useAccountForm(onDone: () => void) {
  const action = useAction();
  const [issues, setIssues] = useState<Record<string, string>>({});
  return {
    issues,
    busy: action.busy,
    error: action.error,
    refuse: (found: Record<string, string>) => setIssues(found),
    send: async (call: () => Promise<unknown>) => {
      setIssues({});
      if (await action.run(call)) onDone();
    },
  };
}

/**
 * An account form: its fields, then its Save button (and Cancel, where the form can be closed), then
 * the error that stopped the last call. `compact` is the form opened inside an account's card.
 */
export function AccountForm({
  name,
  className,
  state,
  onSubmit,
  submitLabel,
  compact = false,
  onCancel,
  children,
}: {
  name: string;
  className: string;
  state: { busy: boolean; error: string | null };
  onSubmit(): void;
  submitLabel: string;
  compact?: boolean;
  onCancel?: () => void;
  children: ReactNode;
}) {
  const size = compact ? ' small' : '';
  return (
    <form
      className={className}
      aria-label={name}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <div className="row">
        <button type="submit" className={`button primary${size}`} disabled={state.busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className={`button${size}`} onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorText>{state.error}</ErrorText>
    </form>
  );
}

/** The options of an account kind, each with the issue found in it. */
export function KindOptions({
  kind,
  fields,
  values,
  issues,
  onChange,
}: {
  kind: AccountKind;
  fields: readonly OptionField[];
  values: Record<string, string | boolean>;
  issues: Record<string, string>;
  onChange(values: Record<string, string | boolean>): void;
}) {
  return fields.map((f) => (
    <OptionInput
      key={f.name}
      kind={kind}
      field={f}
      value={values[f.name]}
      issue={issues[`options.${f.name}`]}
      onChange={(v) => onChange({ ...values, [f.name]: v })}
    />
  ));
}
