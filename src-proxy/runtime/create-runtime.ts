// The composition of the core: stores, pool, providers, log and the gateway listener, behind the one
// ControlApi every shell (CLI, Electron IPC, HTTP console) talks to.

import { randomBytes } from 'node:crypto';
import {
  AccountPatchSchema,
  AccountSchema,
  ACCOUNT_KINDS,
  ControlError,
  NewAccountSchema,
  type Account,
  type AccountPatch,
  type ControlApi,
  type ControlEvents,
  type GatewayStatus,
  type NewAccount,
  type RequestLogEntry,
  type RequestQuery,
  type Settings,
  type SettingsPatch,
  type Warning,
} from '../contract/index.js';
import { StoreAccountPool } from '../accounts/account-pool.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { SecretStore } from '../accounts/secret-store.js';
import { createGatewayApp } from '../gateway/app.js';
import { EventBus } from '../lib/event-bus.js';
import { reportUnhandled } from '../lib/report.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { RequestLog, type RequestHistory } from '../logs/request-log.js';
import { AnthropicProvider } from '../providers/anthropic/anthropic-provider.js';
import { GeminiProvider } from '../providers/gemini/gemini-provider.js';
import type { ProviderRegistry } from '../providers/types.js';
import type { RetryPolicy } from '../routing/retry-policy.js';
import { mergeSettings, type SettingsStore } from '../settings/settings-store.js';
import { changeRefusal, startRefusal, type BindPlan } from './bind-policy.js';
import { GatewayServer, type ListenAddress } from './gateway-server.js';

/** Entries kept in memory for the console; the on-disk history is bounded by a setting. */
const MEMORY_LOG_LIMIT = 1000;
const ACCOUNT_EVENT_INTERVAL_MS = 250;

export interface RuntimeDeps {
  settings: SettingsStore;
  accounts: AccountStore;
  secrets: SecretStore;
  history?: RequestHistory;
  /** Defaults to one provider per supported kind. */
  providers?: ProviderRegistry;
  /** Problems found while opening the stores (files moved aside). */
  warnings?: Warning[];
  retryPolicy?: RetryPolicy;
  pingIntervalMs?: number;
  /** This run's listen address, overriding the settings (`serve --port/--host`); not persisted. */
  listenOverride?: Partial<ListenAddress>;
  onInternalError?(err: unknown): void;
}

export interface Runtime extends ControlApi {
  readonly events: EventBus<ControlEvents>;
  /** Stops the listener, flushes the log and the stores, closes connection pools. */
  close(): Promise<void>;
}

