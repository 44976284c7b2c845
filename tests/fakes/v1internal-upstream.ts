// A fake of Google's Code Assist `v1internal` backend (cloudcode-pa) for loopback tests, written from
// protocols.md D.11 and antigravity-manager.md 4.1–4.2 and 6, importing nothing from src-proxy/.
//
// It is a front in front of the Gemini fake: it checks what Code Assist checks itself (the bearer token,
// the envelope's fields, the project the token's account works in, the account's quota, and the rules
// Claude models add: ids on every call and response, `parameters` rather than JSON schemas, thinking only
// in the `-thinking` variants, a tool turn that starts with its signed thinking), then hands the inner
// Gemini request to the Gemini fake, which checks it as the Gemini API does (proto fields, conversation
// rules, thought signatures issued per model) and produces the scripted answer; each answer (the body,
// or each SSE event) goes back wrapped in `{response, traceId}`. Project setup (loadCodeAssist,
// onboardUser and its operation), fetchAvailableModels and countTokens are answered here.

import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { cut, firstHeader, isObject, parseJson, pause, readBody, ScriptedFake, splitOnce, writeChunk } from './fake-http.js';
import {
  failInternally,
  startFakeGemini,
  type Behaviour,
  type FakeGemini,
  type FakeGeminiOptions,
  type GoogleError,
  type IssuedSignature,
} from './gemini-upstream.js';

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

export interface FakeCodeAssistAccount {
  /** The access token that stands for this account; with `tokenOwner`, the owner it names instead. */
  token: string;
  /** A project the account already works in; without one loadCodeAssist offers onboarding. */
  project?: string;
  /** What onboarding creates, and how many polls of its operation pass before it is done (default 1). */
  onboard?: { project: string; polls?: number };
  /** Google wants the account verified first: loadCodeAssist names VALIDATION_REQUIRED. */
  validationRequired?: boolean;
  /** Quota per model; a model not named here has all of its quota left. */
  quota?: Record<string, ModelQuota>;
  /** fetchAvailableModels answers 503 for this account. */
  modelsUnavailable?: boolean;
}

export interface ModelQuota {
  /** 0..1 of the quota left. */
  remaining: number;
  /** Epoch ms of the reset; default an hour after the fake started. */
  resetsAt?: number;
}

export interface FakeV1InternalOptions {
  accounts: FakeCodeAssistAccount[];
  /** Models served (and listed by fetchAvailableModels). Default CODE_ASSIST_MODELS. */
  models?: string[];
  /** Options of the inner Gemini fake (its models and keys are the front's business). */
  gemini?: Omit<FakeGeminiOptions, 'models' | 'keys' | 'defaultBehaviour'>;
  /** Every generate call answers this status, as a host without the backend would (404) or a broken one (503). */
  hostDown?: 404 | 500 | 503;
  /**
   * Whose a presented token is, for tokens another fake issues (the Google OAuth fake's
   * `accessTokenOwner`); accounts are then found by owner. Default: the token is its own owner.
   */
  tokenOwner?: (token: string) => string | null;
}

/** Code Assist's own answers, scripted for generate calls; anything else is a Gemini fake behaviour. */
export type FrontBehaviour =
  /** 429 RESOURCE_EXHAUSTED, QUOTA_EXHAUSTED, naming the reset (`quotaResetDelay`, e.g. "3600s" or "1h"). */
  | { kind: 'quotaExhausted'; resetDelay: string }
  /** 401 UNAUTHENTICATED although the token is known (the token was revoked upstream). */
  | { kind: 'unauthenticated' }
  /** 403 PERMISSION_DENIED with this message. */
  | { kind: 'permissionDenied'; message?: string };

export type V1Behaviour = FrontBehaviour | Behaviour;

export type V1Verb = 'loadCodeAssist' | 'onboardUser' | 'getOperation' | 'fetchAvailableModels' | 'generateContent' | 'streamGenerateContent' | 'countTokens';

export interface V1Request {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The bearer token presented, or null. */
  token: string | null;
  verb: V1Verb | null;
  /** The envelope's model (generate calls), or countTokens' model without `models/`. */
  model: string | null;
  /** The HTTP status answered, or null if never answered. */
  status: number | null;
  /** The Google error body when the front refused the request itself. */
  rejection: GoogleError | null;
  receivedAt: number;
}

