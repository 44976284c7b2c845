import type { ReactNode } from 'react';
import { ErrorText } from '../../components/ErrorText.js';

/** A section's Save button, after any buttons of its own (such as Add rule), with "Saved." or the error that stopped it. */
export function SaveRow({
  busy,
  saved,
  error,
  label = 'Save',
  children,
}: {
  busy: boolean;
  saved: boolean;
  error: string | null;
  label?: string;
  children?: ReactNode;
}) {
  return (
    <>
      <div className="row">
        {children}
        <button type="submit" className="button primary" disabled={busy}>
          {label}
        </button>
        {saved && <span role="status">Saved.</span>}
      </div>
      <ErrorText>{error}</ErrorText>
    </>
  );
}
