import { useEffect, useState } from 'react';
import { ControlError, type GoogleSignInStart } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { describeErrorCode } from '../../wording/errors.js';
import { TextField } from '../../components/TextField.js';

/**
 * Google sign-in: the URL opens in a browser; the loopback redirect finishes it on this machine, or the
 * user pastes the code (or the whole redirect URL) from another one. Whichever comes first wins.
 */
export function GoogleSignIn({ onDone }: { onDone(): void }) {
  const client = useControl();
  const action = useAction();
  const { setError } = action;
  const [started, setStarted] = useState<GoogleSignInStart | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (!started) return;
    return client.onEvent('sign_in', (outcome) => {
      if (outcome.sign_in_id !== started.sign_in_id) return;
      setStarted(null);
      if (outcome.account) setDone(`Signed in as ${outcome.account.label}.`);
      else if (outcome.error) setError(describeErrorCode(outcome.error));
    });
  }, [client, started, setError]);

  const start = () =>
    action.run(async () => {
      setDone(null);
      const s = await client.startGoogleSignIn();
      setStarted(s);
      window.open(s.url, '_blank', 'noopener,noreferrer');
    });
  const finish = () =>
    action.run(async () => {
      if (!started) return;
      try {
        const account = await client.finishGoogleSignIn({ sign_in_id: started.sign_in_id, code });
        setStarted(null);
        setCode('');
        setDone(`Signed in as ${account.label}.`);
      } catch (err) {
        if (err instanceof ControlError && err.code === 'sign_in_expired') setStarted(null);
        throw err;
      }
    });
  const cancel = () =>
    action.run(async () => {
      if (started) await client.cancelGoogleSignIn(started.sign_in_id);
      setStarted(null);
    });

  return (
    <div className="stack">
      <div className="notice warn" role="note">
        <strong>Read this first.</strong> Pooling Google accounts through a third-party gateway may break Google's terms of service, and Google may suspend the
        accounts. API keys (Gemini API or an Anthropic-compatible provider) are the safe path.
      </div>
      {!started && (
        <div className="row">
          <button type="button" className="button primary" disabled={action.busy} onClick={() => void start()}>
            Sign in with Google
          </button>
          {done && (
            <>
              <span role="status">{done}</span>
              <button type="button" className="button small" onClick={onDone}>
                Close
              </button>
            </>
          )}
        </div>
      )}
      {started && (
        <form
          className="form-grid"
          aria-label="Finish Google sign-in"
          onSubmit={(e) => {
            e.preventDefault();
            void finish();
          }}
        >
          <p>
            A Google sign-in page has opened.{' '}
            <a href={started.url} target="_blank" rel="noreferrer">
              Open it again
            </a>{' '}
            if it did not. On this machine the sign-in finishes by itself; on another, paste the code or the address the browser was sent to.
          </p>
          <TextField label="Code or redirect URL" value={code} onChange={setCode} />
          <div className="row">
            <button type="submit" className="button primary" disabled={action.busy || code.trim() === ''}>
              Finish sign-in
            </button>
            <button type="button" className="button" onClick={() => void cancel()}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorText>{action.error}</ErrorText>
    </div>
  );
}
