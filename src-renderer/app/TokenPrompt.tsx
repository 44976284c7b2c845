import { useState } from 'react';

export function TokenPrompt({ refused, onToken }: { refused: boolean; onToken(token: string): void }) {
  const [value, setValue] = useState('');
  return (
    <main className="token-prompt">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onToken(value);
        }}
      >
        <h1>Switchyard console</h1>
        <p>
          Open the link <code>switchyard serve</code> printed (the line starting with <code>console:</code>), or paste the token from it (the part after{' '}
          <code>#token=</code>). It is also in the file <code>console-token</code> in the data folder.
        </p>
        {refused && (
          <p className="error-text" role="alert">
            That token was refused. Paste the current one.
          </p>
        )}
        <label className="field">
          <span>Console token</span>
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        </label>
        <button type="submit" className="button primary" disabled={!value.trim()}>
          Open console
        </button>
      </form>
    </main>
  );
}
