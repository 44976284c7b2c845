// A newcomer's first ten minutes, in Debian's Chromium against a real `switchyard serve --port` started
// on an empty data folder, a fake Anthropic upstream and the real Claude Code CLI: the no-account banner,
// the port this run listens on in Settings, an account added from a preset and tested, Claude Code
// connected from the Overview, a request whose cost shows, the account edited, the accounts exported by
// download and imported by upload, and a deep link reloaded. Every page and state is kept as a
// screenshot in test-artifacts/newcomer.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { runClaude } from '../helpers/claude-cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { buildConsole } from './helpers/build-console.js';
import { CHROMIUM_PATH, launchChromium } from './helpers/chromium.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SHOTS = join(ROOT, 'test-artifacts', 'newcomer');
const UPSTREAM_KEY = 'sk-upstream-newcomer';
const LABEL = 'first@example.com';
const RENAMED = 'work@example.com';

let scratch: string;
let uiDir: string;
let upstream: FakeAnthropic;
let browser: Browser;
let serve: ServeProcess | null = null;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-newcomer-'));
  uiDir = join(scratch, 'ui');
  await buildConsole(uiDir);
  await mkdir(SHOTS, { recursive: true });
  upstream = await startFakeAnthropic({ keys: [UPSTREAM_KEY], defaultBehaviour: { kind: 'reply', text: 'hello from the pool' } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  await browser?.close();
  await upstream?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The console link serve printed, once it has. */
async function consoleLink(proc: ServeProcess): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = /console: (http:\/\/127\.0\.0\.1:\d+\/ui\/#token=[A-Za-z0-9_-]+)/.exec(proc.output());
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no console link in:\n${proc.output()}`);
}

const title = (page: Page) => page.locator('#page-title').textContent();

async function go(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name, exact: true }).click();
  await expect.poll(() => title(page)).toBe(name);
}

describe.skipIf(!existsSync(CHROMIUM_PATH) && !process.env.CI)('a newcomer in the console', () => {
  it('starts fresh, adds an account from a preset and tests it, connects Claude Code, sees what a request cost, edits, exports and imports, and reloads a deep link', async () => {
    const claudeDir = join(scratch, 'claude-config');
    const data = join(scratch, 'data');
    serve = await startServe(['--port', '0', '--console-port', '0', '--data-dir', data], {
      ...process.env,
      HOME: join(scratch, 'home'),
      CLAUDE_CONFIG_DIR: claudeDir,
      SWITCHYARD_UI_DIR: uiDir,
    });
    const link = await consoleLink(serve);
    const origin = new URL(link).origin;
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });

    // A fresh start: the Overview says there is no account yet, and leads to where one is added.
    await page.goto(link);
    await page.getByRole('switch', { name: 'Gateway', exact: true }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/overview');
    const banner = page.getByRole('region', { name: 'No account yet' });
    await banner.waitFor();
    // The banner is the one message about it: the accounts card waits for an account to show.
    expect(await page.getByText(/no accounts? yet/i).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Accounts' }).count()).toBe(0);
    await shot('01-overview-no-account');

    // Started with --port: Settings names the port this run listens on, and when the saved one applies.
    await go(page, 'Settings');
    const address = page.getByRole('form', { name: 'Gateway address' });
    expect(await address.getByLabel('Port', { exact: true }).inputValue()).toBe('8045');
    await address.getByText(`Listening on ${new URL(serve.url).port} for this run (--port); the saved setting, 8045, applies at the next start.`).waitFor();
    await shot('01-settings-port-for-this-run');
    await go(page, 'Overview');

    // The console asks a tab without the token for it.
    const stranger = await context.newPage();
    await stranger.goto(`${origin}/ui/`);
    await stranger.getByLabel('Console token').waitFor();
    await stranger.screenshot({ path: join(SHOTS, '02-token-prompt.png'), animations: 'disabled' });
    await stranger.close();

    // An account added from the Anthropic preset (its address then pointed at this test's upstream),
    // not tried yet, then tested for real.
    await banner.getByRole('button', { name: 'Add an account' }).click();
    await expect.poll(() => title(page)).toBe('Accounts');
    expect(new URL(page.url()).hash).toBe('#/accounts');
    await shot('03-accounts-empty');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('radio', { name: 'Anthropic', exact: true }).check();
    const form = page.getByRole('form', { name: 'New Anthropic account' });
    expect(await form.getByLabel('Base URL').inputValue()).toBe('https://api.anthropic.com');
    await form.getByLabel('Label').fill(LABEL);
    await form.getByLabel('API key').fill(UPSTREAM_KEY);
    await form.getByLabel('Base URL').fill(upstream.url);
    await shot('04-accounts-add-preset');
    await form.getByRole('button', { name: 'Add account' }).click();
    let card = page.getByRole('listitem', { name: LABEL });
    await card.filter({ hasText: 'not tried yet' }).waitFor();
    await shot('05-accounts-not-tried');
    await card.getByRole('button', { name: `Test ${LABEL}` }).click();
    await card
      .getByRole('status', { name: `Test of ${LABEL}` })
      .filter({ hasText: 'Works:' })
      .waitFor();
    await shot('06-accounts-tested');

    // Claude Code connected from the Overview: its settings file now points at the gateway.
    await go(page, 'Overview');
    await page.getByRole('button', { name: 'Connect Claude Code' }).click();
    await page.getByText('Claude Code uses this gateway').waitFor();
    const settings = JSON.parse(await readFile(join(claudeDir, 'settings.json'), 'utf8')) as { env: Record<string, string> };
    expect(settings.env.ANTHROPIC_BASE_URL).toBe(serve.url);
    expect(await page.getByRole('region', { name: 'No account yet' }).count()).toBe(0);
    await shot('07-overview-connected');

    // Claude Code, with no gateway variable in its shell, answers through the account; the request and
    // its cost show in Live logs, in its detail and in today's total.
    await go(page, 'Live logs');
    const run = await runClaude('Say hello', ['--output-format', 'text'], { baseUrl: null, apiKey: null, scratch, env: { CLAUDE_CONFIG_DIR: claudeDir } });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout.trim()).toBe('hello from the pool');
    const row = page.getByRole('row').filter({ hasText: LABEL }).filter({ hasText: /\$\d/ });
    await row.first().waitFor();
    await shot('08-logs-with-cost');
    await row.first().click();
    const detail = page.getByRole('complementary', { name: 'Request detail' });
    expect(await detail.textContent()).toMatch(/Cost\$\d[\d.]* at the price of /);
    await shot('09-logs-detail');
    await go(page, 'Overview');
    await expect.poll(() => page.getByText(/^\$\d/).count()).toBeGreaterThan(0);
    await shot('10-overview-cost');

    // The account edited in place: a new label, and a group.
    await go(page, 'Accounts');
    await card.getByRole('button', { name: `Edit ${LABEL}` }).click();
    const edit = card.getByRole('form', { name: `Edit ${LABEL}` });
    expect(await edit.getByLabel('API key').count()).toBe(0);
    await edit.getByLabel('Label').fill(RENAMED);
    await shot('11-accounts-edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    card = page.getByRole('listitem', { name: RENAMED });
    await card.waitFor();
    const group = card.getByRole('form', { name: `Group of ${RENAMED}` });
    await group.getByRole('textbox').fill('team-a');
    await group.getByRole('button', { name: 'Save group' }).click();
    await expect.poll(() => group.getByRole('button', { name: 'Save group' }).count()).toBe(0);
    await shot('12-accounts-edited');

    // Exported by download with its key, once confirmed; removed; imported again by upload.
    const io = page.getByRole('region', { name: 'Import and export' });
    await io.getByLabel(/Include keys and tokens/).check();
    await io.getByRole('button', { name: 'Download with keys and tokens' }).click();
    await shot('13-export-confirm');
    const [download] = await Promise.all([page.waitForEvent('download'), io.getByRole('button', { name: 'Yes, put the keys in the file' }).click()]);
    const file = await download.path();
    expect(await readFile(file, 'utf8')).toContain(UPSTREAM_KEY);
    await card.getByRole('button', { name: 'Remove' }).click();
    await card.getByRole('button', { name: `Remove ${RENAMED}` }).click();
    await expect.poll(() => card.count()).toBe(0);
    await shot('14-accounts-removed');
    await io.getByLabel('Export file to import').setInputFiles(file);
    await io.getByRole('status').filter({ hasText: 'Imported 1 account' }).waitFor();
    await card.waitFor();
    expect(await card.getByRole('textbox').inputValue()).toBe('team-a');
    await shot('15-accounts-imported');

    // The other pages.
    await go(page, 'Stats');
    await page.getByRole('img', { name: /^Requests per hour, by account/ }).waitFor();
    await shot('16-stats');
    await go(page, 'Settings');
    await shot('17-settings');

    // A deep link, typed or bookmarked, opens its page, and a reload keeps it.
    await page.goto(`${origin}/ui/#/logs`);
    await expect.poll(() => title(page)).toBe('Live logs');
    await page.reload();
    await expect.poll(() => title(page)).toBe('Live logs');
    await page.getByRole('row').filter({ hasText: LABEL }).first().waitFor();
    await shot('18-deep-link-reloaded');
    await page.goto(`${origin}/ui/#/nowhere`);
    await expect.poll(() => title(page)).toBe('No such page');
    await shot('19-no-such-page');

    // A narrow window and the dark scheme.
    await page.setViewportSize({ width: 640, height: 900 });
    await go(page, 'Live logs');
    await shot('20-logs-narrow');
    await go(page, 'Overview');
    await shot('21-overview-narrow');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('22-overview-dark');
    await go(page, 'Stats');
    await shot('23-stats-dark');

    expect(pageErrors).toEqual([]);
    // The key went through the console and into a download, and never into serve's output.
    expect(serve.output()).not.toContain(UPSTREAM_KEY);
    await context.close();
  }, 180_000);
});
