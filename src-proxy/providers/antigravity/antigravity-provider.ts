// Google accounts over Code Assist `v1internal`: each Claude request becomes one Gemini request (the
// Gemini provider's mappers) inside the Code Assist envelope, sent to streamGenerateContent, and each
// SSE event's `response` is translated back as it arrives. The account's project is discovered once,
// its quota per model is kept fresh, and its access token comes from the AccessTokens port.

import type { Dispatcher } from 'undici';
import type { PreparedRequest } from '../../anthropic/prepared-request.js';
import type { CountTokensRequest, MessagesRequest, RequestBase, StreamEvent } from '../../anthropic/types.js';
import { withThinkingOff, withToolTurnAsText } from '../../anthropic/tool-turn.js';
import type { AntigravitySettings, NoteCode } from '../../contract/index.js';
import { EventReader, readFailure } from '../gemini/event-reader.js';
import { toolNames, unmappable, wantsThinking } from '../gemini/gemini-provider.js';
import { GeminiRequestError } from '../gemini/request-mapper.js';
import { GeminiStreamTranslator } from '../gemini/response-mapper.js';
import { SignatureCache } from '../gemini/signature-cache.js';
import { ToolParametersCache } from '../gemini/tool-parameters.js';
import { ToolNameMap } from '../gemini/tool-names.js';
import { UpstreamClient } from '../shared/upstream-client.js';
import type { AccountCredentials, AccountStatePort } from '../../accounts/pool-ports.js';
import { type AttemptContext, type AttemptResult, type CountTokensResult, type Provider, type ProviderCapabilities, type UpstreamFailure } from '../types.js';
import type { AccessTokens } from './access-tokens.js';
import { CodeAssistClient, jsonOf, type AntigravityAccount } from './code-assist-client.js';
import { claudeTurnPlan, isThinkingVariant, signatureFamily, upstreamModelFor } from './code-assist-models.js';
import { toCodeAssistCount, toCodeAssistRequest, unwrapResponse, type CodeAssistRequest } from './envelope.js';
import { ProjectResolver, type ProjectOptions } from './project.js';
import { QuotaService } from './quota.js';

/** How often every account's quota is asked for again, unless told otherwise. */
export const DEFAULT_QUOTA_REFRESH_MS = 15 * 60_000;
/**
 * The first refresh after start: soon, so the models list and selection know the quota before the first
 * request, but not at once, so a short-lived command that opens the runtime sends nothing.
 */
export const FIRST_QUOTA_REFRESH_MS = 5000;

export interface AntigravityProviderOptions {
  accessTokens: AccessTokens;
  /** Where the project, the quota and a refusal's reason are recorded. */
  state: AccountStatePort;
  /** The current settings' `antigravity` section (its base URLs are read on every call). */
  settings: () => AntigravitySettings;
  /** The accounts whose quota the timer refreshes (enabled antigravity accounts with their secrets). */
  accounts?: () => ReadonlyArray<AccountCredentials<AntigravityAccount>>;
  /** 0 turns the timer off. Default DEFAULT_QUOTA_REFRESH_MS. */
  quotaRefreshMs?: number;
  /** When the timer's first refresh runs. Default FIRST_QUOTA_REFRESH_MS. */
  firstQuotaRefreshMs?: number;
  onboarding?: ProjectOptions;
  /** Injected for tests; by default one keep-alive pool per upstream origin. */
  dispatcher?: Dispatcher;
  signatures?: SignatureCache;
  now?: () => number;
  /** Background failures that are bugs (the timer's); upstream failures are expected and not reported. */
  onError?(err: unknown): void;
}

export class AntigravityProvider implements Provider<AntigravityAccount> {
  readonly kind = 'antigravity' as const;
  private readonly http: UpstreamClient;
  private readonly client: CodeAssistClient;
  private readonly projects: ProjectResolver;
  private readonly quota: QuotaService;
  private readonly signatures: SignatureCache;
  private readonly toolParameters = new ToolParametersCache();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | null;
  private readonly firstRefresh: NodeJS.Timeout | null;
  private closing: Promise<void> | null = null;
  /** Ends the background calls (discovery, quota) when the provider closes. */
  private readonly closingSignal = new AbortController();

  constructor(private readonly opts: AntigravityProviderOptions) {
    this.now = opts.now ?? Date.now;
    this.http = new UpstreamClient(opts.dispatcher, this.now);
    this.client = new CodeAssistClient(this.http, opts.accessTokens, opts.state, () => opts.settings().base_urls);
    this.projects = new ProjectResolver(this.client, opts.state, opts.onboarding, this.closingSignal.signal);
    this.quota = new QuotaService(this.client, this.projects, opts.state, this.now, this.closingSignal.signal);
    this.signatures = opts.signatures ?? new SignatureCache();
    const every = opts.quotaRefreshMs ?? DEFAULT_QUOTA_REFRESH_MS;
    const timed = opts.accounts !== undefined && every > 0;
    this.timer = timed ? setInterval(() => void this.refreshAll(), every) : null;
    this.firstRefresh = timed ? setTimeout(() => void this.refreshAll(), opts.firstQuotaRefreshMs ?? FIRST_QUOTA_REFRESH_MS) : null;
    this.timer?.unref();
    this.firstRefresh?.unref();
  }

  capabilities(): ProviderCapabilities {
    return { countTokens: true };
  }

