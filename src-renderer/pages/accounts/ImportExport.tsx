import { useState } from 'react';
import { ControlError } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorText } from '../../components/ErrorText.js';
import { TextField } from '../../components/TextField.js';
import { countOf } from '../../format/format.js';

/** Accounts to and from a file on the gateway's machine; keys and tokens only when explicitly asked. */
export function ImportExport() {
  const client = useControl();
  const action = useAction();
  const [path, setPath] = useState('');
  const [withSecrets, setWithSecrets] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  /** A file the export found in place: replaced only once the user confirms. */
  const [existing, setExisting] = useState<string | null>(null);
  const exportTo = async (target: string, overwrite: boolean) => {
    setExisting(null);
    try {
      const r = await client.exportAccounts({ path: target, include_secrets: withSecrets, ...(overwrite ? { overwrite } : {}) });
      return `Exported ${countOf(r.count, 'account')} to ${r.path}${withSecrets ? ', with keys and tokens' : ', without keys'}.`;
    } catch (err) {
      if (err instanceof ControlError && err.code === 'already_exists') setExisting(target);
      throw err;
    }
  };
  const run = (what: () => Promise<string>) =>
    action.run(async () => {
      setResult(null);
      setResult(await what());
    });
  const button = (label: string, what: () => Promise<string>) => (
    <button type="button" className="button" disabled={action.busy || !path.trim()} onClick={() => void run(what)}>
      {label}
    </button>
  );
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
          {button('Export', () => exportTo(path.trim(), false))}
          {existing !== null && existing === path.trim() && (
            <ConfirmButton label="Replace the file" confirmLabel={`Replace ${existing}`} onConfirm={() => void run(() => exportTo(existing, true))} />
          )}
          {button('Import', async () => {
            const r = await client.importAccounts({ path: path.trim() });
            return `Imported ${countOf(r.added, 'account')}; ${r.skipped} skipped (already here or without a key).`;
          })}
          {result && <span role="status">{result}</span>}
        </div>
        <ErrorText>{action.error}</ErrorText>
      </div>
    </section>
  );
}
