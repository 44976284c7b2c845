// Starts the real gateway runtime on 127.0.0.1:0 with in-memory stores, for loopback tests.

import type { Account, AuthScheme, NewAccount, SettingsPatch } from '../../src-proxy/contract/index.js';
import type { AccessTokens } from '../../src-proxy/providers/antigravity/access-tokens.js';
import { MemoryAccountStore } from '../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../src-proxy/accounts/memory-secret-store.js';
import { createRuntime, type Runtime } from '../../src-proxy/runtime/create-runtime.js';
import type { RetryPolicy } from '../../src-proxy/routing/retry-policy.js';
import { DEFAULT_RETRY_POLICY } from '../../src-proxy/routing/retry-policy.js';
import { MemorySettingsStore } from '../../src-proxy/settings/memory-settings-store.js';
import type { RequestLogEntry } from '../../src-proxy/contract/index.js';

export interface TestAccount {
  /** Default anthropic. */
  provider?: 'anthropic' | 'gemini' | 'antigravity';
  label: string;
  /** A group rules can name instead of the label. */
  group?: string;
  /** Unused for antigravity accounts: their hosts are the `antigravity.base_urls` setting. */
  baseUrl: string;
  /** The API key, or an antigravity account's refresh token. */
  key: string;
  /** Antigravity: the project the account works in, instead of the one it would discover. */
  projectId?: string;
  authScheme?: AuthScheme;
  stripCacheControl?: boolean;
  countTokens?: boolean;
}

export interface TestGateway {
  url: string;
  runtime: Runtime;
  /** The settings as stored, unmasked, behind the runtime. */
  settingsStore: MemorySettingsStore;
  accounts: Account[];
  /** Log entries as they were published, oldest first. */
  entries: RequestLogEntry[];
  /** Resolves with the n-th published log entry (1-based) once it exists (bounded wait). */
  entry(n: number, timeoutMs?: number): Promise<RequestLogEntry>;
  close(): Promise<void>;
}

/** Short waits so retry tests run fast; the decisions are the production ones. */
const FAST_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, overloadBaseMs: 20, overloadMaxMs: 50 };

export async function startGateway(
  opts: {
    accounts?: TestAccount[];
    settings?: SettingsPatch;
    retryPolicy?: RetryPolicy;
    pingIntervalMs?: number;
    accessTokens?: AccessTokens;
  } = {},
): Promise<TestGateway> {
  const settingsStore = new MemorySettingsStore(opts.settings ?? {});
  const runtime = await createRuntime({
    accessTokens: opts.accessTokens,
    settings: settingsStore,
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    retryPolicy: opts.retryPolicy ?? FAST_RETRY_POLICY,
    pingIntervalMs: opts.pingIntervalMs,
    listenOverride: { host: '127.0.0.1', port: 0 },
    onInternalError: (err) => {
      throw err;
    },
  });
  const accounts: Account[] = [];
  for (const a of opts.accounts ?? []) {
    accounts.push(await runtime.addAccount({ ...newAccount(a), ...(a.group ? { group: a.group } : {}) }));
  }
  const entries: RequestLogEntry[] = [];
  runtime.events.on('request', (e) => entries.push(e));
  const status = await runtime.startGateway();
  return {
    url: status.url!,
    runtime,
    settingsStore,
    accounts,
    entries,
    async entry(n, timeoutMs = 3000) {
      const deadline = performance.now() + timeoutMs;
      while (entries.length < n) {
        if (performance.now() > deadline) throw new Error(`log entry ${n} not published within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return entries[n - 1]!;
    },
    close: () => runtime.close(),
  };
}

function newAccount(a: TestAccount): NewAccount {
  switch (a.provider) {
    case 'gemini':
      return { provider: 'gemini', label: a.label, api_key: a.key, options: { base_url: a.baseUrl, count_tokens: a.countTokens ?? true } };
    case 'antigravity':
      return { provider: 'antigravity', label: a.label, refresh_token: a.key, options: a.projectId ? { project_id: a.projectId } : {} };
    default:
      return {
        provider: 'anthropic',
        label: a.label,
        api_key: a.key,
        options: {
          base_url: a.baseUrl,
          auth_scheme: a.authScheme ?? 'x-api-key',
          strip_cache_control: a.stripCacheControl ?? false,
          count_tokens: a.countTokens ?? true,
        },
      };
  }
}
