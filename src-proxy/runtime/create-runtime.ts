// The composition of the core: stores, pool, providers, log and the gateway listener, behind the one
// ControlApi every shell (CLI, Electron IPC, HTTP console) talks to.

import {
  priceTable,
  type AccountPatch,
  type ControlApi,
  type PriceRow,
  type ControlEvents,
  type GoogleSettings,
  type NewAccount,
  type RequestLogEntry,
  type RequestQuery,
  type Settings,
  type SettingsPatch,
  type StatsQuery,
  type Warning,
} from '../contract/index.js';
import { StoreAccountPool } from '../accounts/account-pool.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { AccountStatePort } from '../accounts/pool-ports.js';
import type { SecretStore } from '../accounts/secret-store.js';
import { createGatewayApp } from '../gateway/app.js';
import { EventBus } from '../lib/event-bus.js';
import { createRedactor, type Redact } from '../lib/redactor.js';
import { reportUnhandled } from '../lib/report.js';
import { RequestLog, type RequestHistory } from '../logs/request-log.js';
import { priceEntry } from '../logs/request-cost.js';
import { UsageStats, type StatsStore } from '../logs/usage-stats.js';
import type { UsageLedger } from '../logs/usage-ledger.js';
import type { AccessTokens } from '../providers/antigravity/access-tokens.js';
import { UpstreamTrust } from '../providers/shared/upstream-trust.js';
import { withClientFallback, type GoogleClientCredentials } from '../providers/antigravity/google-oauth/client-credentials.js';
import { GoogleOAuthClient } from '../providers/antigravity/google-oauth/oauth-client.js';
import { createGoogleTokens } from '../providers/antigravity/token-service.js';
import { createProviders } from '../providers/registry.js';
import { AccountSelector } from '../routing/account-selection.js';
import type { InFlight } from '../routing/in-flight.js';
import type { RetryPolicy } from '../routing/retry-policy.js';
import type { SessionBindings } from '../routing/session-bindings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { TeamLink } from '../team/team-link.js';
import { AccountsService } from './accounts-service.js';
import { AccountTester } from './account-tester.js';
import { startRefusal } from './bind-policy.js';
import { GatewayControl, gatewayUrl } from './gateway-control.js';
import { GatewayServer, type ListenAddress } from './gateway-server.js';
import { ClaudeCodeConnector } from '../claude-code/claude-code-connector.js';
import { MemoryClaudeLinkStore, type ClaudeLinkStore } from '../claude-code/link-store.js';
import { claudeHomeFromEnv, type ClaudeHome } from '../claude-code/settings-file.js';
import { createGoogleSignIn } from './google-sign-in-service.js';
import { SettingsService, withSecretsMasked } from './settings-service.js';
import { UpdatesService, type ReleaseFeed } from './updates-service.js';

/** Entries kept in memory for the console; the on-disk history is bounded by a setting. */
const MEMORY_LOG_LIMIT = 1000;
const ACCOUNT_EVENT_INTERVAL_MS = 250;

export interface RuntimeDeps {
  settings: SettingsStore;
  accounts: AccountStore;
  secrets: SecretStore;
  history?: RequestHistory;
  /** Where usage per hour and per day is kept; in memory only without one. */
  stats?: StatsStore;
  /** Where usage is counted, instead of the tables kept in `stats` (a shared store). */
  usage?: UsageLedger;
  /** Which account each conversation is bound to; in memory without one. */
  bindings?: SessionBindings;
  /** Attempts under way per account, counted with the other gateways of a team; this gateway's own without one. */
  inFlight?: InFlight;
  /** The team this gateway shares its pool with (the stores above are then the team's). */
  team?: TeamLink;
  /** Access tokens for Google accounts, instead of the token service built from the Google settings (tests). */
  accessTokens?: AccessTokens;
  /** Problems found while opening the stores (files moved aside). */
  warnings?: Warning[];
  retryPolicy?: RetryPolicy;
  pingIntervalMs?: number;
  /** This run's listen address, overriding the settings (`serve --port/--host`); not persisted. */
  listenOverride?: Partial<ListenAddress>;
  onInternalError?(err: unknown): void;
  /** The running release, as the shell knows it. */
  version?: string;
  /** Where newer releases are announced; the desktop app has one, headless mode none. */
  releases?: ReleaseFeed;
  /** The Google OAuth client to use while the settings name none (headless: from the environment). */
  googleClient?: GoogleClientCredentials;
  /** Where the Claude Code settings files Switchyard connected are recorded; in memory without one. */
  claudeLinks?: ClaudeLinkStore;
  /** The user's Claude folder when a caller names none; from the process environment by default. */
  claudeHome?: ClaudeHome;
}

export interface Runtime extends ControlApi {
  readonly events: EventBus<ControlEvents>;
  /** Stops the listener (requests in flight get `graceMs` to finish), flushes the log and the stores, closes connection pools. */
  close(graceMs?: number): Promise<void>;
}

