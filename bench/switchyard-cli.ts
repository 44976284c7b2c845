// The gateway as users set it up and run it: a data folder configured with the `switchyard` CLI
// (strict auth with an API key, two Anthropic accounts on the fake Anthropic upstream, two Gemini
// API-key accounts on the fake Gemini upstream and a model rule sending one Claude model name to them),
// then `switchyard serve` with its request log and its per-request line on stdout, both left on.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CODE_ASSIST_MODEL, GATEWAY_KEY, GEMINI_MODEL, TRANSLATED_MODEL } from './bodies.js';
import type { GoogleSetup } from './v1internal-fake-child.js';
import { REPO_DIR } from './bundle.js';

const SWITCHYARD = join(REPO_DIR, 'bin', 'switchyard.mjs');
const CLI_TIMEOUT_MS = 20_000;
/** The upstream keys reach the CLI through the environment, as `accounts add --key-env` asks. */
const KEY_ENV = {
  BENCH_UPSTREAM_KEY_A: 'sk-fake-bench-upstream-a',
  BENCH_UPSTREAM_KEY_B: 'sk-fake-bench-upstream-b',
  BENCH_GEMINI_KEY_A: 'AIza-bench-gemini-a',
  BENCH_GEMINI_KEY_B: 'AIza-bench-gemini-b',
};

export async function switchyard(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [SWITCHYARD, ...args, '--data-dir', dataDir], {
      cwd: REPO_DIR,
      env: { ...process.env, ...KEY_ENV, ...env },
      timeout: CLI_TIMEOUT_MS,
    });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`switchyard ${args.slice(0, 2).join(' ')} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

/** Strict auth with the bench's gateway key and two Anthropic accounts on the fake upstream. */
export async function configureAnthropicDataDir(dataDir: string, upstreamUrl: string): Promise<void> {
  await switchyard(dataDir, ['config', 'set', 'api_key', GATEWAY_KEY]);
  await switchyard(dataDir, ['config', 'set', 'auth_mode', 'strict']);
  for (const [label, env] of [
    ['a@example.com', 'BENCH_UPSTREAM_KEY_A'],
    ['b@example.com', 'BENCH_UPSTREAM_KEY_B'],
  ] as const) {
    await switchyard(dataDir, ['accounts', 'add', '--provider', 'anthropic', '--base-url', upstreamUrl, '--label', label, '--key-env', env]);
  }
}

export async function configureDataDir(dataDir: string, upstreamUrl: string, geminiUrl: string, codeAssistUrl: string, google: GoogleSetup): Promise<void> {
  await configureAnthropicDataDir(dataDir, upstreamUrl);
  for (const [label, env] of [
    ['gemini-a', 'BENCH_GEMINI_KEY_A'],
    ['gemini-b', 'BENCH_GEMINI_KEY_B'],
  ] as const) {
    await switchyard(dataDir, ['accounts', 'add', '--provider', 'gemini', '--base-url', geminiUrl, '--label', label, '--key-env', env]);
  }
  // Google accounts as an imported refresh token makes them, on the fake OAuth endpoints and Code Assist host.
  for (const key of ['client_id', 'client_secret', 'auth_url', 'token_url', 'userinfo_url'] as const) {
    await switchyard(dataDir, ['config', 'set', `google.${key}`, google.settings[key]]);
  }
  await switchyard(dataDir, ['config', 'set', 'antigravity.base_urls', codeAssistUrl]);
  for (const [email, refreshToken] of Object.entries(google.refreshTokens)) {
    await switchyard(dataDir, ['accounts', 'add', '--provider', 'antigravity', '--label', email, '--refresh-token-env', 'BENCH_GOOGLE_REFRESH'], {
      BENCH_GOOGLE_REFRESH: refreshToken,
    });
  }
  // Only these model names go to Gemini and to Google; every other (MODEL among them) stays on the Anthropic accounts.
  await switchyard(dataDir, ['config', 'set', 'model_rules', JSON.stringify(modelRules())]);
}

export function modelRules(): Array<{ match: string; provider: string; model: string }> {
  return [
    { match: TRANSLATED_MODEL, provider: 'gemini', model: GEMINI_MODEL },
    { match: CODE_ASSIST_MODEL, provider: 'antigravity', model: GEMINI_MODEL },
  ];
}

/** `node [--cpu-prof ...] [flags] bin/switchyard.mjs serve`: no --quiet, so every request prints its line. */
export function serveArgs(dataDir: string, cpuProfDir: string | null, nodeFlags: string[] = []): string[] {
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  return [...profile, ...nodeFlags, SWITCHYARD, '--data-dir', dataDir, 'serve', '--port', '0', '--console-port', '0'];
}

export interface RequestLines {
  total: number;
  /** Lines whose status is 200. */
  ok: number;
}

/** Serve's per-request lines (`HH:MM:SS STATUS METHOD PATH ...`) in its stdout file. */
export async function requestLines(outFile: string): Promise<RequestLines> {
  const lines = (await readFile(outFile, 'utf8')).split('\n');
  const requests = lines.filter((l) => /^\d\d:\d\d:\d\d \d{3} [A-Z]+ \//.test(l));
  return { total: requests.length, ok: requests.filter((l) => l.slice(9, 12) === '200').length };
}

/** Entries in the data folder's request history (the current file and the previous one). */
export async function historyEntries(dataDir: string): Promise<number> {
  let n = 0;
  for (const file of ['request-history.1.jsonl', 'request-history.jsonl']) {
    const text = await readFile(join(dataDir, file), 'utf8').catch(() => '');
    n += text.split('\n').filter((l) => l !== '').length;
  }
  return n;
}
