// An in-memory ControlClient for the console's component tests: it keeps settings, accounts, requests
// and stats as the core would show them, emits the events the core would push, and records every call.

import {
  AccountSchema,
  ControlError,
  NewAccountSchema,
  SettingsSchema,
  mergeOrThrow,
  type Account,
  type AccountTest,
  type ClaudeCodeStatus,
  type ControlApi,
  type ControlClient,
  type ControlEventName,
  type ControlEvents,
  type EventListener,
  type GatewayStatus,
  type GoogleSignInStart,
  type RequestLogEntry,
  type Settings,
  type StatsReport,
  type UpdateStatus,
  type Warning,
} from './contract.js';
import { makeEntry } from '../proxy/logs/entry-fixture.js';

export interface FakeControl extends ControlClient {
  /** Every call as [method, args], in order. */
  calls: Array<[string, unknown[]]>;
  state: {
    status: GatewayStatus;
    settings: Settings;
    accounts: Account[];
    requests: RequestLogEntry[];
    stats: StatsReport;
    warnings: Warning[];
    update: UpdateStatus;
    /** Claude Code's user settings as the core would report them. */
    claudeCode: ClaudeCodeStatus;
    /** How the upstream answers a Test, by account label; a success when absent. */
    testOutcomes: Record<string, Pick<AccountTest, 'failure' | 'status' | 'message'>>;
  };
  /** Pushes an event to the console as the core would. */
  emit<K extends ControlEventName>(name: K, payload: ControlEvents[K]): void;
  /** Makes the next call of `method` fail with this code. */
  failNext(method: keyof ControlApi, code: ControlError['code'], message?: string): void;
  listenerCount(name: ControlEventName): number;
  /** Ids of the Google sign-ins started, oldest first. */
  signInsStarted: string[];
}

let nextId = 1;

/** An account as the core shows it; fields not given take the schema's defaults. */
export function account(fields: { label: string; provider?: Account['provider'] } & Record<string, unknown>): Account {
  const provider = fields.provider ?? 'anthropic';
  return AccountSchema.parse({
    id: `acc-${nextId++}`,
    created_at: Date.UTC(2026, 0, 1),
    options: provider === 'anthropic' ? { base_url: 'https://api.example.test' } : {},
    ...fields,
    provider,
  });
}

/** A request log entry as the core records it; `id` and `time` fresh unless given. */
export function logEntry(fields: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return makeEntry(fields.id ?? `req-${nextId++}`, fields.time ?? Date.now(), fields);
}

