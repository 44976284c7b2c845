import { useEffect, useState } from 'react';
import { AUTH_MODES, type AuthMode, type Settings } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useSettings, useStatus } from '../../app/live-state.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorText } from '../../components/ErrorText.js';
import { Switch } from '../../components/Switch.js';
import { TextField } from '../../components/TextField.js';
import { hostNote, portNote } from './listen-note.js';
import { maskSecret } from './mask.js';
import { ModelRulesEditor } from './ModelRulesEditor.js';
import { PricesEditor } from './PricesEditor.js';
import { SaveRow } from './SaveRow.js';
import { useSettingsSave } from './save-settings.js';
import { SettingsForm, type SectionProps } from './SettingsForm.js';

export function SettingsPage() {
  const live = useSettings();
  const s = live.value;
  if (!s) return <ErrorText>{live.error}</ErrorText>;
  return (
    <div className="stack">
      <ListenSection settings={s} onSaved={live.set} />
      <AuthSection settings={s} onSaved={live.set} />
      <ModelRulesEditor settings={s} onSaved={live.set} />
      <PricesEditor settings={s} onSaved={live.set} />
      <HistorySection settings={s} onSaved={live.set} />
      <GoogleSection settings={s} onSaved={live.set} />
      <UpstreamCertificatesSection settings={s} onSaved={live.set} />
      <UpdatesSection settings={s} onSaved={live.set} />
    </div>
  );
}