export async function createRuntime(deps: RuntimeDeps): Promise<Runtime> {
  // A broken console listener or a failing history write is reported to the shell, never to a client.
  const report = deps.onInternalError ?? ((err: unknown) => reportUnhandled('internal error', err));
  const events = new EventBus<ControlEvents>({ onListenerError: report });
  const warnings: Warning[] = [...(deps.warnings ?? [])];
  const providers: ProviderRegistry = deps.providers ?? { anthropic: new AnthropicProvider(), gemini: new GeminiProvider() };
  const log = new RequestLog({
    memoryLimit: MEMORY_LOG_LIMIT,
    history: deps.history,
    onEntry: (entry: RequestLogEntry) => events.emit('request', entry),
    onError: report,
  });
  await log.load();
  const pool = new StoreAccountPool(deps.accounts, deps.secrets);
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
  const app = createGatewayApp({
    settings: gatewaySettings,
    pool,
    providers,
    recordRequest: (entry) => log.record(entry),
    retryPolicy: deps.retryPolicy,
    pingIntervalMs: deps.pingIntervalMs,
    onInternalError: deps.onInternalError,
  });
  const server = new GatewayServer(app);
  let lastError: GatewayStatus['last_error'] = null;

  const address = (s: Settings): ListenAddress => ({
    host: deps.listenOverride?.host ?? s.host,
    port: deps.listenOverride?.port ?? s.port,
  });

  const bindPlan = (s: Settings): BindPlan => ({
    host: address(s).host,
    fromOverride: deps.listenOverride?.host !== undefined,
    auth_mode: s.auth_mode,
    api_key: s.api_key,
  });

  const status = (): GatewayStatus => {
    const at = server.listening;
    const configured = address(deps.settings.get());
    return {
      running: at !== null,
      host: at?.host ?? configured.host,
      port: at?.port ?? configured.port,
      url: at ? `http://${urlHost(at.host)}:${at.port}` : null,
      started_at: server.since,
      last_error: lastError,
    };
  };

  const start = async (): Promise<GatewayStatus> => {
    const settings = deps.settings.get();
    const at = address(settings);
    const refusal = startRefusal(bindPlan(settings));
    if (refusal !== null) {
      lastError = 'insecure_bind';
      throw new ControlError('insecure_bind', refusal);
    }
    try {
      await server.start(at);
      lastError = null;
    } catch (err) {
      lastError = err instanceof ControlError ? err.code : 'listen_failed';
      events.emit('status', status());
      throw err;
    }
    events.emit('status', status());
    return status();
  };

  const stop = async (): Promise<GatewayStatus> => {
    await server.stop();
    events.emit('status', status());
    return status();
  };

  // Stats change on every request; the console needs the picture a few times a second, not per request.
  let accountsTimer: NodeJS.Timeout | null = null;
  deps.accounts.onChange(() => {
    accountsTimer ??= setTimeout(() => {
      accountsTimer = null;
      events.emit('accounts', [...deps.accounts.list()]);
    }, ACCOUNT_EVENT_INTERVAL_MS);
  });
  deps.settings.onChange((settings) => events.emit('settings', settings));

  // Settings changes run one at a time, so each is checked against the settings it will replace: two
  // changes that are each safe alone (host 0.0.0.0, auth_mode off) cannot both pass.
  const settingsQueue = new SerialQueue();

  const requireAccount = (id: string): Account => {
    const account = deps.accounts.get(id);
    if (!account) throw new ControlError('not_found', `No account with id ${id}.`);
    return account;
  };

  const runtime: Runtime = {
    events,
    getStatus: async () => status(),
    startGateway: start,
    stopGateway: stop,
    getSettings: async () => deps.settings.get(),

    updateSettings: (patch: SettingsPatch) =>
      settingsQueue.run(async () => {
        const current = deps.settings.get();
        let next: Settings;
        try {
          next = mergeSettings(current, patch);
        } catch (err) {
          rethrowInvalid(err);
        }
        // The same rule as at start, checked before anything is written.
        const refusal = changeRefusal(bindPlan(current), bindPlan(next), server.listening !== null);
        if (refusal !== null) throw new ControlError('insecure_bind', refusal);
        const before = address(current);
        const settings = await deps.settings.update(patch).catch(rethrowInvalid);
        const after = address(settings);
        // A new address takes effect at once: the listener moves.
        if (server.listening && (before.host !== after.host || before.port !== after.port)) {
          await server.stop();
          await start();
        }
        return settings;
      }),

    listAccounts: async () => {
      pool.flushStats();
      return [...deps.accounts.list()];
    },

    async addAccount(input: NewAccount) {
      const parsed = parseOrThrow(NewAccountSchema, input);
      const account = AccountSchema.parse({
        id: `acct_${randomBytes(6).toString('hex')}`,
        provider: parsed.provider,
        label: parsed.label,
        enabled: parsed.enabled ?? true,
        options: parsed.options,
        created_at: Date.now(),
      });
      // The key first: an account never exists without its key.
      await deps.secrets.set(account.id, parsed.api_key);
      try {
        await deps.accounts.add(account);
      } catch (err) {
        await deps.secrets.delete(account.id);
        throw err;
      }
      return account;
    },

    async updateAccount(id: string, patch: AccountPatch) {
      const current = requireAccount(id);
      const p = parseOrThrow(AccountPatchSchema, patch);
      const kindOptions = ACCOUNT_KINDS[current.provider].options as Parser<Account['options']>;
      const options = p.options ? parseOrThrow(kindOptions, { ...current.options, ...definedOnly(p.options) }) : current.options;
      if (p.api_key !== undefined) await deps.secrets.set(id, p.api_key);
      const resetHealth = p.reset_health === true || p.api_key !== undefined;
      // `options` were parsed by the account's own kind's schema, so the account stays of its kind.
      return deps.accounts.update(
        id,
        (a) =>
          ({
            ...a,
            label: p.label ?? a.label,
            enabled: p.enabled ?? a.enabled,
            options,
            ...(resetHealth ? { health: 'ok' as const, health_message: null, health_at: Date.now(), cooldowns: [] } : {}),
          }) as Account,
      );
    },

    async removeAccount(id: string) {
      requireAccount(id);
      await deps.accounts.remove(id);
      await deps.secrets.delete(id);
    },

    listRequests: async (query: RequestQuery) => log.list(query),
    clearRequests: () => log.clear(),
    listWarnings: async () => [...warnings],

    async close() {
      if (accountsTimer) clearTimeout(accountsTimer);
      await server.stop(1000);
      await log.close();
      pool.flushStats();
      await deps.accounts.flush();
      await Promise.all(Object.values(providers).map((p) => p?.close()));
    },
  };
  for (const w of warnings) events.emit('warning', w);
  return runtime;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

function parseOrThrow<T>(schema: Parser<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ControlError('invalid_argument', describeIssues(r.error.issues));
}

function describeIssues(issues: Array<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

function rethrowInvalid(err: unknown): never {
  const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (Array.isArray(issues)) throw new ControlError('invalid_argument', describeIssues(issues));
  throw err;
}
