// The four ways a Claude request is served, each set up with two accounts ("one" and "two") behind a
// fault proxy, through the runtime's own wiring: Anthropic keys, Gemini API keys, and Google accounts
// over Code Assist asked for a Claude model and for a Gemini model. Google accounts get their access
// tokens from the real token service, against the fake Google OAuth server behind a fault proxy of its
// own. Tests choose a fault per request and see what a client, the log and the events got.

import { randomBytes } from 'node:crypto';
import { MemoryAccountStore } from '../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../src-proxy/accounts/memory-secret-store.js';
import type { Account, NewAccount, RequestLogEntry, Settings, SettingsPatch } from '../../src-proxy/contract/index.js';
import { FileRequestHistory } from '../../src-proxy/logs/request-log.js';
import { createRuntime, type Runtime } from '../../src-proxy/runtime/create-runtime.js';
import { DEFAULT_RETRY_POLICY } from '../../src-proxy/routing/retry-policy.js';
import { MemorySettingsStore } from '../../src-proxy/settings/memory-settings-store.js';
import type { SettingsStore } from '../../src-proxy/settings/settings-store.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { startFaultProxy, type Fault, type FaultProxy, type ProxiedRequest } from '../fakes/fault-proxy.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-upstream.js';
import { FakeGoogleOAuth } from '../fakes/google-oauth.js';
import { startFakeV1Internal, type FakeV1Internal } from '../fakes/v1internal-upstream.js';

export const PATHS = ['anthropic', 'gemini', 'google-claude', 'google-gemini'] as const;
export type PathName = (typeof PATHS)[number];

export const ANSWER_TEXT = 'The whole answer, from the first word to the last.';

export interface PathRig {
  path: PathName;
  url: string;
  runtime: Runtime;
  accounts: Account[];
  /** The model the client asks for. */
  model: string;
  /** The proxy in front of the upstream. */
  upstream: FaultProxy;
  /** The proxy in front of Google's token endpoint (Google paths only). */
  oauth: FaultProxy | null;
  /** Log entries as published. */
  entries: RequestLogEntry[];
  /** Every event payload the runtime emitted, serialised, in order. */
  events: string[];
  /** Whatever the runtime reported as an internal error. */
  internalErrors: unknown[];
  /** Whether an upstream request belongs to account "one" (by the credential it carries). */
  isOne(req: ProxiedRequest): boolean;
  /** Every secret the gateway holds or was handed out: keys, refresh tokens, access tokens, the client secret. */
  secrets(): string[];
  /**
   * Faults for account one's requests only; account two's pass. `where` picks the upstream (its answers
   * to messages by default; `calls: 'all'` for project discovery and token counts too) or the token endpoint.
   */
  faultOne(fault: Fault, opts?: { where?: 'upstream' | 'oauth'; calls?: 'answers' | 'all' }): void;
  close(): Promise<void>;
}

export interface RigOptions {
  /** Settings over the rig's own; not validated, so tests may use timeouts shorter than a user could set. */
  settings?: Partial<Settings>;
  /** Accounts "one" and "two" (default), or "one" alone. */
  accounts?: 1 | 2;
  /** Keep the request history in this JSON-lines file, as `serve` does in its data folder. */
  historyFile?: string;
}

/** A settings store that hands out what it was given, unvalidated: short timeouts for tests. */
class LooseSettingsStore implements SettingsStore {
  private readonly inner: MemorySettingsStore;
  constructor(
    patch: SettingsPatch,
    private readonly overrides: Partial<Settings>,
  ) {
    this.inner = new MemorySettingsStore(patch);
  }
  get(): Settings {
    return { ...this.inner.get(), ...this.overrides };
  }
  update(patch: SettingsPatch): Promise<Settings> {
    return this.inner.update(patch).then(() => this.get());
  }
  onChange(listener: (s: Settings) => void): () => void {
    return this.inner.onChange(() => listener(this.get()));
  }
}

const LABELS = ['one@example.com', 'two@example.com'] as const;

/** A request for an answer to messages (not project discovery, quota or a token count). */
function isAnswer(req: ProxiedRequest): boolean {
  return /:(stream)?generateContent\b/i.test(req.path) || req.path.split('?')[0] === '/v1/messages';
}