/** A number field's text as a number for the schema to judge; empty or not a number stays NaN. */
function asNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function ListenSection({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const status = useStatus().value;
  const [port, setPort] = useState(String(settings.port));
  const [consolePort, setConsolePort] = useState(String(settings.console_port));
  useEffect(() => setPort(String(settings.port)), [settings.port]);
  // The core refuses the same; saying it before the click spares the user an error.
  const canOpen = settings.auth_mode !== 'off' && settings.api_key !== '';
  const lan = settings.host !== '127.0.0.1' && settings.host !== 'localhost' && settings.host !== '::1';
  const locked = !canOpen && !lan ? 'Turn authentication on and set an API key first: without them anyone on the network could use your accounts.' : null;
  // Where this run listens when serve --host chose it; otherwise who can reach the saved host.
  const forRun = hostNote(status, settings.host);
  const reach = lan ? `Listening on ${settings.host}: other machines on the network can connect with the API key.` : 'Only this machine can connect.';
  return (
    <SettingsForm
      id="listen"
      title="Gateway address"
      onSubmit={() => {
        void save.save({ port: asNumber(port), console_port: asNumber(consolePort) });
      }}
    >
      <div className="form-grid">
        <TextField label="Port" type="number" value={port} onChange={setPort} issue={save.issues.port} hint={portNote(status, settings.port)} />
        <TextField
          label="Console port"
          type="number"
          value={consolePort}
          onChange={setConsolePort}
          issue={save.issues.console_port}
          hint="This console's own port (headless mode); applies at the next start of switchyard serve."
        />
        <div className="field">
          <Switch
            label="Allow LAN access"
            checked={lan}
            disabled={save.busy || (!lan && !canOpen)}
            onChange={(on) => void save.save({ host: on ? '0.0.0.0' : '127.0.0.1' })}
          />
          <small className="muted">{[locked, forRun ?? (locked ? null : reach)].filter(Boolean).join(' ')}</small>
        </div>
        <SaveRow busy={save.busy} saved={save.saved} error={save.error} />
      </div>
    </SettingsForm>
  );
}

const AUTH_MODE_WORDS: Readonly<Record<AuthMode, { label: string; hint: string }>> = {
  off: { label: 'Off', hint: 'No key needed (this machine only).' },
  strict: { label: 'Strict', hint: 'Every request needs the API key.' },
  'all-except-health': { label: 'All except health', hint: 'Every request but the health check needs the key.' },
};

/** Why a mode cannot be saved as things are; null when it can. */
function lockOut(mode: AuthMode, key: string): string | null {
  return mode !== 'off' && key === ''
    ? 'Not saved: with authentication on and no API key, the gateway would refuse every request, Claude Code included. Generate a key first, then save.'
    : null;
}

function AuthSection({ settings, onSaved }: SectionProps) {
  const client = useControl();
  const save = useSettingsSave(settings, onSaved);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // The mode is chosen, then saved, like every other setting; a change made elsewhere replaces the draft.
  const [mode, setMode] = useState<AuthMode>(settings.auth_mode);
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => setMode(settings.auth_mode), [settings.auth_mode]);
  const key = settings.api_key;
  const changed = mode !== settings.auth_mode;
  const submit = () => {
    const why = lockOut(mode, key);
    setRefusal(why);
    if (why === null) void save.save({ auth_mode: mode });
  };
  const generate = () =>
    save.run(async () => {
      setConfirming(false);
      onSaved(await client.generateApiKey());
    });
  return (
    <SettingsForm id="auth" title="Authentication" onSubmit={submit}>
      <div role="radiogroup" aria-label="Authentication mode" className="radio-list">
        {AUTH_MODES.map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="auth-mode"
              checked={mode === m}
              disabled={save.busy}
              onChange={() => {
                setMode(m);
                setRefusal(null);
              }}
            />
            <span>
              {AUTH_MODE_WORDS[m].label} <small className="muted">{AUTH_MODE_WORDS[m].hint}</small>
            </span>
          </label>
        ))}
      </div>
      <div className="row">
        <button type="submit" className="button primary" disabled={save.busy || !changed}>
          Save authentication
        </button>
        {changed && <span className="muted">Not saved yet: now {AUTH_MODE_WORDS[settings.auth_mode].label.toLowerCase()}.</span>}
        {save.saved && !changed && <span role="status">Saved.</span>}
      </div>
      <ErrorText>{refusal}</ErrorText>
      {settings.auth_mode !== 'off' && key === '' && (
        <p className="error-text">Authentication is on but no API key is set: every request is refused. Generate a key.</p>
      )}
      <div className="field">
        <span className="field-title" id="api-key-label">
          API key
        </span>
        <div className="row">
          <code className="secret" aria-labelledby="api-key-label" data-testid="api-key">
            {key === '' ? 'not set' : revealed ? key : maskSecret(key)}
          </code>
          {key !== '' && (
            <button type="button" className="button small" onClick={() => setRevealed(!revealed)}>
              {revealed ? 'Hide key' : 'Reveal key'}
            </button>
          )}
          {key !== '' && <CopyButton text={key} label="Copy API key" />}
          {key !== '' && !confirming ? (
            <button type="button" className="button small" disabled={save.busy} onClick={() => setConfirming(true)}>
              Generate new key
            </button>
          ) : key !== '' ? (
            <span className="confirm" role="group" aria-label="Replace the API key">
              <button type="button" className="button danger small" onClick={() => void generate()}>
                Replace key (clients using the old one stop working)
              </button>
              <button type="button" className="button small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button small primary" disabled={save.busy} onClick={() => void generate()}>
              Generate key
            </button>
          )}
        </div>
      </div>
      <ErrorText>{save.error}</ErrorText>
    </SettingsForm>
  );
}

