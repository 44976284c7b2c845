import { z } from 'zod';
import {
  AccountPatchSchema,
  AccountsDownloadRequestSchema,
  AccountsExportRequestSchema,
  AccountsImportRequestSchema,
  AccountsUploadSchema,
  NewAccountSchema,
  type Account,
  type AccountPatch,
  type AccountsDownload,
  type AccountsDownloadRequest,
  type AccountsExportRequest,
  type AccountsExportResult,
  type AccountsImportRequest,
  type AccountsImportResult,
  type AccountsUpload,
  type NewAccount,
} from './accounts.js';
import {
  ClaudeCodeConnectSchema,
  ClaudeCodeTargetSchema,
  type ClaudeCodeConnect,
  type ClaudeCodeConnectResult,
  type ClaudeCodeDisconnectResult,
  type ClaudeCodeStatus,
  type ClaudeCodeTarget,
} from './claude-code.js';
import { GoogleSignInFinishSchema, type GoogleSignInFinish, type GoogleSignInOutcome, type GoogleSignInStart } from './google-sign-in.js';
import { RequestQuerySchema, type RequestLogEntry, type RequestQuery } from './request-log.js';
import { SettingsPatchSchema, type Settings, type SettingsPatch } from './settings.js';
import { StatsQuerySchema, type StatsQuery, type StatsReport } from './stats.js';
import type { TeamStatus } from './team.js';
import type { UpdateStatus } from './updates.js';
import type { ValidationIssue } from './validation.js';

export interface GatewayStatus {
  running: boolean;
  host: string;
  port: number;
  /** Base URL to give Claude Code (`ANTHROPIC_BASE_URL`); null while stopped. */
  url: string | null;
  started_at: number | null;
  /** Why the last start failed, as a code the shells put into words. */
  last_error: ControlErrorCode | null;
  /** The team this gateway shares its pool with; absent when it runs alone. */
  team?: TeamStatus;
  /**
   * What `serve --host/--port` set for this run over the saved settings (port 0: a free one), which then
   * apply at the next start; absent when neither was given.
   */
  override?: { host?: string; port?: number };
}

/** Problems the core reports and the shells put into words. */
export const CONTROL_ERROR_CODES = [
  'invalid_argument',
  'not_found',
  /** The caller did not prove who it is (no or a wrong console token). */
  'unauthorized',
  /** The caller is known but may not do this (a foreign Host or Origin). */
  'forbidden',
  'port_in_use',
  'listen_failed',
  'insecure_bind',
  /** The change would turn authentication on with no API key, so the gateway would refuse every request. */
  'would_lock_out',
  /** Google sign-in needs an OAuth client id (and secret) in the settings first. */
  'not_configured',
  /** Google refused the sign-in (wrong or reused code, a state that does not match, access denied). */
  'sign_in_failed',
  /** The sign-in was started too long ago, or never started here. */
  'sign_in_expired',
  /** An upstream service (Google's token endpoint, the release feed) could not be reached. */
  'upstream_unreachable',
  /** A file the call would create exists already (an export asked not to replace one). */
  'already_exists',
  'internal',
] as const;
export type ControlErrorCode = (typeof CONTROL_ERROR_CODES)[number];

export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
    /** For `invalid_argument` from a schema: what was wrong where, as codes the shells put into words. */
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** The error a transport carried, as a ControlError again. */
export function controlErrorOf(error: ControlFailure): ControlError {
  return new ControlError(error.code, error.message, error.issues);
}

/** Conditions a user should see, raised by the core as codes. */
export const WARNING_CODES = [
  'settings_corrupt',
  'accounts_corrupt',
  'secrets_corrupt',
  'history_corrupt',
  'stats_corrupt',
  /** The OS offers no keychain: secrets are stored readable by the user's account only, not encrypted. */
  'secrets_unprotected',
  /** The desktop app started from the settings, accounts and keys of the headless data folder (`file`). */
  'headless_data_imported',
  /** Some keys could not be opened by the keychain now; they are kept as stored and the accounts wait for them. */
  'secrets_locked',
  /** The `extra_ca_certs` file (`file`) could not be read at start; upstream calls trust the built-in authorities only. */
  'extra_ca_certs_unreadable',
  /** The desktop shows no tray icon here (GNOME without the AppIndicator extension), so closing the window quits. */
  'tray_unavailable',
  /** The record of connected Claude Code settings files could not be read; what they held before connect is lost. */
  'claude_links_corrupt',
] as const;
export interface Warning {
  code: (typeof WARNING_CODES)[number];
  /** The file concerned (for a corrupt one, the file that was moved aside, and where it went). */
  file: string;
  backup: string | null;
  time: number;
}

