import { useState } from 'react';
import { useAccounts } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { AccountCard } from './AccountCard.js';
import { AddAccountForm } from './AddAccountForm.js';
import { ImportExport } from './ImportExport.js';

export function AccountsPage() {
  const accounts = useAccounts();
  const [adding, setAdding] = useState(false);
  const list = accounts.value;
  return (
    <div className="stack">
      <div className="toolbar">
        <button type="button" className="button primary" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          {adding ? 'Close the form' : 'Add account'}
        </button>
      </div>
      {adding && <AddAccountForm onDone={() => setAdding(false)} />}
      <ErrorText>{accounts.error}</ErrorText>
      {list && list.length === 0 && !adding && <p className="muted">No accounts yet. Add an API key or sign in with a Google account.</p>}
      <ul className="account-list" aria-label="Accounts">
        {list?.map((a) => (
          <AccountCard key={a.id} account={a} />
        ))}
      </ul>
      <ImportExport />
    </div>
  );
}
