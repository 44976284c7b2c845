// The Claude Code CLI itself (`claude -p`) against the gateway, the gateway against the fake upstream:
// the client this product exists for, run the way a user runs it.

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
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-claude-'));
});
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
  await rm(scratch, { recursive: true, force: true });
});

function claude(prompt: string, args: string[]): Promise<ClaudeRun> {
  return runClaude(prompt, args, { baseUrl: gateway.url, apiKey: GATEWAY_KEY, scratch });
}

/** The tool_result blocks the upstream received, as text. */
function toolResults(): string[] {
  return upstream
    .messageRequests()
    .flatMap((r) => (r.body.messages as Array<{ role: string; content: unknown }>).filter((m) => m.role === 'user'))
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((b: { type?: string }) => b.type === 'tool_result')
    .map((b: { content: unknown }) => (typeof b.content === 'string' ? b.content : JSON.stringify(b.content)));
}

describe('Claude Code through the gateway', () => {
  it('runs a Bash tool call end to end and exits 0', async () => {
    upstream = await startFakeAnthropic({ keys: ['sk-upstream'] });
    upstream.script(
      { kind: 'reply', content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo switchyard-$((40+2))', description: 'Print a marker' } }] },
      { kind: 'reply', text: 'FINAL: the command printed switchyard-42' },
    );
    gateway = await startGateway({
      accounts: [{ label: 'upstream@example.com', baseUrl: upstream.url, key: 'sk-upstream' }],
      settings: { auth_mode: 'strict', api_key: GATEWAY_KEY },
    });

    const run = await claude('Run the marker command', ['--allowedTools', 'Bash', '--output-format', 'json', '--max-turns', '3']);
    expect(run.code, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ type: 'result', is_error: false, result: 'FINAL: the command printed switchyard-42' });

    // The shell really ran: the arithmetic was expanded, and the upstream saw its output.
    expect(upstream.messageRequests()).toHaveLength(2);
    expect(toolResults().join('\n')).toContain('switchyard-42');
    const messages = gateway.entries.filter((e) => e.route === 'messages');
    expect(messages.map((e) => [e.status, e.account_label, e.stream])).toEqual([
      [200, 'upstream@example.com', true],
      [200, 'upstream@example.com', true],
    ]);
  }, 90_000);

  it('never notices a rate-limited account: the gateway rotates to the next one', async () => {
    upstream = await startFakeAnthropic({
      keys: ['sk-limited', 'sk-fresh'],
      defaultBehaviour: (req) =>
        req.key === 'sk-limited'
          ? { kind: 'error', status: 429, type: 'rate_limit_error', message: 'rate limited', headers: { 'retry-after': '120' } }
          : { kind: 'reply', text: 'served by the fresh account' },
    });
    gateway = await startGateway({
      accounts: [
        { label: 'limited@example.com', baseUrl: upstream.url, key: 'sk-limited' },
        { label: 'fresh@example.com', baseUrl: upstream.url, key: 'sk-fresh' },
      ],
      settings: { model_rules: [{ match: 'claude-*', provider: 'anthropic', model: 'glm-4.6' }] },
    });

    const run = await claude('Say something', ['--output-format', 'text']);
    expect(run.code, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
    expect(run.stdout.trim()).toBe('served by the fresh account');
    expect(upstream.messageRequests().map((r) => [r.key, r.body.model])).toEqual([
      ['sk-limited', 'glm-4.6'],
      ['sk-fresh', 'glm-4.6'],
    ]);
    const entry = gateway.entries.find((e) => e.route === 'messages')!;
    expect(entry.attempts.map((a) => a.failure)).toEqual(['rate_limit', null]);
    expect(entry.mapped_model).toBe('glm-4.6');
  }, 90_000);
});
