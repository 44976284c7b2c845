// The console as the desktop window shows it: the shipped build in Chromium, talking to the real
// main-process handlers through the real preload bridge, runs the same user flow as over HTTP.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../src-proxy/accounts/memory-secret-store.js';
import { createRuntime, type Runtime } from '../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../src-proxy/settings/memory-settings-store.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { runConsoleFlow } from './console-flow.js';
import { buildConsole, freePort } from './helpers/build-console.js';
import { CHROMIUM_PATH, launchChromium } from './helpers/chromium.js';
import { openConsoleOverIpc, type ConsoleOverIpc } from './helpers/console-over-ipc.js';

const ROOT = new URL('../../', import.meta.url).pathname;

let dir: string;
let upstream: FakeAnthropic;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-console-ipc-'));
  await buildConsole(join(dir, 'ui'));
  upstream = await startFakeAnthropic({ keys: ['sk-upstream-e2e'] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM_PATH) && !process.env.CI)('the console over IPC in Chromium', () => {
  it('runs the console flow against the desktop main process handlers as it does over HTTP', async () => {
    // The desktop runs the core without a listen override: the port is the setting the console changes.
    const runtime: Runtime = await createRuntime({
      settings: new MemorySettingsStore({ port: await freePort() }),
      accounts: new MemoryAccountStore(),
      secrets: new MemorySecretStore(),
      onInternalError: (err) => {
        throw err;
      },
    });
    await runtime.startGateway();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const pageErrors: string[] = [];
    let opened: ConsoleOverIpc | null = null;
    try {
      await runConsoleFlow({
        upstreamUrl: upstream.url,
        freePort,
        screenshotDir: join(ROOT, 'test-artifacts', 'console-ipc'),
        openConsole: async () => {
          const page: Page = await context.newPage();
          page.on('pageerror', (err) => pageErrors.push(err.message));
          page.on('console', (msg) => {
            if (msg.type() === 'error') pageErrors.push(msg.text());
          });
          opened = await openConsoleOverIpc(page, runtime, join(dir, 'ui'));
          await page.getByRole('switch', { name: 'Gateway', exact: true }).waitFor();
          return page;
        },
      });
      expect(pageErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
      // Every call crossed the IPC channels, none went anywhere else.
      expect(opened!.calls.length).toBeGreaterThan(10);
      expect(opened!.calls.every((c) => c.startsWith('switchyard:'))).toBe(true);
      expect(upstream.messageRequests().map((r) => r.body.model)).toContain('glm-4.6');
    } finally {
      await (opened as ConsoleOverIpc | null)?.close();
      await context.close();
      await runtime.close(0);
    }
  }, 120_000);
});
