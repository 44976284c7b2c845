// The console's transport in a real browser: a page in Chromium drives the control contract through the
// real preload bridge and the real main-process handlers, and receives the runtime's events live.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopBridge } from '../../src-proxy/contract/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { launchChromium } from './helpers/chromium.js';
import { openConsoleOverIpc, type ConsoleOverIpc } from './helpers/console-over-ipc.js';

declare global {
  // The name preload/index.ts exposes the bridge under (DESKTOP_BRIDGE_KEY).
  var switchyard: DesktopBridge;
  var seenEvents: unknown[];
  var allEvents: unknown[];
}

let browser: Browser;
let page: Page;
let rendererDir: string;
let gateway: TestGateway;
let opened: ConsoleOverIpc;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'switchyard-renderer-'));
  // A page whose own script (allowed by the console's CSP: same origin) uses the bridge at load.
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>Switchyard</title><p id="status">…</p><script src="app.js"></script><script>document.title = "inline ran"</script>',
  );
  await writeFile(
    join(rendererDir, 'app.js'),
    `switchyard.getStatus().then((r) => { document.getElementById('status').textContent = r.ok ? (r.value.running ? 'running' : 'stopped') : r.error.code; });`,
  );
  gateway = await startGateway();
  page = await browser.newPage();
  opened = await openConsoleOverIpc(page, gateway.runtime, rendererDir);
});
afterEach(async () => {
  await opened.close();
  await page.close();
  await gateway.close();
  await rm(rendererDir, { recursive: true, force: true });
});

describe('the console over IPC, in Chromium', () => {
  it('the page’s own script reaches the runtime through the bridge as it loads', async () => {
    await expect.poll(() => page.textContent('#status'), { timeout: 5000 }).toBe('running');
    expect(opened.calls).toEqual(['switchyard:getStatus']);
  });

  it('the bridge holds the contract’s methods and nothing of IPC', async () => {
    const keys = await page.evaluate(() => Object.keys(switchyard).sort());
    expect(keys).toContain('getStatus');
    expect(keys).toContain('onEvent');
    expect(keys).not.toContain('invoke');
    expect(await page.evaluate(() => Object.isFrozen(switchyard))).toBe(true);
  });

  it('ControlApi calls from the page change the real runtime and answer with ControlResults', async () => {
    const updated = await page.evaluate(() => switchyard.updateSettings({ log_history_limit: 42 }));
    expect(updated).toMatchObject({ ok: true, value: { log_history_limit: 42 } });
    expect((await gateway.runtime.getSettings()).log_history_limit).toBe(42);

    const added = await page.evaluate(() =>
      switchyard.addAccount({ provider: 'anthropic', label: 'work', api_key: 'sk-fake-from-page', options: { base_url: 'http://127.0.0.1:9' } }),
    );
    expect(added).toMatchObject({ ok: true, value: { label: 'work', provider: 'anthropic' } });
    expect(JSON.stringify(added)).not.toContain('sk-fake-from-page');
    const listed = await page.evaluate(() => switchyard.listAccounts());
    expect(listed).toMatchObject({ ok: true, value: [{ label: 'work' }] });

    const refused = await page.evaluate(() => switchyard.updateSettings({ port: 'eighty' as never }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('events reach the page’s listeners, in order, until they unsubscribe', async () => {
    await page.evaluate(() => {
      globalThis.seenEvents = [];
      globalThis.allEvents = [];
      switchyard.onEvent('status', (s) => globalThis.allEvents.push(s.running));
      const off = switchyard.onEvent('status', (s) => {
        globalThis.seenEvents.push(s.running);
        if (globalThis.seenEvents.length === 2) off();
      });
    });
    expect(await page.evaluate(() => switchyard.stopGateway())).toMatchObject({ ok: true, value: { running: false } });
    expect(await page.evaluate(() => switchyard.startGateway())).toMatchObject({ ok: true, value: { running: true } });
    await expect.poll(() => page.evaluate(() => globalThis.seenEvents), { timeout: 5000 }).toEqual([false, true]);
    await gateway.runtime.stopGateway();
    // The third event reached the page, but not the listener that had gone.
    await expect.poll(() => page.evaluate(() => globalThis.allEvents), { timeout: 5000 }).toEqual([false, true, false]);
    expect(await page.evaluate(() => globalThis.seenEvents)).toEqual([false, true]);
  });

  it('is served with the console’s content security policy', async () => {
    const res = await page.request.get(`${opened.origin}/index.html`);
    expect(res.headers()['content-security-policy']).toContain("script-src 'self'");
    // The page's inline script was refused; its same-origin script ran.
    await expect.poll(() => page.textContent('#status'), { timeout: 5000 }).toBe('running');
    expect(await page.title()).toBe('Switchyard');
  });

  it('a page from elsewhere is refused by the real sender guard', async () => {
    const other = await browser.newPage();
    try {
      const elsewhere = await openConsoleOverIpc(other, gateway.runtime, rendererDir);
      await other.goto('about:blank');
      const answer = await other.evaluate(() => switchyard.getStatus());
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      await elsewhere.close();
    } finally {
      await other.close();
    }
  });
});
