// The console in Debian's Chromium against a real `switchyard serve` and a fake upstream: the headless
// console as a user opens it, from the URL serve prints.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { runConsoleFlow } from './console-flow.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';

let dir: string;
let uiDir: string;
let upstream: FakeAnthropic;
let browser: Browser;
let child: ChildProcessWithoutNullStreams | null = null;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `switchyard serve` from source with this test's console build; resolves with the printed console URL. */
function serve(consolePort: number): Promise<string> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-proxy/cli/index.ts', 'serve', '--console-port', String(consolePort), '--data-dir', dir, '--quiet'],
    {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_UI_DIR: uiDir },
    },
  );
  child = proc;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /console: (http:\/\/127\.0\.0\.1:\d+\/ui\/#token=[A-Za-z0-9_-]+)\n/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-console-e2e-'));
  uiDir = join(dir, 'ui');
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    root: join(ROOT, 'src-renderer'),
    build: { outDir: uiDir, emptyOutDir: true, sourcemap: false },
    logLevel: 'error',
  });
  upstream = await startFakeAnthropic({ keys: ['sk-upstream-e2e'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGKILL');
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

// CI installs Chromium (.ci/run); a developer machine without it skips this file.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console over HTTP in Chromium', () => {
  it('adds an account, turns auth on, shows a request live with its account and mapped model, stops, starts and moves the gateway', async () => {
    const { main } = await import('../../src-proxy/cli/main.js');
    const { recordingIo } = await import('../proxy/cli/cli-io.js');
    const port = await freePort();
    expect(await main(['config', 'set', 'port', String(port), '--data-dir', dir], recordingIo())).toBe(0);
    const consolePort = await freePort();
    const consoleUrl = await serve(consolePort);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    // Anything the page reports as an error (a script or style the CSP blocked, a failed render) fails the test.
    const pageErrors: string[] = [];
    let page: Page | null = null;

    await runConsoleFlow({
      upstreamUrl: upstream.url,
      freePort,
      screenshotDir: join(ROOT, 'test-artifacts', 'console'),
      openConsole: async () => {
        const opened = await context.newPage();
        opened.on('pageerror', (err) => pageErrors.push(err.message));
        opened.on('console', (msg) => {
          if (msg.type() === 'error') pageErrors.push(msg.text());
        });
        await opened.goto(consoleUrl);
        // Signed in from the fragment, which is then gone from the address bar.
        await opened.getByRole('switch', { name: 'Gateway running' }).waitFor();
        expect(opened.url()).not.toContain('token=');
        page = opened;
        return opened;
      },
    });
    expect(pageErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);

    // serve restarts: the open console reconnects by itself and shows what the new process holds.
    const open = page!;
    const gatewaySwitch = open.getByRole('switch', { name: 'Gateway running' });
    await open.getByRole('navigation', { name: 'Console pages' }).getByRole('button', { name: 'Overview' }).click();
    await gatewaySwitch.click();
    await expect.poll(() => gatewaySwitch.getAttribute('aria-checked')).toBe('false');
    child!.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    await serve(consolePort);
    await expect.poll(() => gatewaySwitch.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true');

    await open.emulateMedia({ colorScheme: 'dark' });
    await open.screenshot({ path: join(ROOT, 'test-artifacts', 'console', 'overview-dark.png'), fullPage: true, animations: 'disabled' });
    // Each account's key reached the upstream exactly as it was typed into the console.
    expect(new Set(upstream.messageRequests().map((r) => r.key))).toEqual(new Set(['sk-upstream-e2e', 'sk-revoked']));
    expect(upstream.messageRequests().map((r) => r.body.model)).toContain('glm-4.6');
    await context.close();
  }, 120_000);
});