/** What the console and the CLI can ask of a running core. Every transport implements exactly this. */
export interface ControlApi {
  getStatus(): Promise<GatewayStatus>;
  startGateway(): Promise<GatewayStatus>;
  stopGateway(): Promise<GatewayStatus>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** Makes a new random gateway key, stores it as `api_key`, and returns the settings holding it. */
  generateApiKey(): Promise<Settings>;
  listAccounts(): Promise<Account[]>;
  addAccount(input: NewAccount): Promise<Account>;
  updateAccount(id: string, patch: AccountPatch): Promise<Account>;
  removeAccount(id: string): Promise<void>;
  /**
   * Makes one cheap real request through the account (count_tokens where its upstream counts, else a
   * message of one token) and returns the account with the outcome in `last_test`. A refused key marks
   * the account invalid; an answer lifts such a mark.
   */
  testAccount(id: string): Promise<Account>;
  /** Writes the accounts to a file on the gateway's machine; keys and tokens only with `include_secrets`. */
  exportAccounts(req: AccountsExportRequest): Promise<AccountsExportResult>;
  /** Adds the accounts of an exported file that are not here yet. */
  importAccounts(req: AccountsImportRequest): Promise<AccountsImportResult>;
  /** The export as text, for the console to save where the user's browser saves downloads. */
  downloadAccounts(req: AccountsDownloadRequest): Promise<AccountsDownload>;
  /** Adds the accounts of an export file's text (uploaded in the console) that are not here yet. */
  uploadAccounts(req: AccountsUpload): Promise<AccountsImportResult>;
  listRequests(query: RequestQuery): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  /** Requests, failures and tokens per account and upstream model, by hour or by day; survives restarts. */
  getStats(query: StatsQuery): Promise<StatsReport>;
  listWarnings(): Promise<Warning[]>;
  /** Begins a Google sign-in: a URL for the browser, and a loopback listener waiting for its redirect. */
  startGoogleSignIn(): Promise<GoogleSignInStart>;
  /** Completes a sign-in with a pasted code (or redirect URL); adds the account, or refreshes its token. */
  finishGoogleSignIn(req: GoogleSignInFinish): Promise<Account>;
  cancelGoogleSignIn(signInId: string): Promise<void>;
  /** The email of the Google account a refresh token belongs to, read with the OAuth client the core holds. */
  googleAccountEmail(refreshToken: string): Promise<{ email: string }>;
  getUpdateStatus(): Promise<UpdateStatus>;
  /** Whether Claude Code's settings file points at this gateway, with its key, and what differs if not. */
  getClaudeCodeStatus(target: ClaudeCodeTarget): Promise<ClaudeCodeStatus>;
  /** Points Claude Code's settings file at this gateway; what it held before is kept to put back. */
  connectClaudeCode(req: ClaudeCodeConnect): Promise<ClaudeCodeConnectResult>;
  /** Puts Claude Code's settings file back as it was before connect. */
  disconnectClaudeCode(target: ClaudeCodeTarget): Promise<ClaudeCodeDisconnectResult>;
  /** Checks for a newer release now (the user asked); never downloads anything. */
  checkForUpdates(): Promise<UpdateStatus>;
}

export type ControlMethod = keyof ControlApi;

