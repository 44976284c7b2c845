// Every code the core sends, in words a user understands. The core never sends wording of its own to
// show; an unknown error is described without its details.

import { ControlError, UnreachableError, type ControlErrorCode, type FailureKind, type Warning } from '../../src-proxy/contract/index.js';
import { describeIssues } from './validation.js';

const CONTROL_ERROR_WORDS: Readonly<Record<ControlErrorCode, string>> = {
  invalid_argument: 'Switchyard did not accept this value.',
  not_found: 'That item no longer exists; the list has been refreshed.',
  unauthorized: 'The console token was refused. Open the console link that `switchyard serve` printed, or paste the token again.',
  forbidden: 'Switchyard refused this request from this page.',
  port_in_use: 'That port is already in use by another program. Pick another port.',
  listen_failed: 'The gateway could not listen on that address.',
  insecure_bind: 'Switchyard listens beyond this machine only with authentication on and an API key set.',
  would_lock_out:
    'Not saved: with authentication on and no API key, the gateway would refuse every request, Claude Code included. Generate a key first, then turn authentication on.',
  not_configured: 'Google sign-in needs an OAuth client. Set the Google OAuth client id and secret in Settings first.',
  sign_in_failed: 'Google refused the sign-in. The code may be wrong or already used; start again.',
  sign_in_expired: 'This sign-in took too long and has expired. Start again.',
  upstream_unreachable: 'The remote service could not be reached. Check the network and try again.',
  already_exists: 'A file with that name exists already.',
  internal: 'Something went wrong inside Switchyard. Its terminal output has the details.',
};

/** Codes whose server message adds useful detail (a field name, the refused address) without secrets. */
const DETAILED: ReadonlySet<ControlErrorCode> = new Set(['invalid_argument', 'insecure_bind', 'listen_failed']);

export function describeErrorCode(code: ControlErrorCode): string {
  return CONTROL_ERROR_WORDS[code];
}

export function describeError(err: unknown): string {
  if (err instanceof UnreachableError) return 'Switchyard is not answering. Is `switchyard serve` still running?';
  if (err instanceof ControlError) {
    const words = CONTROL_ERROR_WORDS[err.code] ?? CONTROL_ERROR_WORDS.internal;
    // What a schema refused comes as codes: it is told in the console's words, never in the schema's.
    if (err.issues && err.issues.length > 0) return `${words} ${describeIssues(err.issues)}`;
    return DETAILED.has(err.code) && err.message ? `${words} (${err.message})` : words;
  }
  return CONTROL_ERROR_WORDS.internal;
}

const FAILURE_WORDS: Readonly<Record<FailureKind, string>> = {
  rate_limit: 'rate limited',
  quota: 'quota used up',
  auth: 'key or token refused',
  forbidden: 'access forbidden',
  not_found: 'model or endpoint unknown upstream',
  overloaded: 'upstream overloaded',
  server: 'upstream server error',
  network: 'could not connect',
  timeout: 'upstream too slow',
  invalid: 'request rejected as invalid',
  stream: 'stream broke off',
};

export function describeFailure(kind: FailureKind): string {
  return FAILURE_WORDS[kind] ?? kind;
}

const WARNING_WORDS: Readonly<Record<Warning['code'], string>> = {
  settings_corrupt: 'The settings file could not be read; defaults are in use.',
  accounts_corrupt: 'The accounts file could not be read; it was set aside.',
  secrets_corrupt: 'The secrets file could not be read; accounts may need their keys again.',
  history_corrupt: 'The request history could not be read; it starts anew.',
  stats_corrupt: 'The usage statistics could not be read; they start anew.',
  secrets_unprotected: 'This system offers no keychain: keys and tokens are stored in a file only your user can read, not encrypted.',
  headless_data_imported: 'The settings, accounts and keys of the headless data folder were copied into the app; that folder was left as it was.',
  secrets_locked:
    'Some keys could not be opened with the system keychain (after an update of an unsigned app, or while the keychain is locked). They are kept as they were and work again once the keychain opens them.',
  extra_ca_certs_unreadable: 'The extra CA certificates file could not be read; upstream calls trust the built-in authorities only.',
  tray_unavailable: 'This desktop shows no tray icon (GNOME needs the AppIndicator extension for one), so closing this window quits Switchyard.',
  claude_links_corrupt:
    "The record of Claude Code's connected settings could not be read, so Disconnect can no longer put their earlier values back. Check Claude Code's settings.json by hand.",
};

export function describeWarning(w: Warning): string {
  const words = WARNING_WORDS[w.code] ?? 'Switchyard reported a problem.';
  return w.backup ? `${words} The old file was kept as ${w.backup}.` : words;
}
