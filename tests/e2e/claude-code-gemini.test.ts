// The Claude Code CLI on a Gemini API-key account: Claude Code talks Anthropic, the fake speaks the
// Gemini API and checks what it gets the way Google does (every tool schema Claude Code sends, roles,
// function responses, thought signatures).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-upstream.js';
import { runClaude, type ClaudeRun } from '../helpers/claude-cli.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const GATEWAY_KEY = 'sk-switchyard-local';
const MODEL = 'gemini-3-pro-preview';

let upstream: FakeGemini;
let gateway: TestGateway;
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-claude-gemini-'));
});
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
  await rm(scratch, { recursive: true, force: true });
});

function claude(prompt: string, args: string[]): Promise<ClaudeRun> {
  return runClaude(prompt, args, { baseUrl: gateway.url, apiKey: GATEWAY_KEY, scratch });
}

describe('Claude Code on a Gemini account', () => {
  it('runs a Bash tool call end to end through the translation and exits 0', async () => {
    upstream = await startFakeGemini({ keys: ['AIza-upstream'] });
    upstream.script(
      { kind: 'reply', parts: [{ functionCall: { name: 'Bash', args: { command: 'echo switchyard-$((40+2))', description: 'Print a marker' } } }] },
      { kind: 'reply', text: 'FINAL: the command printed switchyard-42' },
    );
    gateway = await startGateway({
      accounts: [{ provider: 'gemini', label: 'gemini@example.com', baseUrl: upstream.url, key: 'AIza-upstream' }],
      settings: { auth_mode: 'strict', api_key: GATEWAY_KEY, model_rules: [{ match: 'claude-*', provider: 'gemini', model: MODEL }] },
    });

    const run = await claude('Run the marker command', ['--allowedTools', 'Bash', '--output-format', 'json', '--max-turns', '3']);
    expect(run.code, `stdout: ${run.stdout}\nstderr: ${run.stderr}\nupstream: ${JSON.stringify(upstream.requests.map((r) => [r.status, r.rejection]))}`).toBe(
      0,
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ type: 'result', is_error: false, result: 'FINAL: the command printed switchyard-42' });

    // Both turns passed the fake's checks: every tool schema Claude Code declared, and the replayed call
    // with the signature Gemini issued for it.
    const generated = upstream.generateRequests();
    expect(generated.map((r) => [r.status, r.model])).toEqual([
      [200, MODEL],
      [200, MODEL],
    ]);
    expect(generated[0]!.body.tools[0].functionDeclarations.map((d: { name: string }) => d.name)).toContain('Bash');
    // The shell really ran, and Gemini got its output as the Bash call's function response.
    const second = JSON.stringify(generated[1]!.body.contents);
    expect(second).toContain('functionResponse');
    expect(second).toContain('switchyard-42');
    const messages = gateway.entries.filter((e) => e.route === 'messages');
    expect(messages.map((e) => [e.status, e.provider, e.mapped_model, e.stream])).toEqual([
      [200, 'gemini', MODEL, true],
      [200, 'gemini', MODEL, true],
    ]);
  }, 90_000);
});
