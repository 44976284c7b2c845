// The Claude Code CLI on a Google account over Code Assist: Claude Code talks Anthropic, the fake checks
// the envelope and the inner Gemini request the way Google does (every tool schema Claude Code sends,
// roles, function responses, thought signatures, and Claude's signed thinking ahead of a tool turn).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeV1Internal, type FakeV1Internal } from '../fakes/v1internal-upstream.js';
import { FakeAccessTokens } from '../helpers/access-tokens.js';
import { runClaude, type ClaudeRun } from '../helpers/claude-cli.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const GATEWAY_KEY = 'sk-switchyard-local';

let upstream: FakeV1Internal;
let gateway: TestGateway;
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-claude-antigravity-'));
});
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Every Claude model Claude Code asks for (the main one and its background ones) goes to `model`. */
async function start(model: string): Promise<void> {
  upstream = await startFakeV1Internal({ accounts: [{ token: 'fake-access.cli', project: 'proj-cli' }] });
  gateway = await startGateway({
    accounts: [{ provider: 'antigravity', label: 'google@example.com', baseUrl: '', key: '1//cli' }],
    settings: {
      auth_mode: 'strict',
      api_key: GATEWAY_KEY,
      model_rules: [{ match: 'claude-*', provider: 'antigravity', model }],
      antigravity: { base_urls: [upstream.url] },
    },
    accessTokens: new FakeAccessTokens({ '1//cli': ['fake-access.cli'] }),
  });
}

function claude(prompt: string, args: string[], env: Record<string, string> = {}): Promise<ClaudeRun> {
  return runClaude(prompt, args, { baseUrl: gateway.url, apiKey: GATEWAY_KEY, scratch, env });
}

function explain(run: ClaudeRun): string {
  const seen = upstream.requests.map((r) => [r.verb, r.model, r.status, r.rejection?.error.message]);
  return `stdout: ${run.stdout}\nstderr: ${run.stderr}\nupstream: ${JSON.stringify(seen)}`;
}

const BASH_ARGS = ['--allowedTools', 'Bash', '--output-format', 'json', '--max-turns', '3'];
const bashCall = { functionCall: { name: 'Bash', args: { command: 'echo switchyard-$((40+2))', description: 'Print a marker' } } };

describe('Claude Code on a Google account', () => {
  it.each(['claude-sonnet-4-5', 'gemini-3-pro-preview'])(
    'runs a Bash tool round trip on %s and exits 0',
    async (model) => {
      await start(model);
      upstream.script({ kind: 'reply', parts: [bashCall] }, { kind: 'reply', text: 'FINAL: the command printed switchyard-42' });

      const run = await claude('Run the marker command', BASH_ARGS);
      expect(run.code, explain(run)).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ type: 'result', is_error: false, result: 'FINAL: the command printed switchyard-42' });
      const generated = upstream.generateRequests().filter((r) => r.status === 200);
      expect(generated.length).toBeGreaterThanOrEqual(2);
      expect(generated[0]!.body.request.tools[0].functionDeclarations.map((d: { name: string }) => d.name)).toContain('Bash');
      const second = JSON.stringify(generated.at(-1)!.body.request.contents);
      expect(second).toContain('functionResponse');
      expect(second).toContain('switchyard-42');
      expect(gateway.entries.filter((e) => e.route === 'messages').every((e) => e.status === 200 && e.provider === 'antigravity')).toBe(true);
    },
    90_000,
  );

  it('thinks on the Claude thinking variant, and its signed thinking is replayed in the tool loop', async () => {
    await start('claude-sonnet-4-5');
    upstream.script(
      { kind: 'reply', parts: [{ text: 'I will run the marker command.', thought: true }, bashCall] },
      { kind: 'reply', parts: [{ text: 'The output is in.', thought: true }, { text: 'FINAL: thought it through, switchyard-42' }] },
    );

    const run = await claude('Think, then run the marker command', BASH_ARGS, { MAX_THINKING_TOKENS: '4096' });
    expect(run.code, explain(run)).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: 'FINAL: thought it through, switchyard-42' });
    const generated = upstream.generateRequests().filter((r) => r.status === 200 && r.model === 'claude-sonnet-4-5-thinking');
    expect(generated.length, explain(run)).toBeGreaterThanOrEqual(2);
    // The fake refuses a tool turn whose thinking is missing or not its own: this one carried it. Claude
    // Code asks for its thinking omitted, so the block it replays has a signature and no text.
    const turn = generated
      .at(-1)!
      .body.request.contents.find((c: { role: string; parts: Array<Record<string, unknown>> }) => c.parts.some((p) => p.functionCall));
    expect(generated[0]!.body.request.generationConfig.thinkingConfig).toMatchObject({ thinkingBudget: expect.any(Number) });
    expect(turn.parts[0]).toMatchObject({ thought: true, thoughtSignature: expect.any(String) });
    expect(gateway.entries.some((e) => e.mapped_model === 'claude-sonnet-4-5-thinking')).toBe(true);
  }, 90_000);
});
