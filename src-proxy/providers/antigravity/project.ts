// Which Code Assist project an account works in (protocols.md D.11.3): the account's own option, else
// the one learned before, else `loadCodeAssist`; an account without one yet is onboarded (`onboardUser`)
// and its long-running operation polled, a bounded number of times. The answer is kept in the account's
// learned state. One discovery per account at a time, however many requests wait for it.

import type { AccountCredentials, AccountStatePort } from '../../accounts/pool-ports.js';
import { UpstreamError, type AttemptContext, type UpstreamFailure } from '../types.js';
import { waitBounded, type WaitEnd } from '../shared/bounded-wait.js';
import { seconds } from '../shared/network-errors.js';
import { inBackground } from './background-context.js';
import { jsonOf, type AntigravityAccount, type CodeAssistClient } from './code-assist-client.js';

const METADATA = { ideType: 'ANTIGRAVITY', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' } as const;
const DISCOVERY_TIMEOUT_MS = 60_000;

export interface ProjectOptions {
  /** Between two polls of the onboarding operation. Default 5 s, as Gemini CLI polls. */
  pollIntervalMs?: number;
  /** Polls before onboarding is given up (the next request starts over). Default 12. */
  maxPolls?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `cloudaicompanionProject` is a string in loadCodeAssist and `{id, name}` in an onboarding result. */
export function projectIdOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (isObject(value) && typeof value.id === 'string' && value.id !== '') return value.id;
  return null;
}

/** The tier to onboard to: the default allowed tier, else legacy-tier (as Gemini CLI does). */
export function onboardingTier(load: Json): string {
  const tiers = Array.isArray(load.allowedTiers) ? load.allowedTiers.filter(isObject) : [];
  const tier = tiers.find((t) => t.isDefault === true);
  return typeof tier?.id === 'string' ? tier.id : 'legacy-tier';
}

/** An account Google wants verified first: the user has to open the link it gives. */
export function validationRequired(load: Json): UpstreamFailure | null {
  if (isObject(load.currentTier)) return null;
  const tiers = Array.isArray(load.ineligibleTiers) ? load.ineligibleTiers.filter(isObject) : [];
  const tier = tiers.find((t) => t.reasonCode === 'VALIDATION_REQUIRED');
  if (!tier) return null;
  const url = typeof tier.validationUrl === 'string' ? ` at ${tier.validationUrl}` : '';
  return { kind: 'forbidden', status: 403, message: `Google asks to verify this account before Code Assist serves it${url}`, retryAfterMs: null };
}

export class ProjectResolver {
  private readonly known = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string | { failure: UpstreamFailure }>>();
  private readonly pollIntervalMs: number;
  private readonly maxPolls: number;

  constructor(
    private readonly client: CodeAssistClient,
    private readonly state: AccountStatePort,
    opts: ProjectOptions = {},
    /** Aborted when the provider closes: a discovery under way ends with it. */
    private readonly closing?: AbortSignal,
  ) {
    this.pollIntervalMs = opts.pollIntervalMs ?? 5000;
    this.maxPolls = opts.maxPolls ?? 12;
  }

  /**
   * The project to send with the account's requests, or the failure that kept it from being found. A
   * request waits for the discovery no longer than for an upstream's headers (`ctx`): one that does not
   * answer moves the request on to another account, and goes on for the requests that come after.
   */
  async project(creds: AccountCredentials<AntigravityAccount>, ctx: AttemptContext): Promise<string | { failure: UpstreamFailure }> {
    const { account } = creds;
    const given = account.options.project_id ?? account.learned.project_id ?? this.known.get(account.id);
    if (given) return given;
    let running = this.pending.get(account.id);
    if (!running) {
      running = this.discover(creds).finally(() => this.pending.delete(account.id));
      this.pending.set(account.id, running);
    }
    return waitBounded(running, ctx, (why) => ({ failure: discoveryUnanswered(why, ctx.headersTimeoutMs) }));
  }

  /** The project as known now, without asking the upstream. */
  current(account: AntigravityAccount): string | null {
    return account.options.project_id ?? account.learned.project_id ?? this.known.get(account.id) ?? null;
  }

  private discover(creds: AccountCredentials<AntigravityAccount>): Promise<string | { failure: UpstreamFailure }> {
    return inBackground(
      DISCOVERY_TIMEOUT_MS,
      `project-${creds.account.id}`,
      async (ctx) => {
        const project = await this.ask(creds, ctx);
        this.known.set(creds.account.id, project);
        this.state.learned(creds.account.id, { project_id: project });
        return project;
      },
      this.closing,
    );
  }

  private async ask(creds: AccountCredentials<AntigravityAccount>, ctx: AttemptContext): Promise<string> {
    const load = await this.json({ method: 'loadCodeAssist', body: { metadata: METADATA } }, creds, ctx, 'loadCodeAssist');
    const found = projectIdOf(load.cloudaicompanionProject);
    if (found) return found;
    const blocked = validationRequired(load);
    if (blocked) throw new UpstreamError(blocked);

    let op = await this.json({ method: 'onboardUser', body: { tierId: onboardingTier(load), metadata: METADATA } }, creds, ctx, 'onboardUser');
    for (let polls = 0; op.done !== true; polls++) {
      if (polls >= this.maxPolls || typeof op.name !== 'string') {
        throw new UpstreamError({ kind: 'server', status: null, message: 'Code Assist onboarding did not finish in time', retryAfterMs: null });
      }
      await sleep(this.pollIntervalMs, ctx.signal);
      op = await this.json({ method: op.name }, creds, ctx, 'onboarding operation');
    }
    const project = projectIdOf(isObject(op.response) ? op.response.cloudaicompanionProject : undefined);
    if (!project) throw new UpstreamError({ kind: 'server', status: null, message: 'Code Assist onboarding gave no project', retryAfterMs: null });
    return project;
  }

  private async json(
    call: { method: string; body?: unknown },
    creds: AccountCredentials<AntigravityAccount>,
    ctx: AttemptContext,
    what: string,
  ): Promise<Json> {
    const res = await this.client.call(call, creds, ctx);
    if ('failure' in res) throw new UpstreamError(res.failure);
    const json = jsonOf(res, what);
    if (!isObject(json))
      throw new UpstreamError({ kind: 'server', status: res.status, message: `upstream ${what} answer is not an object`, retryAfterMs: null });
    return json;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted)
      return reject(new UpstreamError({ kind: 'timeout', status: null, message: 'Code Assist onboarding took too long', retryAfterMs: null }));
    const timer = setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(new UpstreamError({ kind: 'timeout', status: null, message: 'Code Assist onboarding took too long', retryAfterMs: null }));
    }
    signal.addEventListener('abort', abort, { once: true });
  });
}

/** Discovery is a small call that answers at once when the upstream is reachable: a silence is an unreachable upstream. */
function discoveryUnanswered(why: WaitEnd, waitedMs: number): UpstreamFailure {
  const message =
    why === 'timeout'
      ? `Code Assist project discovery (loadCodeAssist) did not answer within ${seconds(waitedMs)} (setting upstream_headers_timeout_ms)`
      : 'the request ended while the Code Assist project was being discovered';
  return { kind: 'network', status: null, message, retryAfterMs: null };
}
