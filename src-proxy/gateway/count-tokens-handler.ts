// POST /v1/messages/count_tokens: asked of an upstream that can count, estimated locally otherwise.
// Never the placeholder 0: Claude Code sizes its context (and decides when to compact) from this.
// The answer says where the number came from in `x-token-count-source`.

import { estimateInputTokens } from '../anthropic/token-estimate.js';
import type { CountTokensRequest } from '../anthropic/types.js';
import { validateCountTokensRequest } from '../anthropic/validate.js';
import type { Settings } from '../contract/index.js';
import { providerFor, type Provider } from '../providers/types.js';
import type { Route } from '../routing/model-mapping.js';
import type { RetryDecision } from '../routing/retry-policy.js';
import { sessionKeyOf } from '../routing/session-key.js';
import { runAttempts } from './attempt-runner.js';
import { readJsonBody } from './body.js';
import type { GatewayDeps } from './deps.js';
import type { Exchange } from './exchange.js';
import { prepareUpstream, routeModel } from './route.js';

const TOKEN_COUNT_SOURCE = 'x-token-count-source';
/** A count is quick or not worth waiting for. */
const COUNT_DEADLINE_MS = 30_000;

/** A token count is advice, never worth an error, a retry storm or a cooldown: one try, then the estimate. */
const ONE_TRY: RetryDecision = { account: { cooldown: null, health: null }, next: { action: 'fail' } };

export async function handleCountTokens(ex: Exchange, deps: GatewayDeps): Promise<void> {
  const settings = deps.settings();
  const body = await readJsonBody(ex.req, settings.max_body_bytes);
  const request = validateCountTokensRequest(body.json);
  ex.record.received(request.model, false);
  const route = routeModel(request.model, settings, ex);
  const counted = await countUpstream(ex, request, body.raw, route, settings, deps);
  if (counted === 'client_gone') return ex.clientLeft();

  const inputTokens = counted ?? estimateInputTokens(request);
  if (counted === null) ex.record.answeredLocally('estimate');
  ex.record.usage({ input_tokens: inputTokens });
  ex.answer(200, { input_tokens: inputTokens }, { [TOKEN_COUNT_SOURCE]: counted === null ? 'estimate' : 'upstream' });
}

/** The conversation's account (or the next in turn), if it can count; null when the estimate must do. */
async function countUpstream(
  ex: Exchange,
  request: CountTokensRequest,
  raw: Buffer,
  route: Route,
  settings: Settings,
  deps: GatewayDeps,
): Promise<number | null | 'client_gone'> {
  const timeout = Math.min(settings.upstream_headers_timeout_ms, COUNT_DEADLINE_MS);
  const ctx = ex.attemptContext({ deadlineMs: Math.min(settings.request_deadline_ms, COUNT_DEADLINE_MS), headersTimeoutMs: timeout, idleTimeoutMs: timeout });
  const result = await runAttempts(
    {
      pool: deps.pool,
      route,
      sessionKey: settings.session_affinity ? sessionKeyOf(request) : null,
      record: ex.record,
      scope: ex.scope,
      redact: ex.redact,
      decide: () => ONE_TRY,
      bookkeeping: false,
      // The first link that can take an attempt counts; a failed count is not worth another link's.
      fallThrough: false,
    },
    async (account, creds, { link }) => {
      const provider: Provider = providerFor(deps.providers, link.provider);
      const capabilities = provider.capabilities(account);
      if (!capabilities.countTokens) return { ok: true, value: null, skipped: true };
      const prepared = prepareUpstream(request, raw, link.model);
      const counted = await provider.countTokens(provider.prepare(prepared, account), creds, ctx);
      return counted.ok ? { ok: true, value: counted.inputTokens } : { ok: false, failure: counted.failure, committed: false, accepted: false };
    },
  );
  if (result.ok) {
    if (result.value === null) return null;
    ex.servedBy(result.account);
    return result.value;
  }
  return result.kind === 'client_gone' ? 'client_gone' : null;
}