  /** Code Assist gets a body of its own, built in send. */
  prepare<R extends RequestBase>(req: PreparedRequest<R>): PreparedRequest<R> {
    return req;
  }

  async send(req: PreparedRequest, creds: AccountCredentials<AntigravityAccount>, ctx: AttemptContext): Promise<AttemptResult> {
    const project = await this.projects.project(creds, ctx);
    if (typeof project !== 'string') return { ok: false, failure: project.failure };
    const thinking = wantsThinking(req.body);
    const offered = await this.quota.offered(creds, ctx);
    const notes = new Set<NoteCode>();
    const plan = claudeTurnPlan(req.body, upstreamModelFor(req.body.model, thinking, offered), offered, (id) => this.signatures.get(id));
    const model = plan.model;
    if (isThinkingVariant(model) && !isThinkingVariant(req.body.model) && !offered.some((m) => m.toLowerCase() === req.body.model.toLowerCase())) {
      notes.add('thinking_variant');
    }
    let body = req.body;
    if (plan.thinkingOff) {
      body = withThinkingOff(body);
      notes.add('thinking_off_tool_turn');
    }
    if (plan.toolTurnAsText) {
      body = withToolTurnAsText(body);
      notes.add('tool_turn_as_text');
    }
    const names = new ToolNameMap(toolNames(body));
    const envelope = this.envelope(body, model, project, names, notes);
    if ('failure' in envelope) return { ok: false, failure: envelope.failure };

    const res = await this.client.call({ method: 'streamGenerateContent?alt=sse', body: envelope.request, stream: true }, creds, ctx);
    if ('failure' in res) {
      this.afterFailure(res.failure, creds);
      return { ok: false, failure: res.failure };
    }
    if (!res.streamed) return { ok: false, failure: { kind: 'server', status: res.status, message: 'upstream answered without a stream', retryAfterMs: null } };

    const translator = new GeminiStreamTranslator({ model: req.body.model, names, signatures: this.signatures, thinking, family: signatureFamily(model) });
    const reader = new EventReader(res.body, translator, ctx, this.now, '', unwrapResponse);
    // The first-yield rule, as for Gemini: nothing is handed over until the upstream produced content.
    let first: StreamEvent[];
    try {
      first = await reader.firstEvents();
    } catch (err) {
      await reader.close();
      const failure = readFailure(err, ctx);
      this.afterFailure(failure, creds);
      return { ok: false, failure };
    }
    return { ok: true, kind: 'stream', batches: reader.batches(first), upstreamModel: model, relayHeaders: {}, notes: [...notes] };
  }

  async countTokens(req: PreparedRequest<CountTokensRequest>, creds: AccountCredentials<AntigravityAccount>, ctx: AttemptContext): Promise<CountTokensResult> {
    const project = await this.projects.project(creds, ctx);
    if (typeof project !== 'string') return { ok: false, failure: project.failure };
    const model = req.body.model;
    const envelope = this.envelope(req.body, model, project, new ToolNameMap(toolNames(req.body)));
    if ('failure' in envelope) return { ok: false, failure: envelope.failure };
    const res = await this.client.call({ method: 'countTokens', body: toCodeAssistCount(envelope.request.request, model) }, creds, ctx);
    if ('failure' in res) return { ok: false, failure: res.failure };
    try {
      const answer = jsonOf(res, 'countTokens') as { totalTokens?: unknown } | null;
      if (typeof answer?.totalTokens === 'number' && answer.totalTokens >= 0) return { ok: true, inputTokens: answer.totalTokens };
    } catch (err) {
      return { ok: false, failure: readFailure(err, ctx) };
    }
    return { ok: false, failure: { kind: 'server', status: res.status, message: 'upstream countTokens answer has no totalTokens', retryAfterMs: null } };
  }

  /** Asks every account's quota again now (the timer's work; also for tests and a console refresh). */
  async refreshAll(): Promise<void> {
    const accounts = this.opts.accounts?.() ?? [];
    try {
      await Promise.all(accounts.map((creds) => this.quota.refresh(creds)));
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  /** Asks one account's quota again now. */
  refreshQuota(creds: AccountCredentials<AntigravityAccount>): Promise<unknown> {
    return this.quota.refresh(creds);
  }

  /** Stops the quota timer and releases the connection pool; closing twice is closing once. */
  close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.firstRefresh) clearTimeout(this.firstRefresh);
    this.closingSignal.abort();
    this.closing ??= this.http.close();
    return this.closing;
  }

  private envelope(
    body: RequestBase,
    model: string,
    project: string,
    names: ToolNameMap,
    notes?: Set<NoteCode>,
  ): { request: CodeAssistRequest } | { failure: UpstreamFailure } {
    try {
      return {
        request: toCodeAssistRequest(body as MessagesRequest, {
          model,
          project,
          names,
          signatures: this.signatures,
          notes,
          toolParameters: this.toolParameters,
        }),
      };
    } catch (err) {
      if (!(err instanceof GeminiRequestError)) throw err;
      return { failure: unmappable(err) };
    }
  }

  /** A spent quota is worth a fresh look at every model's quota: the cooldown alone knows only this one. */
  private afterFailure(failure: UpstreamFailure, creds: AccountCredentials<AntigravityAccount>): void {
    if (failure.kind === 'rate_limit' || failure.kind === 'quota') {
      this.quota.refresh(creds).catch((err: unknown) => this.opts.onError?.(err));
    }
  }
}