export function createFakeControl(init: Partial<FakeControl['state']> = {}): FakeControl {
  const settings = init.settings ?? SettingsSchema.parse({});
  const state: FakeControl['state'] = {
    status: {
      running: true,
      host: settings.host,
      port: settings.port,
      url: `http://127.0.0.1:${settings.port}`,
      started_at: Date.now() - 60_000,
      last_error: null,
    },
    settings,
    accounts: [],
    requests: [],
    stats: { bucket: 'hour', buckets: [], totals: { requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced: 0 } },
    warnings: [],
    update: { supported: false, current_version: '0.1.0', latest_version: null, release_url: null, checked_at: null, error: null },
    claudeCode: {
      settings_file: '/home/user/.claude/settings.json',
      exists: true,
      connected: false,
      linked: false,
      drift: ['base_url'],
      base_url: null,
      gateway_url: `http://127.0.0.1:${settings.port}`,
    },
    testOutcomes: {},
    ...init,
  };
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: Array<[string, unknown[]]> = [];
  const failures = new Map<string, ControlError>();
  const exported = new Set<string>();
  const emit = <K extends ControlEventName>(name: K, payload: ControlEvents[K]) => {
    for (const l of [...(listeners.get(name) ?? [])]) l(payload);
  };
  const signIns = new Set<string>();
  const signInsStarted: string[] = [];

  const api: ControlApi = {
    getStatus: async () => state.status,
    startGateway: async () => {
      state.status = { ...state.status, running: true, url: `http://127.0.0.1:${state.status.port}`, started_at: Date.now() };
      emit('status', state.status);
      return state.status;
    },
    stopGateway: async () => {
      state.status = { ...state.status, running: false, url: null, started_at: null };
      emit('status', state.status);
      return state.status;
    },
    getSettings: async () => state.settings,
    updateSettings: async (patch) => {
      const next = mergeOrThrow(state.settings, patch);
      // As the core: a change that turns authentication on with no key is refused.
      if (next.auth_mode !== 'off' && next.api_key === '' && !(state.settings.auth_mode !== 'off' && state.settings.api_key === '')) {
        throw new ControlError('would_lock_out', 'authentication would be on with no api_key');
      }
      state.settings = next;
      emit('settings', state.settings);
      // As the core: a port given to serve for this run keeps the gateway where it is.
      if (patch.port !== undefined && state.status.override?.port === undefined) {
        state.status = { ...state.status, port: patch.port, url: state.status.running ? `http://127.0.0.1:${patch.port}` : null };
        emit('status', state.status);
      }
      return state.settings;
    },
    generateApiKey: async () => api.updateSettings({ api_key: `sk-sy-generated${nextId++}` }),
    listAccounts: async () => state.accounts,
    addAccount: async (input) => {
      const parsed = NewAccountSchema.safeParse(input);
      if (!parsed.success) throw new ControlError('invalid_argument', parsed.error.issues[0]!.message);
      const a = account({ label: parsed.data.label, provider: parsed.data.provider, options: parsed.data.options });
      state.accounts = [...state.accounts, a];
      emit('accounts', state.accounts);
      return a;
    },
    updateAccount: async (id, patch) => {
      const a = state.accounts.find((x) => x.id === id);
      if (!a) throw new ControlError('not_found', `no account ${id}`);
      const next = {
        ...a,
        ...(patch.label ? { label: patch.label } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.group !== undefined ? { group: patch.group } : {}),
        ...(patch.options ? { options: { ...a.options, ...patch.options } } : {}),
      } as Account;
      if (patch.reset_health) Object.assign(next, { health: 'ok', health_message: null, cooldowns: [] });
      state.accounts = state.accounts.map((x) => (x.id === id ? next : x));
      emit('accounts', state.accounts);
      return next;
    },
    testAccount: async (id) => {
      const a = state.accounts.find((x) => x.id === id);
      if (!a) throw new ControlError('not_found', `no account ${id}`);
      const outcome = state.testOutcomes[a.label] ?? { failure: null, status: null, message: null };
      const test: AccountTest = { at: Date.now(), method: 'count_tokens', model: 'claude-haiku-4-5', latency_ms: 230, ...outcome };
      const next = { ...a, last_test: test, ...(outcome.failure === 'auth' ? { health: 'invalid', health_message: outcome.message } : {}) } as Account;
      state.accounts = state.accounts.map((x) => (x.id === id ? next : x));
      emit('accounts', state.accounts);
      return next;
    },
    removeAccount: async (id) => {
      state.accounts = state.accounts.filter((x) => x.id !== id);
      emit('accounts', state.accounts);
    },
    exportAccounts: async (req) => {
      // As on disk: a path exported to once holds a file, replaced only when asked.
      if (exported.has(req.path) && !req.overwrite) throw new ControlError('already_exists', `${req.path} exists already`);
      exported.add(req.path);
      return { path: req.path, count: state.accounts.length };
    },
    importAccounts: async () => ({ added: 2, skipped: 1 }),
    downloadAccounts: async (req) => ({
      file_name: 'switchyard-accounts-2026-12-06.json',
      content: JSON.stringify({
        format: 'switchyard-accounts',
        accounts: state.accounts.map((a) => ({ label: a.label, ...(req.include_secrets ? { secret: 'sk-x' } : {}) })),
      }),
      count: state.accounts.length,
    }),
    uploadAccounts: async ({ content }) => {
      if (!content.includes('switchyard-accounts')) throw new ControlError('invalid_argument', 'The file is not a Switchyard accounts export.');
      return { added: 2, skipped: 1 };
    },
    // Newest first, as the core lists them.
    listRequests: async (q) => state.requests.slice(0, q.limit ?? 10_000),
    clearRequests: async () => {
      state.requests = [];
    },
    getStats: async (q) => ({ ...state.stats, bucket: q.bucket }),
    listWarnings: async () => state.warnings,
    startGoogleSignIn: async (): Promise<GoogleSignInStart> => {
      const id = `sign-in-${nextId++}`;
      signIns.add(id);
      signInsStarted.push(id);
      return { sign_in_id: id, url: 'https://accounts.example.test/auth?x=1', redirect_uri: 'http://127.0.0.1:9/callback', expires_at: Date.now() + 600_000 };
    },
    finishGoogleSignIn: async (req) => {
      if (!signIns.has(req.sign_in_id)) throw new ControlError('sign_in_expired', 'unknown sign-in');
      signIns.delete(req.sign_in_id);
      const a = account({ label: 'person@gmail.test', provider: 'antigravity' });
      state.accounts = [...state.accounts, a];
      emit('accounts', state.accounts);
      return a;
    },
    cancelGoogleSignIn: async (id) => {
      signIns.delete(id);
    },
    googleAccountEmail: async () => ({ email: 'person@gmail.test' }),
    getUpdateStatus: async () => state.update,
    getClaudeCodeStatus: async () => state.claudeCode,
    connectClaudeCode: async () => {
      const already = state.claudeCode.linked;
      state.claudeCode = { ...state.claudeCode, connected: true, linked: true, drift: [], base_url: state.claudeCode.gateway_url };
      emit('claude_code', { settings_file: state.claudeCode.settings_file });
      return { status: state.claudeCode, already_linked: already, created: false };
    },
    disconnectClaudeCode: async () => {
      const linked = state.claudeCode.linked;
      state.claudeCode = { ...state.claudeCode, connected: false, linked: false, drift: ['base_url'], base_url: null };
      emit('claude_code', { settings_file: state.claudeCode.settings_file });
      return { status: state.claudeCode, restored: linked ? 'file' : 'not_linked', kept: [] };
    },
    checkForUpdates: async () => {
      state.update = { ...state.update, checked_at: Date.now() };
      return state.update;
    },
  };

  const client: Record<string, unknown> = {};
  for (const [method, fn] of Object.entries(api) as Array<[string, (...a: unknown[]) => Promise<unknown>]>) {
    client[method] = async (...args: unknown[]) => {
      calls.push([method, args]);
      const failure = failures.get(method);
      if (failure) {
        failures.delete(method);
        throw failure;
      }
      return fn(...args);
    };
  }
  return Object.assign(client as unknown as ControlClient, {
    calls,
    state,
    signInsStarted,
    emit,
    failNext(method: keyof ControlApi, code: ControlError['code'], message = code) {
      failures.set(method, new ControlError(code, message));
    },
    listenerCount: (name: ControlEventName) => listeners.get(name)?.size ?? 0,
    onEvent<K extends ControlEventName>(name: K, listener: EventListener<K>) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  });
}
