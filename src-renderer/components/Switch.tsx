/**
 * An on/off control announced as a switch, named by `label`. `text` is what it shows beside it when
 * that should follow the state ("Gateway running" / "Gateway stopped"); its name stays `label`, so a
 * screen reader hears one name with on or off.
 */
export function Switch({
  label,
  text,
  checked,
  onChange,
  disabled = false,
  showLabel = true,
}: {
  label: string;
  text?: string;
  checked: boolean;
  onChange(next: boolean): void;
  disabled?: boolean;
  showLabel?: boolean;
}) {
  const shown = showLabel ? (text ?? label) : null;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={shown === label ? undefined : label}
      className="switch"
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      {shown !== null && (
        <span className="switch-label" aria-hidden={shown === label ? undefined : true}>
          {shown}
        </span>
      )}
    </button>
  );
}
