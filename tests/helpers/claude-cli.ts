// The Claude Code CLI as a user runs it, for end-to-end tests: `claude -p PROMPT` with a throwaway
// HOME, no stdin, and no traffic anywhere but the gateway.

import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLAUDE = new URL('../../node_modules/.bin/claude', import.meta.url).pathname;

export interface ClaudeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ClaudeOptions {
  /** The gateway's address (ANTHROPIC_BASE_URL); null leaves it to Claude Code's settings file. */
  baseUrl: string | null;
  /** The key Claude Code presents to the gateway (ANTHROPIC_API_KEY); null leaves it to the settings file. */
  apiKey: string | null;
  /** A scratch folder: the working directory, and HOME and TMPDIR below it. */
  scratch: string;
  timeoutMs?: number;
  /** More environment for Claude Code (MAX_THINKING_TOKENS …). */
  env?: Record<string, string>;
}

export function runClaude(prompt: string, args: string[], o: ClaudeOptions): Promise<ClaudeRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(o.scratch, 'home'),
    TMPDIR: o.scratch,
    ...(o.baseUrl === null ? {} : { ANTHROPIC_BASE_URL: o.baseUrl }),
    ...(o.apiKey === null ? {} : { ANTHROPIC_API_KEY: o.apiKey }),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
    ...o.env,
  };
  return new Promise((resolve, reject) => {
    const proc = spawn(CLAUDE, ['-p', prompt, ...args], { cwd: o.scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
