// The Test of one account: one cheap real request through it, made at the user's asking, with the
// outcome kept on the account. It asks the upstream's token counter where it has one (free of charge
// on every upstream that has it), and a message of one token where it has none.

import { randomBytes } from 'node:crypto';
import { PreparedRequest } from '../anthropic/prepared-request.js';
import type { CountTokensRequest, MessagesRequest } from '../anthropic/types.js';
import { ControlError, type Account, type AccountTest, type ModelRule, type ProviderKind } from '../contract/index.js';
import type { StoreAccountPool } from '../accounts/account-pool.js';
import { UpstreamError, providerFor, type AttemptContext, type ProviderRegistry, type UpstreamFailure } from '../providers/types.js';
import { DEFAULT_RULES, resolveRoute } from '../routing/model-mapping.js';
import { inTarget } from '../routing/target-accounts.js';
import type { Redact } from '../lib/redactor.js';

/** A Test is a quick question; an upstream that takes longer than this is reported as too slow. */
export const TEST_TIMEOUT_MS = 30_000;

/** The Claude Code models a test asks the rules about, the cheapest first. */
const CLAUDE_CODE_MODELS = ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-6'];

/** A model every account of the kind can be asked for when no rule sends Claude Code's models to it. */
const KIND_TEST_MODELS: Readonly<Record<ProviderKind, string>> = {
  anthropic: 'claude-haiku-4-5',
  gemini: 'gemini-2.5-flash',
  antigravity: 'gemini-2.5-flash',
};

/**
 * The upstream model a test of `account` names: the one the rules would send Claude Code's requests to
 * on this account (so the test tries what will really be used), else one its kind always has.
 */
export function testModelFor(account: Account, rules: readonly ModelRule[]): string {
  for (const requested of CLAUDE_CODE_MODELS) {
    const link = resolveRoute(requested, rules, DEFAULT_RULES).links.find((l) => l.provider === account.provider && inTarget(account, l.accounts));
    if (link) return link.model;
  }
  // A Google account says which models it has; one of them is sure to be known.
  if (account.provider === 'antigravity' && account.learned.quota.length > 0) return account.learned.quota[0]!.model;
  return KIND_TEST_MODELS[account.provider];
}

/** A count can be missing where the upstream never had the endpoint: the message then tells. */
function countWasMissing(failure: UpstreamFailure): boolean {
  return failure.kind === 'not_found';
}

export interface AccountTesterDeps {
  pool: StoreAccountPool;
  providers: ProviderRegistry;
  rules(): readonly ModelRule[];
  redact: Redact;
  now?: () => number;
}

export class AccountTester {
  private readonly now: () => number;

  constructor(private readonly deps: AccountTesterDeps) {
    this.now = deps.now ?? Date.now;
  }

  async test(id: string): Promise<Account> {
    const account = this.deps.pool.get(id);
    if (!account) throw new ControlError('not_found', `No account with id ${id}.`);
    const creds = this.deps.pool.credentials(account);
    if (!creds) throw new ControlError('invalid_argument', `Account ${account.label} has no key stored; give it one first.`);
    const provider = providerFor(this.deps.providers, account.provider);
    const model = testModelFor(account, this.deps.rules());
    const started = this.now();
    const ctx = testContext();
    let method: AccountTest['method'] = 'message';
    let failure: UpstreamFailure | null = null;
    try {
      if (provider.capabilities(account).countTokens) {
        method = 'count_tokens';
        const count: CountTokensRequest = { model, messages: [{ role: 'user', content: 'Hi' }] };
        const counted = await provider.countTokens(provider.prepare(new PreparedRequest(count), account), creds, ctx);
        failure = counted.ok ? null : counted.failure;
        if (failure && countWasMissing(failure)) method = 'message';
      }
      if (method === 'message') failure = await this.oneToken(model, account, creds, ctx);
    } catch (err) {
      // A call the deadline cut short is an upstream too slow; anything else is a bug of ours.
      if (!ctx.signal.aborted) throw err;
      failure = { kind: 'timeout', status: null, message: `no answer within ${TEST_TIMEOUT_MS / 1000} s`, retryAfterMs: null };
    } finally {
      ctx.end();
    }
    const test: AccountTest = {
      at: started,
      method,
      model,
      failure: failure?.kind ?? null,
      status: failure?.status ?? null,
      message: failure ? this.deps.redact(failure.message).slice(0, 500) : null,
      latency_ms: Math.max(0, this.now() - started),
    };
    this.deps.pool.recordTest(id, test);
    return this.deps.pool.get(id) ?? account;
  }

  /** A message asking for one token, read to its end; the failure, or null when it was answered. */
  private async oneToken(
    model: string,
    account: Account,
    creds: NonNullable<ReturnType<StoreAccountPool['credentials']>>,
    ctx: AttemptContext,
  ): Promise<UpstreamFailure | null> {
    const provider = providerFor(this.deps.providers, account.provider);
    const body: MessagesRequest = { model, max_tokens: 1, stream: false, messages: [{ role: 'user', content: 'Hi' }] };
    const sent = await provider.send(provider.prepare(new PreparedRequest(body), account), creds, ctx);
    if (!sent.ok) return sent.failure;
    if (sent.kind === 'stream') {
      try {
        // One token's answer is a handful of events; the deadline bounds an upstream that goes on.
        for await (const batch of sent.batches) void batch;
      } catch (err) {
        if (err instanceof UpstreamError) return err.failure;
        throw err;
      }
    }
    return null;
  }
}

/** What a provider needs to make one call on its own, bounded by the test's deadline. */
function testContext(): AttemptContext & { end(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('account test timed out')), TEST_TIMEOUT_MS);
  timer.unref();
  return {
    signal: controller.signal,
    onAbort(listener) {
      if (controller.signal.aborted) {
        listener();
        return () => undefined;
      }
      controller.signal.addEventListener('abort', listener, { once: true });
      return () => controller.signal.removeEventListener('abort', listener);
    },
    forwardHeaders: {},
    requestId: `test_${randomBytes(6).toString('hex')}`,
    headersTimeoutMs: TEST_TIMEOUT_MS,
    idleTimeoutMs: TEST_TIMEOUT_MS,
    end() {
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort();
    },
  };
}
