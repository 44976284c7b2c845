// Quota per model from `fetchAvailableModels` (antigravity-manager.md 6.4): the fraction left and when
// it resets, kept in the account's learned state where selection reads it, and the list of models the
// account offers (for the thinking variants and the gateway's models list). Refreshed on first use, on
// a timer, and after a 429; one refresh per account at a time.

import type { ModelQuota } from '../../contract/index.js';
import type { AccountCredentials, AccountStatePort } from '../../accounts/pool-ports.js';
import { waitBounded } from '../shared/bounded-wait.js';
import { UpstreamError, type AttemptContext, type UpstreamFailure } from '../types.js';
import { inBackground } from './background-context.js';
import { jsonOf, type AntigravityAccount, type CodeAssistClient } from './code-assist-client.js';
import type { ProjectResolver } from './project.js';

const REFRESH_TIMEOUT_MS = 30_000;
/** After a failed first refresh, requests go on without the list this long before one asks again. */
const RETRY_AFTER_FAILURE_MS = 60_000;
/** Model families a Claude client can be routed to; Code Assist also lists internal models. */
const SERVED = /^(gemini|claude)/i;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The quota list from a fetchAvailableModels answer (`{models: {name: {quotaInfo: {remainingFraction,
 * resetTime}}}}`). A spent quota comes without `remainingFraction`, so absent reads as 0.
 */
export function parseAvailableModels(answer: unknown): ModelQuota[] {
  const models = isObject(answer) && isObject(answer.models) ? answer.models : {};
  const out: ModelQuota[] = [];
  for (const [model, info] of Object.entries(models)) {
    if (!SERVED.test(model) || !isObject(info)) continue;
    const quota = isObject(info.quotaInfo) ? info.quotaInfo : {};
    const fraction = typeof quota.remainingFraction === 'number' && Number.isFinite(quota.remainingFraction) ? quota.remainingFraction : 0;
    const reset = typeof quota.resetTime === 'string' ? Date.parse(quota.resetTime) : NaN;
    out.push({ model, remaining: Math.min(1, Math.max(0, fraction)), resets_at: Number.isFinite(reset) ? reset : null });
  }
  return out.sort((a, b) => a.model.localeCompare(b.model));
}

export class QuotaService {
  private readonly pending = new Map<string, Promise<ModelQuota[] | { failure: UpstreamFailure }>>();
  /** What this process learned, for an account object that predates the last refresh. */
  private readonly latest = new Map<string, ModelQuota[]>();
  /** When a first refresh failed, by account: an upstream that refuses the list is not asked on every request. */
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly client: CodeAssistClient,
    private readonly projects: ProjectResolver,
    private readonly state: AccountStatePort,
    private readonly now: () => number = Date.now,
    /** Aborted when the provider closes: a refresh under way ends with it. */
    private readonly closing?: AbortSignal,
  ) {}

  /**
   * The models the account offers: from this process's last refresh, else the stored list, else a refresh
   * now, waited for no longer than an upstream's headers (`ctx`); without an answer the request goes on
   * without the list.
   */
  async offered(creds: AccountCredentials<AntigravityAccount>, ctx: AttemptContext): Promise<string[]> {
    const id = creds.account.id;
    let quota: ModelQuota[] | undefined = this.latest.get(id);
    if (!quota && creds.account.learned.quota.length > 0) quota = creds.account.learned.quota;
    if (!quota && this.now() - (this.failedAt.get(id) ?? -Infinity) >= RETRY_AFTER_FAILURE_MS) {
      const fresh = await waitBounded<ModelQuota[] | { failure: UpstreamFailure } | null>(this.refresh(creds), ctx, () => null);
      if (fresh === null) return [];
      if (Array.isArray(fresh)) quota = fresh;
      else this.failedAt.set(id, this.now());
    }
    return (quota ?? []).map((q) => q.model);
  }

  /** Asks the upstream and records the answer; a failure is returned (and nothing recorded). */
  refresh(creds: AccountCredentials<AntigravityAccount>): Promise<ModelQuota[] | { failure: UpstreamFailure }> {
    const id = creds.account.id;
    let running = this.pending.get(id);
    if (!running) {
      running = this.fetch(creds).finally(() => this.pending.delete(id));
      this.pending.set(id, running);
    }
    return running;
  }

  private fetch(creds: AccountCredentials<AntigravityAccount>): Promise<ModelQuota[] | { failure: UpstreamFailure }> {
    return inBackground(
      REFRESH_TIMEOUT_MS,
      `quota-${creds.account.id}`,
      async (ctx) => {
        const project = this.projects.current(creds.account);
        const res = await this.client.call({ method: 'fetchAvailableModels', body: project ? { project } : {} }, creds, ctx);
        if ('failure' in res) throw new UpstreamError(res.failure);
        const quota = parseAvailableModels(jsonOf(res, 'fetchAvailableModels'));
        this.latest.set(creds.account.id, quota);
        this.state.learned(creds.account.id, { quota });
        return quota;
      },
      this.closing,
    );
  }
}