export interface FakeV1Internal {
  /** Origin, e.g. http://127.0.0.1:41234 (requests go to `/v1internal:…`). */
  url: string;
  requests: V1Request[];
  /** Only generateContent and streamGenerateContent, in arrival order. */
  generateRequests(): V1Request[];
  /** The inner Gemini fake: its requests, its issued signatures, its default behaviour. */
  gemini: FakeGemini;
  /** Queued for generate calls that pass the front's checks, one each. */
  script(...b: V1Behaviour[]): void;
  /** Every generate call of the account whose token is `token` (`*`: every call) gets `b`, ahead of the script, until lifted with null. */
  refuse(token: string, b: V1Behaviour | null): void;
  /** Changes an account's quota for a model from now on. */
  setQuota(token: string, model: string, quota: ModelQuota): void;
  /** The token no longer works (401), as after a revocation or expiry. */
  revoke(token: string): void;
  /** A new token for the account `oldToken` belongs to. */
  addToken(oldToken: string, newToken: string): void;
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export const CODE_ASSIST_MODELS = [
  'gemini-3-pro-preview',
  'gemini-3-flash-preview',
  'gemini-2.5-flash',
  'claude-sonnet-4-5',
  'claude-sonnet-4-5-thinking',
  'claude-opus-4-5',
  'claude-opus-4-5-thinking',
] as const;

export async function startFakeV1Internal(opts: FakeV1InternalOptions): Promise<FakeV1Internal> {
  const gemini = await startFakeGemini({ ...opts.gemini, models: [...(opts.models ?? CODE_ASSIST_MODELS)], keys: [INNER_KEY] });
  const fake = new FakeV1InternalServer(opts, gemini);
  await fake.listen();
  return fake;
}

/** Code Assist's answer when a model's quota is spent, with the reset it names. */
export function quotaExhaustedBody(model: string, resetDelay: string): GoogleError {
  return googleError(429, `You have exhausted your capacity on this model. Your quota will reset after ${resetDelay}.`, 'RESOURCE_EXHAUSTED', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'QUOTA_EXHAUSTED',
      domain: 'cloudcode-pa.googleapis.com',
      metadata: { model, quotaResetDelay: resetDelay, uiMessage: 'true' },
    },
  ]);
}

export const UNAUTHENTICATED_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';

/** Anthropic's own words when a tool turn lost its thinking, as Claude behind Code Assist relays them. */
export const CLAUDE_THINKING_FIRST =
  'messages: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.';

// ---------------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------------

const INNER_KEY = 'fake-code-assist-inner-key';
const ENVELOPE_FIELDS = new Set(['model', 'project', 'request', 'user_prompt_id', 'userAgent', 'requestType', 'requestId', 'enabled_credit_types']);
const SESSION_FIELDS = ['sessionId', 'session_id'];
const METHODS: ReadonlySet<string> = new Set([
  'loadCodeAssist',
  'onboardUser',
  'fetchAvailableModels',
  'generateContent',
  'streamGenerateContent',
  'countTokens',
]);

interface AccountState {
  spec: FakeCodeAssistAccount;
  project: string | null;
  quota: Map<string, ModelQuota>;
}

interface Exchange {
  rec: V1Request;
  res: ServerResponse;
  gone: AbortSignal;
  cutByFake: boolean;
}

class FakeV1InternalServer extends ScriptedFake<V1Request, V1Behaviour | { kind: 'pass' }> implements FakeV1Internal {
  private readonly accounts = new Map<string, AccountState>();
  private readonly revoked = new Set<string>();
  private readonly operations = new Map<string, { account: AccountState; pollsLeft: number; project: string }>();
  private readonly startedAt = Date.now();
  /** The hop to the inner fake is the fake's own plumbing: kept alive, so it adds as little as it can. */
  private readonly innerAgent = new Agent({ keepAlive: true });

  constructor(
    private readonly opts: FakeV1InternalOptions,
    readonly gemini: FakeGemini,
  ) {
    super({ kind: 'pass' }, failInternally);
    for (const spec of opts.accounts) {
      this.accounts.set(spec.token, { spec, project: spec.project ?? null, quota: new Map(Object.entries(spec.quota ?? {})) });
    }
  }

