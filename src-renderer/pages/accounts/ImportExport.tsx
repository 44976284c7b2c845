import { useRef, useState, type DragEvent } from 'react';
import { ControlError, MAX_ACCOUNTS_UPLOAD_CHARS } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorText } from '../../components/ErrorText.js';
import { countOf } from '../../format/format.js';

/** Hands `text` to the browser as a download named `name` (the desktop app asks where to save it). */
function saveAs(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the data by the next turn; the URL only holds the file in memory.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Accounts to and from a file on the user's own machine: a download, and an upload by file picker or
 * drop, carried over the control API. Keys and tokens go into the download only when ticked, and then
 * only once confirmed. (A path on the gateway's machine is the command line's: `accounts export`.)
 */
export function ImportExport() {
  const client = useControl();
  const action = useAction();
  const [withSecrets, setWithSecrets] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const run = (what: () => Promise<string>) =>
    action.run(async () => {
      setResult(null);
      setResult(await what());
    });
  const download = () =>
    run(async () => {
      const file = await client.downloadAccounts({ include_secrets: withSecrets });
      saveAs(file.file_name, file.content);
      return `Downloaded ${countOf(file.count, 'account')} as ${file.file_name}, ${withSecrets ? 'with keys and tokens: keep the file private' : 'without keys'}.`;
    });
  const upload = (file: File) =>
    action.run(async () => {
      setResult(null);
      // Refusals of the file itself are worded here: the core's words would be about an argument.
      if (file.size > MAX_ACCOUNTS_UPLOAD_CHARS) return action.setError(`${file.name} is too large to be an accounts export.`);
      try {
        const r = await client.uploadAccounts({ content: await file.text() });
        setResult(`Imported ${countOf(r.added, 'account')} from ${file.name}; ${r.skipped} skipped (already here or without a key).`);
      } catch (err) {
        if (!(err instanceof ControlError && err.code === 'invalid_argument')) throw err;
        action.setError(`${file.name} is not a Switchyard accounts export.`);
      }
    });
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void upload(file);
  };

  return (
    <section className="card" aria-labelledby="io-title">
      <h2 id="io-title">Import and export</h2>
      <div className="form-grid">
        <label className="check">
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} />
          <span>
            Include keys and tokens <small className="muted">The file then holds everything needed to use the accounts; keep it private.</small>
          </span>
        </label>
        <div className="row">
          {withSecrets ? (
            <ConfirmButton
              label="Download with keys and tokens"
              confirmLabel="Yes, put the keys in the file"
              disabled={action.busy}
              onConfirm={() => void download()}
            />
          ) : (
            <button type="button" className="button" disabled={action.busy} onClick={() => void download()}>
              Download export
            </button>
          )}
        </div>
        <div
          className={`drop-zone ${dragging ? 'dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <span>Drop an export file here to import its accounts, or</span>
          <button type="button" className="button" disabled={action.busy} onClick={() => picker.current?.click()}>
            Choose a file…
          </button>
          <input
            ref={picker}
            className="visually-hidden"
            type="file"
            accept=".json,application/json"
            aria-label="Export file to import"
            tabIndex={-1}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void upload(file);
            }}
          />
        </div>
        {result && <p role="status">{result}</p>}
        <ErrorText>{action.error}</ErrorText>
        <p className="muted">
          To write an export to a folder of the machine the gateway runs on, use <code>switchyard accounts export FILE</code> there.
        </p>
      </div>
    </section>
  );
}
