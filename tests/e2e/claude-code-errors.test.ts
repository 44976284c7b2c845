// What Claude Code itself shows and does when the gateway answers with an error: the real CLI
// (`claude -p`) with its own retry logic left on, so an answer that lacks the right advice shows up as
// retries in the gateway's log.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { runClaude, type ClaudeRun } from '../helpers/claude-cli.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const GATEWAY_KEY = 'sk-switchyard-local';

let upstream: FakeAnthropic;
let gateway: TestGateway;
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-claude-errors-'));
});
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Claude Code as a user runs it: its default retry budget, not the suite's CLAUDE_CODE_MAX_RETRIES=0. */
function claude(o: { baseUrl?: string; apiKey?: string } = {}): Promise<ClaudeRun> {
  return runClaude('Say hello', ['--output-format', 'text'], {
    baseUrl: o.baseUrl ?? gateway.url,
    apiKey: o.apiKey ?? GATEWAY_KEY,
    scratch,
    env: { CLAUDE_CODE_MAX_RETRIES: '10' },
    timeoutMs: 60_000,
  });
}

const shown = (run: ClaudeRun) => `${run.stdout}\n${run.stderr}`;
const messageEntries = () => gateway.entries.filter((e) => e.path.endsWith('/messages'));

describe('errors as Claude Code shows them', () => {
  it('a wrong gateway key fails at once with the gateway words, without a retry', async () => {
    upstream = await startFakeAnthropic();
    gateway = await startGateway({
      accounts: [{ label: 'work', baseUrl: upstream.url, key: 'sk-up' }],
      settings: { auth_mode: 'strict', api_key: GATEWAY_KEY },
    });
    const run = await claude({ apiKey: 'sk-wrong' });
    expect(run.code).not.toBe(0);
    expect(shown(run)).toMatch(/Invalid API key/);
    // One request, one 401: `x-should-retry: false` stopped Claude Code's backoff (it retried for minutes without it).
    expect(messageEntries().map((e) => e.status)).toEqual([401]);
    expect(upstream.messageRequests()).toHaveLength(0);
  }, 90_000);

  it('an upstream that refuses an account key names the account, not the user key, and the next run names its state', async () => {
    upstream = await startFakeAnthropic({ keys: ['sk-the-right-one'] });
    gateway = await startGateway({
      accounts: [{ label: 'work', baseUrl: upstream.url, key: 'sk-revoked' }],
      settings: { auth_mode: 'strict', api_key: GATEWAY_KEY },
    });
    const first = await claude();
    expect(first.code).not.toBe(0);
    expect(shown(first)).toContain('Upstream account "work" is out of service');
    expect(shown(first)).not.toMatch(/Invalid API key|Fix external API key|\/login/);
    expect(messageEntries().map((e) => e.status)).toEqual([502]);

    const second = await claude();
    expect(second.code).not.toBe(0);
    expect(shown(second)).toContain('The anthropic account "work" is out of service: its upstream refused its key');
    expect(shown(second)).not.toMatch(/re-enable|Invalid API key/);
    // The account was not asked again, and Claude Code did not retry either answer.
    expect(upstream.messageRequests()).toHaveLength(1);
    expect(messageEntries().map((e) => e.status)).toEqual([502, 502]);
  }, 120_000);

  it('a base URL that ends in /v1 gets the gateway advice, shown as it is', async () => {
    upstream = await startFakeAnthropic();
    gateway = await startGateway({ accounts: [{ label: 'work', baseUrl: upstream.url, key: 'sk-up' }] });
    const run = await claude({ baseUrl: `${gateway.url}/v1` });
    expect(run.code).not.toBe(0);
    expect(shown(run)).toContain('ANTHROPIC_BASE_URL ends in /v1');
    expect(shown(run)).not.toMatch(/issue with the selected model/);
    // Claude Code makes several calls at start (the prompt, a title...): each got the 400, none reached an account.
    expect(new Set(messageEntries().map((e) => `${e.path} ${e.status}`))).toEqual(new Set(['/v1/v1/messages 400']));
    expect(shown(run)).toContain(`without /v1 (e.g. ${gateway.url})`);
    expect(upstream.messageRequests()).toHaveLength(0);
  }, 90_000);

  it('a successful run leaves no failure in the log: probes are answered and kept out', async () => {
    upstream = await startFakeAnthropic({ defaultBehaviour: { kind: 'reply', text: 'hello from upstream' } });
    gateway = await startGateway({
      accounts: [{ label: 'work', baseUrl: upstream.url, key: 'sk-up' }],
      settings: { auth_mode: 'strict', api_key: GATEWAY_KEY },
    });
    const run = await claude();
    expect(run.code, shown(run)).toBe(0);
    expect(run.stdout.trim()).toBe('hello from upstream');
    expect(gateway.entries.filter((e) => e.status >= 400)).toEqual([]);
    expect(gateway.entries.some((e) => e.path === '/api/hello' || e.path === '/favicon.ico')).toBe(false);
    const stats = await gateway.runtime.getStats({ bucket: 'day' });
    expect(stats.totals.failures).toBe(0);
    expect(stats.totals.requests).toBe(messageEntries().length);
  }, 90_000);
});
