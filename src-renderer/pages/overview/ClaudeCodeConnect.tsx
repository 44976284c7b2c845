import { useCallback, useEffect, useState } from 'react';
import type { ClaudeCodeDisconnectResult, ClaudeCodeStatus } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { ErrorText } from '../../components/ErrorText.js';
import { describeClaudeDrift, describeDisconnect } from '../../wording/claude-code.js';

/**
 * One click to point Claude Code's user settings at the gateway, and one to put them back. The state is
 * read again whenever the core says a settings file changed (a connect from the CLI or the tray too).
 */
export function ClaudeCodeConnect() {
  const client = useControl();
  const action = useAction();
  const [status, setStatus] = useState<ClaudeCodeStatus | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const reload = useCallback(() => client.getClaudeCodeStatus({}).then(setStatus, () => undefined), [client]);
  useEffect(() => {
    void reload();
    const offFile = client.onEvent('claude_code', () => void reload());
    // A new port or key changes what "connected" means.
    const offSettings = client.onEvent('settings', () => void reload());
    const offStatus = client.onEvent('status', () => void reload());
    return () => {
      offFile();
      offSettings();
      offStatus();
    };
  }, [client, reload]);

  const connect = () =>
    action.run(async () => {
      const result = await client.connectClaudeCode({});
      setStatus(result.status);
      setOutcome(result.already_linked ? 'Connected again; the values from before the first connect are still kept.' : null);
    });
  const disconnect = () =>
    action.run(async () => {
      const result: ClaudeCodeDisconnectResult = await client.disconnectClaudeCode({});
      setStatus(result.status);
      setOutcome(describeDisconnect(result));
    });

  if (!status) return null;
  const file = <code>{status.settings_file}</code>;
  return (
    <div className="claude-connect" role="group" aria-label="Claude Code connection">
      {status.connected ? (
        <p>
          <span className="dot state-ok" aria-hidden="true" /> Claude Code uses this gateway: {file} points at <code>{status.gateway_url}</code>.
        </p>
      ) : status.linked ? (
        <>
          <p>
            <span className="dot state-cooling" aria-hidden="true" /> Claude Code was connected, but {file} no longer matches the gateway:
          </p>
          <ul className="drift">
            {status.drift.map((d) => (
              <li key={d}>{describeClaudeDrift(d, status)}</li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">
          Connect writes the gateway address and key into {file}, Claude Code&apos;s own settings; everything else in the file stays, and Disconnect puts it
          back as it was.
        </p>
      )}
      <div className="row">
        {!status.connected && (
          <button type="button" className="button primary" disabled={action.busy} onClick={() => void connect()}>
            {status.linked ? 'Connect again' : 'Connect Claude Code'}
          </button>
        )}
        {(status.linked || status.connected) && (
          <button type="button" className="button" disabled={action.busy} onClick={() => void disconnect()}>
            Disconnect
          </button>
        )}
      </div>
      {outcome && (
        <p className="muted" role="status">
          {outcome}
        </p>
      )}
      <ErrorText>{action.error}</ErrorText>
    </div>
  );
}
