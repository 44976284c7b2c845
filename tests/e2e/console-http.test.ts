// The console in Debian's Chromium against a real `switchyard serve` and a fake upstream: the headless
// console as a user opens it, from the URL serve prints.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { makeEntry } from '../proxy/logs/entry-fixture.js';
import { runConsoleFlow } from './console-flow.js';
import { buildConsole, freePort } from './helpers/build-console.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';

let dir: string;
let uiDir: string;
let upstream: FakeAnthropic;
let browser: Browser;
let child: ChildProcessWithoutNullStreams | null = null;
/** Every serve started and not yet gone: a test that fails half-way leaves none running. */
const started = new Set<ChildProcessWithoutNullStreams>();

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
  started.add(proc);
  proc.once('exit', () => started.delete(proc));
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

/** Stops the running serve (SIGTERM, as a user's Ctrl-C) and waits until it is gone. */
async function stopServe(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
  child = null;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-console-e2e-'));
  uiDir = join(dir, 'ui');
  await buildConsole(uiDir);
  upstream = await startFakeAnthropic({ keys: ['sk-upstream-e2e'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const proc of started) proc.kill('SIGKILL');
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
        await opened.getByRole('switch', { name: 'Gateway', exact: true }).waitFor();
        expect(opened.url()).not.toContain('token=');
        page = opened;
        return opened;
      },
    });
    expect(pageErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);

    // serve restarts: the open console reconnects by itself and shows what the new process holds.
    const open = page!;
    const gatewaySwitch = open.getByRole('switch', { name: 'Gateway', exact: true });
    await open.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Overview' }).click();
    await gatewaySwitch.click();
    await expect.poll(() => gatewaySwitch.getAttribute('aria-checked')).toBe('false');
    await stopServe();
    await serve(consolePort);
    await expect.poll(() => gatewaySwitch.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true');

    await open.emulateMedia({ colorScheme: 'dark' });
    await open.screenshot({ path: join(ROOT, 'test-artifacts', 'console', 'overview-dark.png'), fullPage: true, animations: 'disabled' });
    // Each account's key reached the upstream exactly as it was typed into the console.
    expect(new Set(upstream.messageRequests().map((r) => r.key))).toEqual(new Set(['sk-upstream-e2e', 'sk-revoked']));
    expect(upstream.messageRequests().map((r) => r.body.model)).toContain('glm-4.6');
    await context.close();
    await stopServe();
  }, 120_000);

  it('shows 10,000 log entries over the desktop bridge with only the rows in view in the page, down to the oldest', async () => {
    // The console's bridge path (main.tsx picks window.switchyard when a preload exposed it), with a
    // bridge made in the page: 10,000 requests in the history, every other method answering empty.
    const consoleUrl = await serve(await freePort());
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const requests = Array.from({ length: 10_000 }, (_, i) =>
      makeEntry(`r${i}`, 1_760_000_000_000 - i * 1000, { account_label: `entry-${i}@example.com`, status: i % 10 === 0 ? 529 : 200 }),
    );
    await context.addInitScript((requests) => {
      const values: Record<string, unknown> = {
        getStatus: { running: true, host: '127.0.0.1', port: 8045, url: 'http://127.0.0.1:8045', started_at: 1, last_error: null },
        listAccounts: [],
        listRequests: requests,
        listWarnings: [],
        getStats: { bucket: 'hour', buckets: [], totals: { requests: 0, failures: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced: 0 } },
        getUpdateStatus: { supported: false, current_version: '0.1.0', latest_version: null, release_url: null, checked_at: null, error: null },
      };
      const bridge = new Proxy(
        {},
        {
          get: (_t, name: string) => (name === 'onEvent' ? () => () => undefined : async () => ({ ok: true, value: name in values ? values[name] : null })),
        },
      );
      Object.defineProperty(globalThis, 'switchyard', { value: bridge });
    }, requests);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(consoleUrl.replace(/#.*/, ''));
    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Live logs' }).click();
    await page.getByText('10,000 shown of 10,000 · 1,000 failed').waitFor();
    expect(await page.getByRole('row').count()).toBeLessThan(80);
    await page.getByLabel('Request rows').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.getByRole('row').filter({ hasText: 'entry-9999@example.com' }).waitFor();
    expect(await page.getByRole('row').count()).toBeLessThan(80);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});
