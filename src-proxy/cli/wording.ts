// The CLI's words for what the core reports as codes and records.

import type {
  Account,
  AccountTest,
  AuthMode,
  FailureKind,
  ValidationCode,
  ValidationIssue,
  GoogleSignInOutcome,
  NoteCode,
  RequestLogEntry,
  TeamStatus,
  Warning,
} from '../contract/index.js';
import { presetOf } from '../contract/index.js';
import type { Team } from '../team/join-team.js';
import { describeUpstream } from './account-kinds.js';
import { isLoopbackBind } from '../gateway/host-guard.js';

const WARNING_TEXT: Record<Warning['code'], string> = {
  settings_corrupt: 'The settings file could not be read; defaults are in use.',
  accounts_corrupt: 'The accounts file could not be read; starting with no accounts.',
  secrets_corrupt: 'The secrets file could not be read; accounts have no keys until you set them again.',
  history_corrupt: 'The request history could not be read; starting with an empty history.',
  stats_corrupt: 'The usage statistics could not be read; counting starts again from zero.',
  secrets_unprotected: 'No system keychain is available: account keys are stored unencrypted, readable by your user account only.',
  headless_data_imported: 'The settings, accounts and keys of the headless data folder were copied into the desktop app.',
  secrets_locked: 'Some account keys could not be opened by the system keychain; they are kept as they were and work again once it opens them.',
  extra_ca_certs_unreadable: 'The extra_ca_certs file could not be read; upstream calls trust the built-in authorities only.',
  tray_unavailable: 'No tray icon can be shown on this desktop.',
  claude_links_corrupt:
    "The record of Claude Code's connected settings could not be read, so disconnect can no longer put their earlier values back; check ~/.claude/settings.json by hand.",
};

const SIGN_IN_ERROR_TEXT: Record<NonNullable<GoogleSignInOutcome['error']> | 'cancelled', string> = {
  not_configured: 'Google sign-in needs an OAuth client: switchyard config set google.client_id ID and google.client_secret SECRET.',
  sign_in_failed: 'Google did not complete the sign-in. Start it again: switchyard accounts login --provider antigravity',
  sign_in_expired: 'The sign-in expired before it was completed. Start it again: switchyard accounts login --provider antigravity',
  upstream_unreachable: "Google's sign-in service could not be reached. Check the network (or google.token_url) and try again.",
  cancelled: 'Sign-in cancelled.',
};

export function describeSignInError(error: GoogleSignInOutcome['error'] | 'cancelled'): string {
  return SIGN_IN_ERROR_TEXT[error ?? 'sign_in_failed'];
}

export function describeWarning(w: Warning): string {
  const where = w.backup ? ` The unreadable file was kept as ${w.backup}.` : '';
  return `warning: ${WARNING_TEXT[w.code]}${where}`;
}

const NOTE_TEXT: Record<NoteCode, string> = {
  thinking_dropped: "another model's thinking left out",
  thinking_off_tool_turn: 'thinking off for this tool turn',
  thinking_variant: 'served by the thinking variant',
  tool_turn_as_text: 'tool turn sent as text',
};

/** One line per request, as `serve` prints it: printed for every request, so built without a regex pass. */
export function describeRequest(e: RequestLogEntry): string {
  let line = `${new Date(e.time).toISOString().slice(11, 19)} ${e.status} ${e.method} ${e.path}`;
  const model = e.mapped_model && e.mapped_model !== e.inbound_model ? `${e.inbound_model} -> ${e.mapped_model}` : e.inbound_model;
  if (model) line += ` ${model}`;
  if (e.local === 'warmup') line += ' [warmup, answered locally]';
  else if (e.account_label) line += ` [${e.account_label}]`;
  line += ` ${Math.round(e.latency_ms)}ms`;
  if (e.input_tokens !== null || e.output_tokens !== null) line += ` ${e.input_tokens ?? '-'}/${e.output_tokens ?? '-'} tok`;
  if (e.attempts.length > 1) line += ` after ${e.attempts.length} attempts`;
  for (const note of e.notes) line += ` [${NOTE_TEXT[note]}]`;
  if (e.links.length > 1) {
    const served = e.links.findIndex((l) => l.outcome === 'served');
    if (served > 0) line += ` via fallback ${served}`;
  }
  // Upstream messages may span lines; the request's line must stay one line.
  if (e.error_message) line += ` ${e.error_message.replace(/\s+/g, ' ').trim()}`;
  return line;
}

