// The attempt runner on its own: real pool, policy and record; attempts are plain functions.

import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Account, RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { StoreAccountPool } from '../../../src-proxy/accounts/account-pool.js';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { runAttempts, type Attempt, type AttemptOutcome, type RunnerOptions } from '../../../src-proxy/gateway/attempt-runner.js';
import { RequestRecord } from '../../../src-proxy/gateway/request-record.js';
import { RequestScope } from '../../../src-proxy/gateway/request-scope.js';
import type { UpstreamFailure } from '../../../src-proxy/providers/types.js';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryDecision } from '../../../src-proxy/routing/retry-policy.js';
import { makeAccount } from '../accounts/account-fixture.js';

const MODEL = 'claude-sonnet-4-6';
const failure = (kind: UpstreamFailure['kind'], retryAfterMs: number | null = null): UpstreamFailure => ({
  kind,
  status: null,
  message: `${kind} happened`,
  retryAfterMs,
});
const fails = (f: UpstreamFailure, committed = false): AttemptOutcome<string> => ({ ok: false, failure: f, committed, accepted: committed });

interface Harness {
  options: RunnerOptions;
  pool: StoreAccountPool;
  store: MemoryAccountStore;
  client: EventEmitter & { writableFinished: boolean };
  published: RequestLogEntry[];
  record: RequestRecord;
  scope: RequestScope;
}

const scopes: RequestScope[] = [];
afterEach(() => {
  for (const s of scopes.splice(0)) s.dispose();
});

function harness(ids: string[], over: Partial<RunnerOptions> & { deadlineMs?: number; keys?: Record<string, string> } = {}): Harness {
  const store = new MemoryAccountStore(ids.map((id) => makeAccount(id)));
  const secrets = new MemorySecretStore(over.keys ?? Object.fromEntries(ids.map((id) => [id, `sk-${id}`])));
  const client = Object.assign(new EventEmitter(), { writableFinished: false });
  const scope = new RequestScope(client as unknown as ServerResponse, over.deadlineMs ?? 60_000);
  scopes.push(scope);
  const published: RequestLogEntry[] = [];
  const record = new RequestRecord('req_1', 'POST', '/v1/messages', 'messages', (e) => published.push(e));
  const pool = new StoreAccountPool(store, secrets);
  const options: RunnerOptions = {
    pool,
    route: { provider: 'anthropic', model: MODEL, rule: 'default', links: [{ provider: 'anthropic', model: MODEL, accounts: null }] },
    sessionKey: null,
    record,
    scope,
    decide: (f, facts) => decideRetry(f, facts, { ...DEFAULT_RETRY_POLICY, overloadBaseMs: 5, overloadMaxMs: 10 }),
    bookkeeping: true,
    redact: (text) => text,
    ...over,
  };
  return { options, pool, store, client, published, record, scope };
}

/** An attempt that answers from a script, one entry per call, and notes which account it ran on. */
function scripted(...script: Array<(a: Account) => AttemptOutcome<string> | Promise<AttemptOutcome<string>>>) {
  const seen: string[] = [];
  const attempt: Attempt<string> = async (account) => {
    seen.push(account.id);
    const step = script.shift() ?? (() => ({ ok: true, value: `served by ${account.id}` }));
    return step(account);
  };
  return { attempt, seen };
}

function attemptsOf(h: Harness): Array<[string, string | null]> {
  h.record.finish(200);
  return h.published[0]!.attempts.map((a) => [a.account_id, a.failure]);
}

