import { useState } from 'react';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { TextField } from '../../components/TextField.js';

/** Accounts to and from a file on the gateway's machine; keys and tokens only when explicitly asked. */
export function ImportExport() {
  const client = useControl();
  const action = useAction();
  const [path, setPath] = useState('');
  const [withSecrets, setWithSecrets] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const run = (what: () => Promise<string>) =>
    action.run(async () => {
      setResult(null);
      setResult(await what());
    });
  return (
    <section className="card" aria-labelledby="io-title">
      <h2 id="io-title">Import and export</h2>
      <div className="form-grid">
        <TextField label="File path on the gateway's machine" value={path} onChange={setPath} hint="e.g. /home/me/switchyard-accounts.json" />
        <label className="check">
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} />
          <span>
            Include keys and tokens <small className="muted">The file then holds everything needed to use the accounts; keep it private.</small>
          </span>
        </label>
        <div className="row">
          <button
            type="button"
            className="button"
            disabled={action.busy || !path.trim()}
            onClick={() =>
              void run(async () => {
                const r = await client.exportAccounts({ path: path.trim(), include_secrets: withSecrets });
                return `Exported ${r.count} account${r.count === 1 ? '' : 's'} to ${r.path}${withSecrets ? ', with keys and tokens' : ', without keys'}.`;
              })
            }
          >
            Export
          </button>
          <button
            type="button"
            className="button"
            disabled={action.busy || !path.trim()}
            onClick={() =>
              void run(async () => {
                const r = await client.importAccounts({ path: path.trim() });
                return `Imported ${r.added} account${r.added === 1 ? '' : 's'}; ${r.skipped} skipped (already here or without a key).`;
              })
            }
          >
            Import
          </button>
          {result && <span role="status">{result}</span>}
        </div>
        <ErrorText>{action.error}</ErrorText>
      </div>
    </section>
  );
}
