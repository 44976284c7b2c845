import { useId } from 'react';

/** A labelled text input with a hint, or the validation message in its place. */
export function TextField({
  label,
  value,
  onChange,
  hint,
  issue,
  type = 'text',
  placeholder,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  hint?: string | undefined;
  issue?: string | undefined;
  type?: 'text' | 'password' | 'number';
  placeholder?: string;
}) {
  const id = useId();
  const note = issue ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={issue ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {note && (
        <small id={`${id}-note`} className={issue ? 'error-text' : 'muted'}>
          {note}
        </small>
      )}
    </div>
  );
}