/** Argument schemas per method; a method missing here fails to compile. */
export const CONTROL_ARGS = {
  getStatus: z.tuple([]),
  startGateway: z.tuple([]),
  stopGateway: z.tuple([]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([SettingsPatchSchema]),
  generateApiKey: z.tuple([]),
  listAccounts: z.tuple([]),
  addAccount: z.tuple([NewAccountSchema]),
  updateAccount: z.tuple([z.string().min(1), AccountPatchSchema]),
  removeAccount: z.tuple([z.string().min(1)]),
  testAccount: z.tuple([z.string().min(1)]),
  exportAccounts: z.tuple([AccountsExportRequestSchema]),
  importAccounts: z.tuple([AccountsImportRequestSchema]),
  downloadAccounts: z.tuple([AccountsDownloadRequestSchema]),
  uploadAccounts: z.tuple([AccountsUploadSchema]),
  listRequests: z.tuple([RequestQuerySchema]),
  clearRequests: z.tuple([]),
  getStats: z.tuple([StatsQuerySchema]),
  listWarnings: z.tuple([]),
  startGoogleSignIn: z.tuple([]),
  finishGoogleSignIn: z.tuple([GoogleSignInFinishSchema]),
  cancelGoogleSignIn: z.tuple([z.string().trim().min(1)]),
  googleAccountEmail: z.tuple([z.string().trim().min(1).max(4096)]),
  getUpdateStatus: z.tuple([]),
  getClaudeCodeStatus: z.tuple([ClaudeCodeTargetSchema]),
  connectClaudeCode: z.tuple([ClaudeCodeConnectSchema]),
  disconnectClaudeCode: z.tuple([ClaudeCodeTargetSchema]),
  checkForUpdates: z.tuple([]),
} satisfies Record<ControlMethod, z.ZodTuple>;

export const CONTROL_METHODS = Object.keys(CONTROL_ARGS) as ControlMethod[];

// Each schema is bound to its method's signature: what a schema accepts must be what the method takes,
// and what it yields must be callable with. A schema that drifts from its method fails to compile here.
type ArgsOf<M extends ControlMethod> = Parameters<ControlApi[M]>;
type SchemaFits<M extends ControlMethod> = [z.output<(typeof CONTROL_ARGS)[M]>] extends [ArgsOf<M>]
  ? [ArgsOf<M>] extends [z.input<(typeof CONTROL_ARGS)[M]>]
    ? true
    : false
  : false;
type DriftedSchemas = { [M in ControlMethod]: SchemaFits<M> extends true ? never : M }[ControlMethod];
const schemasFitMethods: [DriftedSchemas] extends [never] ? true : never = true;
void schemasFitMethods;

/** Events the core pushes to every connected console. */
export interface ControlEvents {
  request: RequestLogEntry;
  status: GatewayStatus;
  accounts: Account[];
  settings: Settings;
  warning: Warning;
  sign_in: GoogleSignInOutcome;
  update: UpdateStatus;
  /** A Claude Code settings file was connected, disconnected, or followed a port or key change. */
  claude_code: { settings_file: string };
}
export type ControlEventName = keyof ControlEvents;

/** Every event name, once; a name added to ControlEvents and missing here fails to compile. */
export const CONTROL_EVENT_NAMES = [
  'request',
  'status',
  'accounts',
  'settings',
  'warning',
  'sign_in',
  'update',
  'claude_code',
] as const satisfies readonly ControlEventName[];
type MissingEventNames = Exclude<ControlEventName, (typeof CONTROL_EVENT_NAMES)[number]>;
const allEventNamesListed: [MissingEventNames] extends [never] ? true : never = true;
void allEventNamesListed;

export type EventListener<K extends ControlEventName> = (payload: ControlEvents[K]) => void;

/** What a shell's console holds: the ControlApi, and the live events, whatever the transport. */
export interface ControlClient extends ControlApi {
  /** Calls `listener` for every event of that name from now on; returns an unsubscribe. */
  onEvent<K extends ControlEventName>(name: K, listener: EventListener<K>): () => void;
}

/** What a transport returns instead of throwing across a process or network boundary. */
export interface ControlFailure {
  code: ControlErrorCode;
  message: string;
  issues?: ValidationIssue[];
}
export type ControlResult<T> = { ok: true; value: T } | { ok: false; error: ControlFailure };