const ISSUE_TEXT: Record<ValidationCode, (i: ValidationIssue) => string> = {
  required: () => 'is needed',
  empty: () => 'cannot be empty',
  too_short: (i) => `needs at least ${i.limit} characters`,
  too_long: (i) => `may have at most ${i.limit} characters`,
  too_small: (i) => `must be ${i.limit} or more`,
  too_big: (i) => `must be ${i.limit} or less`,
  too_many: (i) => `takes at most ${i.limit} entries`,
  not_url: () => 'must be a full address, such as https://api.example.com',
  not_http_url: () => 'must start with https:// or http://',
  not_integer: () => 'must be a whole number',
  not_number: () => 'must be a number',
  not_text: () => 'must be text',
  not_yes_no: () => 'must be true or false',
  not_list: () => 'must be a list',
  not_one_of: (i) => (i.choices && i.choices.length > 0 ? `must be one of: ${i.choices.join(', ')}` : 'is not one of the allowed values'),
  unknown_field: () => 'is not something switchyard knows here',
  duplicate_name: () => 'names an account or group twice',
  duplicate_price: () => 'gives one model two prices',
  invalid: () => 'is not valid',
};

/**
 * What a schema refused, one clause per issue: "--base-url must start with https:// or http://". `nameOf`
 * names a place the way the command took it (a flag); by default the setting's dotted path.
 */
export function describeIssues(
  issues: readonly ValidationIssue[],
  nameOf: (path: ReadonlyArray<string | number>) => string | undefined = () => undefined,
): string {
  return issues
    .map((i) => `${nameOf(i.path) ?? (i.path.length > 0 ? i.path.join('.') : 'the value')} ${(ISSUE_TEXT[i.code] ?? ISSUE_TEXT.invalid)(i)}`)
    .join('; ');
}

const TEST_FAILURE_TEXT: Record<FailureKind, (a: Account, t: AccountTest) => string> = {
  auth: (a) =>
    `key refused: the upstream does not accept it. Give it a new one with the console, or remove the account (switchyard accounts remove ${a.label}).`,
  forbidden: () => 'access forbidden: the upstream knows the key but refuses it this model or service.',
  rate_limit: () => 'the key works, but the account is rate limited right now.',
  quota: () => 'the key works, but its quota is used up.',
  not_found: (a, t) => `${baseUrlOf(a)} does not know model ${t.model} or the endpoint: check the base URL.`,
  invalid: (_a, t) => `the upstream refused the test request for ${t.model}.`,
  overloaded: () => 'the upstream is overloaded; try again in a moment.',
  server: () => 'the upstream failed with a server error; try again in a moment.',
  network: (a) => `could not connect to ${baseUrlOf(a)}: check the base URL and the network.`,
  timeout: () => 'the upstream did not answer in time.',
  stream: () => 'the answer broke off before it was complete.',
};

function baseUrlOf(a: Account): string {
  return 'base_url' in a.options && a.options.base_url ? a.options.base_url : 'the upstream';
}

/** What a Test found, in one sentence, with the upstream's own words after a failure. */
export function describeTest(a: Account, t: AccountTest): string {
  if (t.failure === null) {
    return `works (${t.method === 'count_tokens' ? 'token count' : 'one-token message'} for ${t.model} answered in ${Math.round(t.latency_ms)} ms).`;
  }
  const said = t.message ? ` The upstream said${t.status !== null ? ` (${t.status})` : ''}: ${t.message.replace(/\s+/g, ' ').trim()}` : '';
  return `${TEST_FAILURE_TEXT[t.failure](a, t)}${said}`;
}

/** The preset an account matches, as `accounts add --preset` names it, unless it only repeats the provider. */
function presetNote(a: Account): string {
  const preset = presetOf(a.provider, a.options as { base_url?: string });
  return preset && preset !== a.provider ? ` (preset ${preset})` : '';
}