function HistorySection({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const [limit, setLimit] = useState(String(settings.log_history_limit));
  return (
    <SettingsForm
      id="history"
      title="Request history"
      onSubmit={() => {
        void save.save({ log_history_limit: asNumber(limit) });
      }}
    >
      <div className="form-grid">
        <TextField
          label="Requests kept on disk"
          type="number"
          value={limit}
          onChange={setLimit}
          issue={save.issues.log_history_limit}
          hint="Shown again after a restart; 0 keeps none. Usage statistics are kept apart and are not erased by this limit."
        />
        <SaveRow busy={save.busy} saved={save.saved} error={save.error} />
      </div>
    </SettingsForm>
  );
}

function GoogleSection({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const [google, setGoogle] = useState(settings.google);
  const [baseUrls, setBaseUrls] = useState(settings.antigravity.base_urls.join('\n'));
  const field = (name: keyof Settings['google'], label: string, hint?: string, type: 'text' | 'password' = 'text') => (
    <TextField
      label={label}
      type={type}
      hint={hint}
      value={google[name]}
      onChange={(v) => setGoogle({ ...google, [name]: v })}
      issue={save.issues[`google.${name}`]}
    />
  );
  const urlIssue = Object.entries(save.issues).find(([k]) => k.startsWith('antigravity.base_urls'))?.[1];
  const advancedIssue = urlIssue !== undefined || ['auth_url', 'token_url', 'userinfo_url'].some((n) => save.issues[`google.${n}`] !== undefined);
  return (
    <SettingsForm
      id="google"
      title="Google sign-in"
      onSubmit={() => {
        const urls = baseUrls
          .split('\n')
          .map((u) => u.trim())
          .filter((u) => u !== '');
        void save.save({ google, antigravity: { base_urls: urls } });
      }}
    >
      <p className="muted">Google accounts need an OAuth client of your own (a desktop-app client from a Google Cloud project).</p>
      <div className="form-grid">
        {field('client_id', 'OAuth client ID')}
        {field('client_secret', 'OAuth client secret', undefined, 'password')}
        {/* Only a proxy or a test changes these: folded away, and opened when one of them is refused. */}
        <details className="advanced" open={advancedIssue || undefined}>
          <summary>Advanced: Google and Code Assist endpoints</summary>
          <div className="form-grid">
            {field('auth_url', 'Authorization endpoint')}
            {field('token_url', 'Token endpoint')}
            {field('userinfo_url', 'User info endpoint')}
            <div className="field">
              <label htmlFor="code-assist-urls">Code Assist base URLs</label>
              <textarea id="code-assist-urls" className="input" rows={3} value={baseUrls} onChange={(e) => setBaseUrls(e.target.value)} spellCheck={false} />
              <small className={urlIssue ? 'error-text' : 'muted'}>{urlIssue ?? 'One per line, tried in this order.'}</small>
            </div>
          </div>
        </details>
        <SaveRow busy={save.busy} saved={save.saved} error={save.error} />
      </div>
    </SettingsForm>
  );
}

function UpstreamCertificatesSection({ settings, onSaved }: SectionProps) {
  const save = useSettingsSave(settings, onSaved);
  const [file, setFile] = useState(settings.extra_ca_certs);
  useEffect(() => setFile(settings.extra_ca_certs), [settings.extra_ca_certs]);
  return (
    <SettingsForm
      id="upstream-certificates"
      title="Upstream certificates"
      onSubmit={() => {
        void save.save({ extra_ca_certs: file });
      }}
    >
      <div className="form-grid">
        <TextField
          label="Extra CA certificates (PEM file)"
          value={file}
          onChange={setFile}
          issue={save.issues.extra_ca_certs}
          hint="Behind a proxy that inspects TLS: the full path of its CA certificate, trusted for calls to the accounts' endpoints and to Google. Empty: the built-in authorities only."
        />
        <SaveRow busy={save.busy} saved={save.saved} error={save.error} />
      </div>
    </SettingsForm>
  );
}

function UpdatesSection({ settings, onSaved }: SectionProps) {
  const client = useControl();
  const save = useSettingsSave(settings, onSaved);
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    let live = true;
    client.getUpdateStatus().then(
      (u) => live && setSupported(u.supported),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (!supported) return null;
  return (
    <section className="card" aria-labelledby="updates-title">
      <h2 id="updates-title">Updates</h2>
      <Switch
        label="Check for a new release once a day"
        checked={settings.update_check}
        disabled={save.busy}
        onChange={(on) => void save.save({ update_check: on })}
      />
      <small className="muted">Only checks and tells you; nothing is downloaded.</small>
      <ErrorText>{save.error}</ErrorText>
    </section>
  );
}