  generateRequests(): V1Request[] {
    return this.requests.filter((r) => r.verb === 'generateContent' || r.verb === 'streamGenerateContent');
  }

  // Refusals name the account by its own token: with tokens another fake issues, by their owner.
  protected override credentialOf(rec: V1Request): string | null {
    if (rec.token === null) return null;
    return this.opts.tokenOwner ? this.opts.tokenOwner(rec.token) : rec.token;
  }

  setQuota(token: string, model: string, quota: ModelQuota): void {
    this.accounts.get(token)?.quota.set(model, quota);
  }

  revoke(token: string): void {
    this.revoked.add(token);
  }

  addToken(oldToken: string, newToken: string): void {
    const account = this.accounts.get(oldToken);
    if (account) this.accounts.set(newToken, account);
  }

  override reset(): void {
    super.reset();
    this.gemini.reset();
  }

  override async close(): Promise<void> {
    this.innerAgent.destroy();
    await Promise.all([super.close(), this.gemini.close()]);
  }

  private get models(): readonly string[] {
    return this.opts.models ?? CODE_ASSIST_MODELS;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex = this.track(req, res);
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      this.requests.push(ex.rec);
      return;
    }
    ex.rec.body = parseJson(raw);
    this.requests.push(ex.rec);

    const { method, path } = ex.rec;
    const call = /^\/v1internal:([A-Za-z]+)$/.exec(path);
    const operation = /^\/v1internal\/(operations\/[A-Za-z0-9_-]+)$/.exec(path);
    if (method === 'POST' && call && METHODS.has(call[1]!)) ex.rec.verb = call[1] as V1Verb;
    else if (method === 'GET' && operation) ex.rec.verb = 'getOperation';
    else return this.deny(ex, googleError(404, `Method not found: ${method} ${path}`, 'NOT_FOUND'));