export function describeAccount(a: Account): string[] {
  const now = Date.now();
  const cooling = a.cooldowns
    .filter((c) => c.until > now)
    .map((c) => `${c.model === '*' ? 'all models' : c.model} until ${new Date(c.until).toISOString()} (${c.reason})`);
  return [
    `${a.id}  ${a.label}${a.group ? `  (group ${a.group})` : ''}`,
    `    provider ${a.provider}${presetNote(a)}  ${describeUpstream(a)}`,
    `    ${a.enabled ? 'enabled' : 'disabled'}, health ${a.health}${a.health_message ? ` (${a.health_message})` : ''}`,
    ...(cooling.length ? [`    cooling: ${cooling.join('; ')}`] : []),
    a.last_test
      ? `    tested ${new Date(a.last_test.at).toISOString()}: ${describeTest(a, a.last_test)}`
      : a.stats.requests === 0 && a.health === 'ok'
        ? '    not tried yet (switchyard accounts test ' + a.label + ')'
        : null,
    `    ${a.stats.requests} requests, ${a.stats.failures} failures, ${a.stats.input_tokens}/${a.stats.output_tokens} tokens in/out`,
  ].filter((line): line is string => line !== null);
}

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/** `host:port`, with an IPv6 literal in brackets. */
function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Where the listener really is and who can reach it, e.g. `0.0.0.0:8045 (all interfaces; auth strict)`. */
export function describeListening(host: string, port: number, authMode: AuthMode): string {
  const reach = isLoopbackBind(host) ? 'loopback only' : ALL_INTERFACES.has(host) ? 'all interfaces' : 'reachable from the network';
  return `${hostPort(host, port)} (${reach}; auth ${authMode})`;
}

/**
 * The base URLs other machines would use: the addresses given (this machine's, found by the caller) when
 * listening on all interfaces, the bind address itself when it is one, nothing on loopback.
 */
export function remoteBaseUrls(host: string, port: number, interfaceAddresses: string[]): string[] {
  if (isLoopbackBind(host)) return [];
  const hosts = !ALL_INTERFACES.has(host) ? [host] : interfaceAddresses.length > 0 ? interfaceAddresses : ["<this machine's address>"];
  return hosts.map((h) => `http://${hostPort(h, port)}`);
}

/** What `serve` says about the team it joined. */
export function describeJoin(team: Pick<Team, 'link' | 'seeded' | 'accountsBefore'>, seedAsked: boolean): string[] {
  const status = team.link.status();
  const lines = [`team: ${status.store} as ${status.instance}`];
  if (team.seeded) lines.push(`  seeded the empty team with ${team.seeded.accounts} account(s), their keys and the shared settings of this data folder`);
  else if (seedAsked && team.accountsBefore > 0) lines.push(`  not seeded: the team already has ${team.accountsBefore} account(s), which stay as they are`);
  return lines;
}

/** `switchyard team status`: the gateways of the team and whether its store answers. */
export function describeTeam(team: TeamStatus | undefined, now: number): string[] {
  if (!team) return ['This gateway runs alone (no team): start it with `switchyard serve --redis redis://HOST:PORT/DB` to join one.'];
  const alive = team.gateways.filter((g) => g.alive).length;
  const lines = [`Team: ${alive} gateway${alive === 1 ? '' : 's'} on ${team.store}`];
  if (team.unreachable_since !== null) lines.push(`team store unreachable since ${new Date(team.unreachable_since).toISOString()}`);
  for (const g of team.gateways) {
    const beat = `${Math.max(0, Math.round((now - g.last_heartbeat) / 1000))} s ago`;
    lines.push(`  ${g.self ? '*' : ' '} ${g.id}  ${g.address ?? '(stopped)'}  v${g.version}  heartbeat ${beat}${g.alive ? '' : '  (silent)'}`);
  }
  return lines;
}

/**
 * A bug of ours, as the terminal shows it: one line saying what broke. Where in the code it broke is for
 * whoever debugs it, and only when they ask (SWITCHYARD_DEBUG=1).
 */
export function describeBug(err: unknown, env: NodeJS.ProcessEnv): string {
  const message = err instanceof Error ? err.message : String(err);
  if (env.SWITCHYARD_DEBUG && err instanceof Error && err.stack) return `switchyard: internal error: ${err.stack}`;
  return `switchyard: internal error: ${message} (run again with SWITCHYARD_DEBUG=1 to see where it happened)`;
}
