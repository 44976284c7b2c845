import { useMemo, useState } from 'react';
import { createHttpControlClient } from '../../src-proxy/contract/index.js';
import { forgetConsoleToken, storeConsoleToken, takeConsoleToken, type TokenPlace } from '../transport/console-token.js';
import { App } from './App.js';
import { ControlProvider } from './control-context.js';
import { TokenPrompt } from './TokenPrompt.js';

/** The headless console: signed in with the console token, or asking for it. */
export function ConsoleRoot({ place, fetchImpl }: { place: TokenPlace; fetchImpl?: typeof fetch }) {
  const [token, setToken] = useState<string | null>(() => takeConsoleToken(place));
  const [refused, setRefused] = useState(false);
  const client = useMemo(
    () =>
      token === null
        ? null
        : createHttpControlClient({
            token,
            fetch: fetchImpl,
            onUnauthorized: () => {
              forgetConsoleToken(place.storage);
              setRefused(true);
              setToken(null);
            },
          }),
    [token, place, fetchImpl],
  );
  if (!client)
    return (
      <TokenPrompt
        refused={refused}
        onToken={(t) => {
          storeConsoleToken(place.storage, t);
          setRefused(false);
          setToken(t.trim());
        }}
      />
    );
  return (
    <ControlProvider client={client}>
      <App />
    </ControlProvider>
  );
}