export async function startPath(path: PathName, opts: RigOptions = {}): Promise<PathRig> {
  const count = opts.accounts ?? 2;
  const closers: Array<() => Promise<void>> = [];
  const tag = () => randomBytes(12).toString('base64url');
  let upstream: FaultProxy;
  let oauthProxy: FaultProxy | null = null;
  let newAccounts: NewAccount[];
  let patch: SettingsPatch;
  let model: string;
  let isOne: (req: ProxiedRequest) => boolean;
  let secrets: string[];

  if (path === 'anthropic') {
    const keys = [`sk-fake-fake-one-${tag()}`, `sk-fake-fake-two-${tag()}`].slice(0, count);
    const fake: FakeAnthropic = await startFakeAnthropic({ keys, defaultBehaviour: { kind: 'reply', text: ANSWER_TEXT, chunks: 4 } });
    closers.push(() => fake.close());
    upstream = await startFaultProxy(fake.url, 'anthropic');
    model = 'claude-sonnet-4-6';
    newAccounts = keys.map((key, i) => ({
      provider: 'anthropic',
      label: LABELS[i]!,
      api_key: key,
      options: { base_url: upstream.url, auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
    }));
    patch = {};
    isOne = (req) => req.credential === keys[0];
    secrets = keys;
  } else if (path === 'gemini') {
    const keys = [`AIzaSy-one-${tag()}`, `AIzaSy-two-${tag()}`].slice(0, count);
    const fake: FakeGemini = await startFakeGemini({ keys, defaultBehaviour: { kind: 'reply', text: ANSWER_TEXT, chunks: 4 } });
    closers.push(() => fake.close());
    upstream = await startFaultProxy(fake.url, 'google');
    model = 'claude-sonnet-4-6';
    newAccounts = keys.map((key, i) => ({ provider: 'gemini', label: LABELS[i]!, api_key: key, options: { base_url: upstream.url, count_tokens: true } }));
    patch = { model_rules: [{ match: 'claude-*', provider: 'gemini', model: 'gemini-3-pro-preview' }] };
    isOne = (req) => req.credential === keys[0];
    secrets = keys;
  } else {
    const google = new FakeGoogleOAuth();
    await google.listen();
    closers.push(() => google.close());
    oauthProxy = await startFaultProxy(google.url, 'oauth');
    const refreshTokens = LABELS.slice(0, count).map((email) => google.issueRefreshToken(email));
    const fake: FakeV1Internal = await startFakeV1Internal({
      accounts: LABELS.slice(0, count).map((email, i) => ({ token: email, project: `proj-${i + 1}` })),
      tokenOwner: (t) => google.accessTokenOwner(t),
    });
    fake.gemini.setDefault({ kind: 'reply', text: ANSWER_TEXT, chunks: 4 });
    closers.push(() => fake.close());
    upstream = await startFaultProxy(fake.url, 'google');
    model = path === 'google-claude' ? 'claude-sonnet-4-5' : 'gemini-3-pro-preview';
    newAccounts = refreshTokens.map((token, i) => ({ provider: 'antigravity', label: LABELS[i]!, refresh_token: token, options: {} }));
    patch = {
      google: { ...google.settings(), token_url: `${oauthProxy.url}/token` },
      antigravity: { base_urls: [upstream.url] },
      model_rules: [
        { match: 'claude-*', provider: 'antigravity' },
        { match: 'gemini-*', provider: 'antigravity' },
      ],
    };
    isOne = (req) => (req.credential !== null && google.accessTokenOwner(req.credential) === LABELS[0]) || req.credential === refreshTokens[0];
    secrets = [...refreshTokens, google.settings().client_secret];
  }

  const entries: RequestLogEntry[] = [];
  const events: string[] = [];
  const internalErrors: unknown[] = [];
  const history = opts.historyFile ? await FileRequestHistory.open(opts.historyFile, { limit: () => 1000, onWarning: () => undefined }) : undefined;
  const runtime = await createRuntime({
    history,
    settings: new LooseSettingsStore(patch, opts.settings ?? {}),
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    retryPolicy: { ...DEFAULT_RETRY_POLICY, overloadBaseMs: 20, overloadMaxMs: 50 },
    listenOverride: { host: '127.0.0.1', port: 0 },
    onInternalError: (err) => internalErrors.push(err),
  });
  const accounts: Account[] = [];
  for (const a of newAccounts) accounts.push(await runtime.addAccount(a));
  runtime.events.on('request', (e) => entries.push(e));
  for (const name of ['request', 'accounts', 'settings', 'status', 'warning'] as const) {
    runtime.events.on(name, (payload: unknown) => events.push(JSON.stringify(payload)));
  }
  const status = await runtime.startGateway();
  const proxies = [upstream, oauthProxy].filter((p): p is FaultProxy => p !== null);

  return {
    path,
    url: status.url!,
    runtime,
    accounts,
    model,
    upstream,
    oauth: oauthProxy,
    entries,
    events,
    internalErrors,
    isOne,
    secrets: () => {
      // Access tokens are whatever the fake Google issued: every bearer token the upstream saw.
      const seen = proxies.flatMap((p) => p.exchanges.map((e) => e.credential)).filter((c): c is string => c !== null);
      return [...new Set([...secrets, ...seen])];
    },
    faultOne(fault, { where = 'upstream', calls = 'answers' } = {}) {
      const proxy = where === 'oauth' ? oauthProxy : upstream;
      if (!proxy) throw new Error(`${path} has no token endpoint`);
      const applies = (req: ProxiedRequest) => isOne(req) && (where === 'oauth' || calls === 'all' || isAnswer(req));
      proxy.setFault((req) => (applies(req) ? fault : { kind: 'pass' }));
    },
    async close() {
      await runtime.close(0);
      for (const p of proxies) await p.close();
      for (const close of closers) await close();
    },
  };
}