export async function createRuntime(deps: RuntimeDeps): Promise<Runtime> {
  // A broken console listener or a failing history write is reported to the shell, never to a client.
  const report = deps.onInternalError ?? ((err: unknown) => reportUnhandled('internal error', err));
  const events = new EventBus<ControlEvents>({ onListenerError: report });
  const warnings: Warning[] = [...(deps.warnings ?? [])];
  const google = () => withClientFallback(deps.settings.get().google, deps.googleClient);
  // One pool for every upstream call, trusting the CAs of the extra_ca_certs setting too.
  const trust = await UpstreamTrust.open(deps.settings.get().extra_ca_certs, (w) => warnings.push(w));
  const dispatcher = trust.agent;
  const googleOAuth = new GoogleOAuthClient({ dispatcher });
  // Google accounts' access tokens, for the Code Assist provider's AccessTokens port.
  const googleTokens = createGoogleTokens({ google, secrets: deps.secrets, accounts: deps.accounts, oauth: googleOAuth });
  const pool = new StoreAccountPool(deps.accounts, deps.secrets, new AccountSelector({ bindings: deps.bindings, inFlight: deps.inFlight }));
  const accessTokens = deps.accessTokens ?? googleTokens;
  // Every secret this gateway holds, read when something needs cleaning: what an upstream says back is
  // cut free of them before it reaches a client, the log, the events or the accounts.
  const redact = createRedactor(() => heldSecrets(deps, google(), accessTokens));
  // What a provider learns about an account may quote the upstream; it is kept and shown.
  const accountState: AccountStatePort = {
    learned: (id, patch) => pool.learned(id, typeof patch.disabled_reason === 'string' ? { ...patch, disabled_reason: redact(patch.disabled_reason) } : patch),
  };
  const providers = createProviders({
    state: accountState,
    credentialsOf: (kind) => pool.credentialsOf(kind),
    settings: () => deps.settings.get(),
    googleTokens: accessTokens,
    dispatcher,
    onError: report,
  });
  const usage = deps.usage ?? new UsageStats({ store: deps.stats, onError: report });
  await usage.load();
  const log = new RequestLog({
    memoryLimit: MEMORY_LOG_LIMIT,
    history: deps.history,
    onEntry: (entry: RequestLogEntry) => {
      usage.record(entry);
      events.emit('request', entry);
    },
    onError: report,
  });
  await log.load();
  const team = deps.team;
  if (team) {
    // Other gateways' requests are listed and shown live here; they are kept and counted where they ran.
    team.onRemoteEntry((entry) => {
      log.ingest(entry);
      events.emit('request', entry);
    });
  }
  // The Host guard judges by the host the listener really uses: `serve --host` wins over the host
  // setting here as it does for the listener. One object per settings change, not one per request.
  let stored: Settings | null = null;
  let asListening: Settings = deps.settings.get();
  const gatewaySettings = (): Settings => {
    const s = deps.settings.get();
    if (s !== stored) {
      stored = s;
      asListening = deps.listenOverride?.host === undefined ? s : { ...s, host: deps.listenOverride.host };
    }
    return asListening;
  };
  // The price table is rebuilt when the settings change, not per request.
  let pricedBy: Settings['model_prices'] | null = null;
  let table: PriceRow[] = [];
  const prices = (): PriceRow[] => {
    const rows = deps.settings.get().model_prices;
    if (rows !== pricedBy) {
      pricedBy = rows;
      table = priceTable(rows);
    }
    return table;
  };
  const app = createGatewayApp({
    settings: gatewaySettings,
    pool,
    providers,
    recordRequest: team
      ? (entry) => log.record({ ...priceEntry(redactEntry(entry, redact), prices()), instance: team.instance })
      : (entry) => log.record(priceEntry(redactEntry(entry, redact), prices())),
    retryPolicy: deps.retryPolicy,
    pingIntervalMs: deps.pingIntervalMs,
    onInternalError: deps.onInternalError,
    redact,
  });
  const server = new GatewayServer(app);
  const gateway = new GatewayControl(server, deps.settings, events, deps.listenOverride, team ? () => team.status() : null);
  team?.attach({ status: () => gateway.status(), version: deps.version ?? '0.0.0' });
  team?.onStatusChange(() => events.emit('status', gateway.status()));
  const settings = new SettingsService(deps.settings, gateway, trust, () => deps.accounts.list());
  const accounts = new AccountsService(deps.accounts, deps.secrets, pool);
  const tester = new AccountTester({ pool, providers, rules: () => deps.settings.get().model_rules, redact });
  const updates = new UpdatesService({
    currentVersion: deps.version ?? '0.0.0',
    feed: deps.releases ?? null,
    settings: deps.settings,
    events,
  });
  const googleSignIn = createGoogleSignIn({ google, oauth: googleOAuth, accounts, store: deps.accounts, onOutcome: (o) => events.emit('sign_in', o) });

  // Stats change on every request; the console needs the picture a few times a second, not per request.
  let accountsTimer: NodeJS.Timeout | null = null;
  deps.accounts.onChange(() => {
    accountsTimer ??= setTimeout(() => {
      accountsTimer = null;
      events.emit('accounts', [...deps.accounts.list()]);
    }, ACCOUNT_EVENT_INTERVAL_MS);
  });
  deps.settings.onChange((s) => events.emit('settings', withSecretsMasked(s)));
  if (team) {
    // Another gateway of the team may turn authentication off; one listening beyond loopback then stops
    // rather than serve without it (a change made here was refused before it was saved).
    deps.settings.onChange((s) => {
      if (gateway.listening && startRefusal(gateway.bindPlan(s)) !== null) void gateway.stop().catch(report);
    });
  }

  // Claude Code's settings files follow the gateway: a new port or key is written to every file
  // Switchyard connected, and so is the port a start really listens on.
  const claudeGateway = () => {
    const s = deps.settings.get();
    const at = gateway.status();
    return { baseUrl: gatewayUrl(at.host, at.port), key: s.auth_mode === 'off' ? null : s.api_key };
  };
  const claudeCode = new ClaudeCodeConnector({
    links: deps.claudeLinks ?? new MemoryClaudeLinkStore(),
    home: deps.claudeHome ?? claudeHomeFromEnv(),
    wanted: claudeGateway,
    onChange: (file) => events.emit('claude_code', { settings_file: file }),
  });
  let followed = JSON.stringify(claudeGateway());
  const followGateway = (force: boolean) => {
    const now = JSON.stringify(claudeGateway());
    if (!force && now === followed) return;
    followed = now;
    claudeCode.follow().catch(report);
  };
  deps.settings.onChange(() => followGateway(false));
  events.on('status', (status) => followGateway(status.running));

  // The ControlApi is the services side by side; this object only routes each method to its service.
  const runtime: Runtime = {
    events,
    getStatus: async () => gateway.status(),
    startGateway: () => gateway.start(),
    stopGateway: () => gateway.stop(),
    getSettings: () => settings.get(),
    updateSettings: (patch: SettingsPatch) => settings.update(patch),
    generateApiKey: () => settings.generateApiKey(),
    listAccounts: () => accounts.list(),
    addAccount: (input: NewAccount) => accounts.add(input),
    updateAccount: (id: string, patch: AccountPatch) => accounts.update(id, patch),
    removeAccount: (id: string) => accounts.remove(id),
    testAccount: (id: string) => tester.test(id),
    exportAccounts: (req) => accounts.exportAccounts(req),
    importAccounts: (req) => accounts.importAccounts(req),
    downloadAccounts: async (req) => accounts.downloadAccounts(req),
    uploadAccounts: (req) => accounts.uploadAccounts(req),
    listRequests: async (query: RequestQuery) => log.list(query),
    clearRequests: () => log.clear(),
    getStats: async (query: StatsQuery) => usage.report(query),
    listWarnings: async () => [...warnings],
    startGoogleSignIn: () => googleSignIn.start(),
    finishGoogleSignIn: (req) => googleSignIn.finish(req),
    cancelGoogleSignIn: (id: string) => googleSignIn.cancel(id),
    googleAccountEmail: async (refreshToken: string) => ({ email: await googleSignIn.emailOf(refreshToken) }),
    getUpdateStatus: () => updates.status(),
    checkForUpdates: () => updates.check(),
    getClaudeCodeStatus: (target) => claudeCode.status(target),
    connectClaudeCode: (req) => claudeCode.connect(req),
    disconnectClaudeCode: (target) => claudeCode.disconnect(target),

    async close(graceMs = 1000) {
      if (accountsTimer) clearTimeout(accountsTimer);
      updates.close();
      googleSignIn.close();
      googleTokens.close();
      await gateway.stop(graceMs);
      await claudeCode.idle();
      await log.close();
      await usage.flush();
      pool.flushStats();
      await deps.accounts.flush();
      await team?.close();
      await Promise.all(Object.values(providers).map((p) => p.close()));
      await googleOAuth.close();
      await trust.close();
    },
  };
  for (const w of warnings) events.emit('warning', w);
  return runtime;
}

/** The secrets the runtime holds: every account's key or refresh token, live access tokens, the gateway's key, the OAuth client secret. */
function* heldSecrets(deps: RuntimeDeps, google: GoogleSettings, tokens: AccessTokens): Generator<string> {
  for (const account of deps.accounts.list()) {
    const secret = deps.secrets.get(account.id);
    if (secret) yield secret;
  }
  yield* tokens.held?.() ?? [];
  yield deps.settings.get().api_key;
  yield google.client_secret;
}

/** A log entry with the upstream's words cut free of secrets; the entry itself when it holds none to cut. */
function redactEntry(entry: RequestLogEntry, redact: Redact): RequestLogEntry {
  if (entry.error_message === null && entry.attempts.every((a) => a.message === null)) return entry;
  return {
    ...entry,
    error_message: entry.error_message === null ? null : redact(entry.error_message),
    attempts: entry.attempts.map((a) => (a.message === null ? a : { ...a, message: redact(a.message) })),
  };
}