    const account = this.authenticate(ex);
    if (!account) return;
    if (method === 'POST' && !isObject(ex.rec.body))
      return this.deny(ex, googleError(400, 'Invalid JSON payload received. Expected an object.', 'INVALID_ARGUMENT'));
    switch (ex.rec.verb) {
      case 'loadCodeAssist':
        return this.loadCodeAssist(ex, account);
      case 'onboardUser':
        return this.onboardUser(ex, account);
      case 'getOperation':
        return this.getOperation(ex, operation![1]!);
      case 'fetchAvailableModels':
        return this.fetchAvailableModels(ex, account);
      case 'countTokens':
        return this.countTokens(ex);
      default:
        return this.generate(ex, account);
    }
  }

  private track(req: IncomingMessage, res: ServerResponse): Exchange {
    const [path = '/', query = ''] = splitOnce(req.url ?? '/', '?');
    const auth = firstHeader(req.headers.authorization) ?? '';
    const rec: V1Request = {
      method: req.method ?? 'GET',
      path,
      query,
      headers: { ...req.headers },
      body: undefined,
      token: /^Bearer (.+)$/.exec(auth)?.[1] ?? null,
      verb: null,
      model: null,
      status: null,
      rejection: null,
      receivedAt: performance.now(),
    };
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    return { rec, res, gone: gone.signal, cutByFake: false };
  }

  private authenticate(ex: Exchange): AccountState | null {
    const token = ex.rec.token;
    const owner = token === null || this.revoked.has(token) ? null : this.opts.tokenOwner ? this.opts.tokenOwner(token) : token;
    const account = owner === null ? undefined : this.accounts.get(owner);
    if (!account) {
      this.deny(ex, googleError(401, UNAUTHENTICATED_MESSAGE, 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
      return null;
    }
    return account;
  }

  // -- project setup (protocols.md D.11.3) ----------------------------------------------------------

  private loadCodeAssist(ex: Exchange, account: AccountState): void {
    if (!isObject(ex.rec.body.metadata)) return this.deny(ex, googleError(400, 'metadata: required field', 'INVALID_ARGUMENT'));
    const allowedTiers = [
      { id: 'free-tier', name: 'Gemini Code Assist for individuals', isDefault: account.project === null, userDefinedCloudaicompanionProject: false },
      { id: 'standard-tier', name: 'Gemini Code Assist', isDefault: account.project !== null, userDefinedCloudaicompanionProject: true },
    ];
    if (account.spec.validationRequired) {
      return sendJson(ex, 200, {
        allowedTiers,
        ineligibleTiers: [
          { reasonCode: 'VALIDATION_REQUIRED', reasonMessage: 'Verify your account.', validationUrl: 'https://accounts.google.com/signin/continue' },
        ],
      });
    }
    if (account.project === null) return sendJson(ex, 200, { allowedTiers });
    sendJson(ex, 200, { currentTier: allowedTiers[1], allowedTiers, cloudaicompanionProject: account.project });
  }

  private onboardUser(ex: Exchange, account: AccountState): void {
    const body = ex.rec.body as Record<string, unknown>;
    if (body.tierId !== 'free-tier' && body.tierId !== 'standard-tier' && body.tierId !== 'legacy-tier') {
      return this.deny(ex, googleError(400, `Invalid tier id: ${String(body.tierId)}`, 'INVALID_ARGUMENT'));
    }
    // The free tier's project is Google's to choose; naming one fails (Gemini CLI's setup says so).
    if (body.tierId === 'free-tier' && body.cloudaicompanionProject !== undefined) {
      return this.deny(ex, googleError(400, 'Precondition check failed.', 'FAILED_PRECONDITION'));
    }
    const onboard = account.spec.onboard;
    if (!onboard) return this.deny(ex, googleError(403, 'The caller does not have permission', 'PERMISSION_DENIED'));
    const name = `operations/onboard-${randomBytes(6).toString('hex')}`;
    const polls = onboard.polls ?? 1;
    this.operations.set(name, { account, pollsLeft: polls, project: onboard.project });
    if (polls === 0) return sendJson(ex, 200, this.finishOperation(name));
    sendJson(ex, 200, { name, done: false });
  }

  private getOperation(ex: Exchange, name: string): void {
    const op = this.operations.get(name);
    if (!op) return this.deny(ex, googleError(404, 'Requested entity was not found.', 'NOT_FOUND'));
    op.pollsLeft--;
    sendJson(ex, 200, op.pollsLeft <= 0 ? this.finishOperation(name) : { name, done: false });
  }

  private finishOperation(name: string): unknown {
    const op = this.operations.get(name)!;
    op.account.project = op.project;
    return {
      name,
      done: true,
      response: {
        '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
        cloudaicompanionProject: { id: op.project, name: op.project },
      },
    };
  }

  // -- quota ----------------------------------------------------------------------------------------

  private quotaOf(account: AccountState, model: string): Required<ModelQuota> {
    const q = account.quota.get(model);
    return { remaining: q?.remaining ?? 1, resetsAt: q?.resetsAt ?? this.startedAt + 3_600_000 };
  }

  private fetchAvailableModels(ex: Exchange, account: AccountState): void {
    const project = (ex.rec.body as Record<string, unknown>).project;
    if (project !== undefined && project !== account.project) return this.deny(ex, permissionDenied(String(project)));
    if (account.spec.modelsUnavailable) return this.deny(ex, googleError(503, 'The service is currently unavailable.', 'UNAVAILABLE'));
    const models: Record<string, unknown> = {};
    for (const model of this.models) {
      const q = this.quotaOf(account, model);
      models[model] = {
        displayName: model,
        supportsThinking: model.endsWith('-thinking') || model.startsWith('gemini'),
        maxTokens: 1_048_576,
        maxOutputTokens: 65_536,
        // A spent quota is reported without a fraction, as the real service does.
        quotaInfo: { ...(q.remaining > 0 ? { remainingFraction: q.remaining } : {}), resetTime: new Date(q.resetsAt).toISOString() },
      };
    }
    // Internal models the service also lists; a client has no use for them.
    models['chat_20706'] = { quotaInfo: { remainingFraction: 1 } };
    sendJson(ex, 200, { models });
  }

  // -- countTokens ----------------------------------------------------------------------------------

  private async countTokens(ex: Exchange): Promise<void> {
    const body = ex.rec.body as Record<string, unknown>;
    const unknown = Object.keys(body).find((k) => k !== 'request');
    if (unknown) return this.deny(ex, unknownName(unknown));
    const inner = body.request;
    if (!isObject(inner)) return this.deny(ex, googleError(400, 'request: required field', 'INVALID_ARGUMENT'));
    const model = typeof inner.model === 'string' ? inner.model.replace(/^models\//, '') : '';
    ex.rec.model = model;
    if (!this.models.includes(model)) return this.deny(ex, googleError(404, 'Requested entity was not found.', 'NOT_FOUND'));
    const extra = Object.keys(inner).find((k) => k !== 'model' && k !== 'contents');
    if (extra) return this.deny(ex, unknownName(`request.${extra}`));
    await this.forward(ex, `/v1beta/models/${encodeURIComponent(model)}:countTokens`, { contents: inner.contents }, model, false);
  }

  // -- generate -------------------------------------------------------------------------------------

  private async generate(ex: Exchange, account: AccountState): Promise<void> {
    const envelope = ex.rec.body as Record<string, unknown>;
    const unknown = Object.keys(envelope).find((k) => !ENVELOPE_FIELDS.has(k));
    if (unknown) return this.deny(ex, unknownName(unknown));
    const model = typeof envelope.model === 'string' ? envelope.model : '';
    ex.rec.model = model;
    if (this.opts.hostDown) return this.deny(ex, googleError(this.opts.hostDown, 'The service is unavailable on this host.', statusName(this.opts.hostDown)));
    if (!this.models.includes(model)) return this.deny(ex, googleError(404, 'Requested entity was not found.', 'NOT_FOUND'));
    if (typeof envelope.project !== 'string' || envelope.project === '') return this.deny(ex, googleError(400, 'project: required field', 'INVALID_ARGUMENT'));
    if (envelope.project !== account.project) return this.deny(ex, permissionDenied(envelope.project));
    if (!isObject(envelope.request)) return this.deny(ex, googleError(400, 'request: required field', 'INVALID_ARGUMENT'));

    const q = this.quotaOf(account, model);
    if (q.remaining <= 0 && q.resetsAt > Date.now()) {
      return this.deny(ex, quotaExhaustedBody(model, `${Math.ceil((q.resetsAt - Date.now()) / 1000)}s`));
    }
    const inner: Record<string, unknown> = { ...envelope.request };
    for (const f of SESSION_FIELDS) {
      if (inner[f] !== undefined && typeof inner[f] !== 'string') return this.deny(ex, googleError(400, `request.${f}: expected a string`, 'INVALID_ARGUMENT'));
      delete inner[f];
    }
    if (model.startsWith('claude-')) {
      const claude = claudeError(inner, model, (sig) => this.gemini.signatureInfo(sig));
      if (claude) return this.deny(ex, googleError(400, claude, 'INVALID_ARGUMENT'));
    }

    const behaviour = this.nextBehaviour(ex.rec);
    switch (behaviour.kind) {
      case 'quotaExhausted':
        return sendJson(ex, 429, quotaExhaustedBody(model, behaviour.resetDelay));
      case 'unauthenticated':
        return sendJson(ex, 401, googleError(401, UNAUTHENTICATED_MESSAGE, 'UNAUTHENTICATED'));
      case 'permissionDenied':
        return sendJson(ex, 403, googleError(403, behaviour.message ?? 'The caller does not have permission', 'PERMISSION_DENIED'));
      case 'pass':
        break;
      default:
        this.gemini.script(behaviour);
    }
    const stream = ex.rec.verb === 'streamGenerateContent';
    const sse = new URLSearchParams(ex.rec.query).get('alt') === 'sse';
    if (stream && !sse) return this.deny(ex, googleError(400, 'streamGenerateContent is served here with alt=sse only', 'INVALID_ARGUMENT'));
    // A reply whose events are to arrive cut inside a character is cut again after wrapping.
    const splitUtf8 = behaviour.kind === 'reply' && behaviour.splitUtf8 === true;
    await this.forward(
      ex,
      `/v1beta/models/${encodeURIComponent(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      inner,
      model,
      stream,
      splitUtf8,
    );
  }

  /** The inner Gemini fake answers; its body (or each SSE event) goes back wrapped as Code Assist wraps it. */
  private forward(ex: Exchange, path: string, body: unknown, model: string, stream: boolean, splitUtf8 = false): Promise<void> {
    const wrapCounts = ex.rec.verb === 'countTokens';
    return new Promise((resolve) => {
      const upstream = httpRequest(
        `${this.gemini.url}${path}`,
        { method: 'POST', agent: this.innerAgent, headers: { 'content-type': 'application/json', 'x-goog-api-key': INNER_KEY } },
        (inner) => {
          const status = inner.statusCode ?? 500;
          ex.rec.status = status;
          if (status !== 200 || !stream) {
            const chunks: Buffer[] = [];
            inner.on('data', (c: Buffer) => chunks.push(c));
            inner.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if (status !== 200 || wrapCounts) {
                ex.res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(text);
              } else {
                sendJson(ex, 200, wrap(JSON.parse(text), model));
              }
              resolve();
            });
            inner.on('error', () => {
              cut(ex);
              resolve();
            });
            return;
          }
          ex.res.writeHead(200, { 'content-type': 'text/event-stream' });
          ex.res.flushHeaders();
          let buffered = '';
          let writing = Promise.resolve(true);
          inner.setEncoding('utf8');
          inner.on('data', (text: string) => {
            buffered += text;
            const events = buffered.split('\r\n\r\n');
            buffered = events.pop() ?? '';
            // Each event is wrapped when its turn to be written comes, so the first leaves before the rest are read.
            for (const event of events) writing = writing.then((ok) => (ok ? writeEvent(ex, wrapEvent(event, model), splitUtf8) : false));
          });
          inner.on('end', () => {
            void writing.then(() => {
              if (!ex.gone.aborted) ex.res.end();
              resolve();
            });
          });
          // The inner fake dropped the connection: so does the front, mid-stream as it is.
          inner.on('aborted', () => {
            void writing.then(() => {
              cut(ex);
              resolve();
            });
          });
          inner.on('error', () => undefined);
        },
      );
      upstream.on('error', () => {
        cut(ex);
        resolve();
      });
      ex.gone.addEventListener('abort', () => upstream.destroy(), { once: true });
      upstream.end(JSON.stringify(body));
    });
  }

  private deny(ex: Exchange, error: GoogleError, headers: Record<string, string> = {}): void {
    ex.rec.rejection = error;
    sendJson(ex, error.error.code, error, headers);
  }
}

/** An SSE event of the inner fake as Code Assist sends it: a mid-stream error as it is, an answer chunk wrapped. */
function wrapEvent(event: string, model: string): Buffer {
  const chunk = JSON.parse(event.startsWith('data: ') ? event.slice(6) : event) as Record<string, unknown>;
  const out = chunk.error !== undefined ? chunk : wrap(chunk, model);
  return Buffer.from(`data: ${JSON.stringify(out)}\r\n\r\n`, 'utf8');
}

/** One event in one write, or in two cut inside its first multi-byte character, apart in time. */
async function writeEvent(ex: Exchange, bytes: Buffer, splitUtf8: boolean): Promise<boolean> {
  const at = splitUtf8 ? bytes.findIndex((b) => b >= 0xc0) : -1;
  if (at < 0) return writeChunk(ex, bytes);
  if (!(await writeChunk(ex, bytes.subarray(0, at + 1)))) return false;
  if (!(await pause(ex, 5))) return false;
  return writeChunk(ex, bytes.subarray(at + 1));
}

/** `{response, traceId}`, with ids on a Claude model's calls (Claude always names its tool calls). */
function wrap(chunk: Record<string, unknown>, model: string): Record<string, unknown> {
  if (model.startsWith('claude-')) {
    const candidates = Array.isArray(chunk.candidates) ? (chunk.candidates as Array<Record<string, unknown>>) : [];
    for (const candidate of candidates) {
      const parts = isObject(candidate.content) && Array.isArray(candidate.content.parts) ? (candidate.content.parts as Array<Record<string, unknown>>) : [];
      for (const part of parts) {
        if (isObject(part.functionCall) && part.functionCall.id === undefined) part.functionCall.id = `toolu_vrtx_${randomBytes(12).toString('hex')}`;
      }
    }
  }
  return { response: chunk, traceId: randomBytes(8).toString('hex') };
}

/** Anthropic's words for a thinking block whose signature is not the one its model gave that thought. */
export const CLAUDE_INVALID_SIGNATURE = 'Invalid `signature` in `thinking` block';

/** The rules Claude adds behind Code Assist; null when the request keeps them. */
function claudeError(request: Record<string, unknown>, model: string, signatureOf: (sig: string) => IssuedSignature | undefined): string | null {
  const contents = Array.isArray(request.contents) ? (request.contents as Array<Record<string, unknown>>) : [];
  const partsOf = (c: Record<string, unknown>) => (Array.isArray(c.parts) ? (c.parts as Array<Record<string, unknown>>) : []);
  for (const content of contents) {
    for (const part of partsOf(content)) {
      for (const key of ['functionCall', 'functionResponse']) {
        const v = part[key];
        if (isObject(v) && (typeof v.id !== 'string' || v.id === '')) return `${key}.id: tool_use ids are required for Claude models`;
      }
    }
  }
  const tools = Array.isArray(request.tools) ? (request.tools as Array<Record<string, unknown>>) : [];
  for (const tool of tools) {
    const decls = Array.isArray(tool.functionDeclarations) ? (tool.functionDeclarations as Array<Record<string, unknown>>) : [];
    if (decls.some((d) => d.parametersJsonSchema !== undefined))
      return 'tools.functionDeclarations.parametersJsonSchema: not supported for Claude models; use parameters';
  }
  const config = isObject(request.generationConfig) ? request.generationConfig : {};
  const thinking = isObject(config.thinkingConfig) ? config.thinkingConfig : null;
  const budget = typeof thinking?.thinkingBudget === 'number' ? thinking.thinkingBudget : 0;
  if (thinking && !model.endsWith('-thinking') && budget !== 0) return `Thinking is not supported for ${model}; use ${model}-thinking`;
  if (!model.endsWith('-thinking')) return null;
  // The variant is the thinking model: it does not run without a budget.
  if (budget <= 0) return `thinking: ${model} always thinks; set generationConfig.thinkingConfig.thinkingBudget (at least 1024)`;
  if (budget < 1024) return 'thinking.budget_tokens: Input should be greater than or equal to 1024';
  if (typeof config.maxOutputTokens === 'number' && config.maxOutputTokens <= budget) {
    return '`max_tokens` must be greater than `thinking.budget_tokens`.';
  }
  // Anthropic's rule: in a tool loop (the request ends with the answers to the last model turn's calls),
  // that model turn starts with its thinking, signed.
  const last = contents.at(-1);
  const turn = contents.at(-2);
  const answering = last && last.role !== 'model' && partsOf(last).some((p) => isObject(p.functionResponse));
  if (answering && turn?.role === 'model' && partsOf(turn).some((p) => isObject(p.functionCall))) {
    const parts = partsOf(turn);
    const first = parts[0];
    if (!first || first.thought !== true || typeof first.thoughtSignature !== 'string') return CLAUDE_THINKING_FIRST;
    // Anthropic checks each thinking block of the turn against the thought its model signed: the
    // signature must be that thought's (a call's will not do), for this model, over the same text.
    for (const [j, part] of parts.entries()) {
      if (part.thought !== true) continue;
      const info = typeof part.thoughtSignature === 'string' ? signatureOf(part.thoughtSignature) : undefined;
      const shown = info?.hidden ? '' : info?.text;
      if (info?.kind !== 'thought' || info.model !== model || shown !== part.text) {
        return `messages.${contents.length - 2}.content.${j}: ${CLAUDE_INVALID_SIGNATURE}`;
      }
    }
  }
  return null;
}

function googleError(code: number, message: string, status: string, details?: unknown[]): GoogleError {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

function unknownName(name: string): GoogleError {
  return googleError(400, `Invalid JSON payload received. Unknown name "${name}": Cannot find field.`, 'INVALID_ARGUMENT', [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ description: `Invalid JSON payload received. Unknown name "${name}": Cannot find field.` }],
    },
  ]);
}

function permissionDenied(project: string): GoogleError {
  return googleError(
    403,
    `Permission 'cloudaicompanion.companions.generateChat' denied on resource '//cloudaicompanion.googleapis.com/projects/${project}/locations/global' (or it may not exist).`,
    'PERMISSION_DENIED',
    [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'cloudaicompanion.googleapis.com' }],
  );
}

function statusName(code: number): string {
  return code === 404 ? 'NOT_FOUND' : code === 503 ? 'UNAVAILABLE' : 'INTERNAL';
}

function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ex.gone.aborted) return;
  ex.rec.status = status;
  ex.res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  ex.res.end(JSON.stringify(body, null, 2) + '\n');
}