describe('runAttempts', () => {
  it('serves from the first account in turn and counts the request on it', async () => {
    const h = harness(['a', 'b']);
    const { attempt, seen } = scripted();
    const result = await runAttempts(h.options, attempt);
    expect(result).toMatchObject({ ok: true, value: 'served by a', account: { id: 'a' } });
    expect(seen).toEqual(['a']);
    h.pool.flushStats();
    expect(h.store.get('a')!.stats.requests).toBe(1);
    expect(attemptsOf(h)).toEqual([['a', null]]);
  });

  it('moves to the next account at once after a short rate limit, and cools the first', async () => {
    const h = harness(['a', 'b']);
    const { attempt, seen } = scripted(() => fails(failure('rate_limit', 1500)));
    const result = await runAttempts(h.options, attempt);
    expect(result).toMatchObject({ ok: true, account: { id: 'b' } });
    expect(seen).toEqual(['a', 'b']);
    expect(h.store.get('a')!.cooldowns).toEqual([expect.objectContaining({ model: MODEL, reason: 'rate_limit' })]);
  });

  it('waits on the only account for a short rate limit, then tries it again', async () => {
    const h = harness(['a']);
    const { attempt, seen } = scripted(() => fails(failure('rate_limit', 5)));
    const result = await runAttempts(h.options, attempt);
    expect(result).toMatchObject({ ok: true, account: { id: 'a' } });
    expect(seen).toEqual(['a', 'a']);
  });

  it('stops at the policy limit and hands back the last failure and account', async () => {
    const h = harness(['a', 'b']);
    const { attempt, seen } = scripted(
      () => fails(failure('server')),
      () => fails(failure('server')),
      () => fails(failure('server')),
    );
    const result = await runAttempts(h.options, attempt);
    expect(result).toMatchObject({ ok: false, kind: 'failed', committed: false, account: { id: 'a' }, failure: { kind: 'server' } });
    expect(seen).toEqual(['a', 'b', 'a']);
  });

  it('never retries once the client has a 200', async () => {
    const h = harness(['a', 'b']);
    const { attempt, seen } = scripted(() => fails(failure('stream'), true));
    const result = await runAttempts(h.options, attempt);
    expect(result).toMatchObject({ ok: false, kind: 'failed', committed: true });
    expect(seen).toEqual(['a']);
  });

  it('reports an empty pool as no_account, before any attempt', async () => {
    const h = harness([]);
    const { attempt, seen } = scripted();
    expect(await runAttempts(h.options, attempt)).toMatchObject({ ok: false, kind: 'no_account', reason: 'no_accounts', account: null });
    expect(seen).toEqual([]);
  });

  it('treats an account without a stored key as a failed attempt and goes on', async () => {
    const h = harness(['a', 'b'], { keys: { b: 'sk-b' } });
    const { attempt, seen } = scripted();
    expect(await runAttempts(h.options, attempt)).toMatchObject({ ok: true, account: { id: 'b' } });
    expect(seen).toEqual(['b']);
    expect(h.store.get('a')!.health).toBe('invalid');
  });

  it('stops as soon as the client is gone, noting the attempt it interrupted', async () => {
    const h = harness(['a', 'b']);
    const { attempt, seen } = scripted(() => {
      h.client.emit('close');
      return fails(failure('network'));
    });
    expect(await runAttempts(h.options, attempt)).toMatchObject({ ok: false, kind: 'client_gone', account: { id: 'a' } });
    expect(seen).toEqual(['a']);
    expect(h.store.get('a')!.stats.failures).toBe(0);
    h.record.finish(499);
    expect(h.published[0]!.attempts[0]).toMatchObject({ account_id: 'a', failure: null, message: 'client went away' });
  });

  it('reports the deadline, not what the aborted attempt saw, once it has passed', async () => {
    const h = harness(['a', 'b'], { deadlineMs: 20 });
    const { attempt, seen } = scripted(
      () =>
        new Promise((resolve) => {
          h.scope.signal.addEventListener('abort', () => resolve(fails(failure('network'))));
        }),
    );
    const result = await runAttempts(h.options, attempt);
    expect(result).toMatchObject({ ok: false, kind: 'failed', failure: { kind: 'timeout', message: expect.stringContaining('request_deadline_ms') } });
    expect(seen).toEqual(['a']);
  });

  it('leaves no marks on accounts without bookkeeping', async () => {
    const oneTry: RetryDecision = { account: { cooldown: null, health: null }, next: { action: 'fail' } };
    const h = harness(['a', 'b'], { bookkeeping: false, decide: () => oneTry });
    const { attempt } = scripted(() => fails(failure('rate_limit', 60_000)));
    expect(await runAttempts(h.options, attempt)).toMatchObject({ ok: false, kind: 'failed' });
    expect(h.store.get('a')).toMatchObject({ cooldowns: [], stats: { requests: 0, failures: 0 } });
  });

  it('logs no attempt for an account that had nothing to ask', async () => {
    const h = harness(['a']);
    const { attempt } = scripted(() => ({ ok: true, value: 'local', skipped: true }));
    expect(await runAttempts(h.options, attempt)).toMatchObject({ ok: true, value: 'local' });
    expect(attemptsOf(h)).toEqual([]);
    h.pool.flushStats();
    expect(h.store.get('a')!.stats.requests).toBe(0);
  });

  it("clears an account's run of connection failures on success", async () => {
    const h = harness(['a']);
    const { attempt } = scripted(() => fails(failure('network')));
    expect(await runAttempts(h.options, attempt)).toMatchObject({ ok: true, account: { id: 'a' } });
    expect(h.store.get('a')!.network_failures).toBe(0);
    expect(attemptsOf(h)).toEqual([
      ['a', 'network'],
      ['a', null],
    ]);
  });
});
