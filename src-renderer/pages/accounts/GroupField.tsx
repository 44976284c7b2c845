import { useState } from 'react';
import type { Account } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';

/** The account's group, which mapping rules can name instead of listing accounts; empty takes it out. */
export function GroupField({ account: a }: { account: Account }) {
  const client = useControl();
  const action = useAction();
  const [value, setValue] = useState(a.group ?? '');
  const changed = value.trim() !== (a.group ?? '');
  return (
    <form
      className="row group-field"
      aria-label={`Group of ${a.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(() => client.updateAccount(a.id, { group: value.trim() === '' ? null : value.trim() }));
      }}
    >
      <label className="muted" htmlFor={`group-${a.id}`}>
        Group
      </label>
      <input id={`group-${a.id}`} className="input small" value={value} placeholder="(none)" onChange={(e) => setValue(e.target.value)} />
      {changed && (
        <button type="submit" className="button small" disabled={action.busy}>
          Save group
        </button>
      )}
      <ErrorText>{action.error}</ErrorText>
    </form>
  );
}
