// What a user does in the console, end to end, whatever carries it: the flow gets a way to open the
// console (a browser on the headless console's URL here, the desktop window over IPC elsewhere) and
// checks every step against what the gateway really does.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface ConsoleFlowOptions {
  /** Opens the console, signed in, on its first page. */
  openConsole(): Promise<Page>;
  /** The fake Anthropic upstream the account added in the console points at. */
  upstreamUrl: string;
  /** A free loopback port to move the gateway to. */
  freePort(): Promise<number>;
  /** Where the screenshots of each page go. */
  screenshotDir: string;
}

const UPSTREAM_KEY = 'sk-upstream-e2e';
const ACCOUNT = 'e2e@example.com';
const REVOKED = 'revoked@example.com';

/** One Messages request to the gateway, as Claude Code would send it (without streaming). */
async function ask(baseUrl: string, key: string | null): Promise<Response> {
  return fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ model: 'claude-opus-4-1', max_tokens: 32, messages: [{ role: 'user', content: 'Hello from the console test' }] }),
  });
}

/** The gateway refuses connections (it is stopped). */
async function refused(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(3000) });
    return false;
  } catch {
    return true;
  }
}

async function go(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name, exact: true }).click();
  await expect.poll(() => page.locator('#page-title').textContent()).toBe(name);
}

/** The base URL the Overview gives Claude Code. */
async function baseUrlShown(page: Page): Promise<string> {
  await go(page, 'Overview');
  const setup = page.getByLabel('Claude Code setup', { exact: true });
  await setup.waitFor();
  const text = (await setup.textContent()) ?? '';
  const m = /ANTHROPIC_BASE_URL=(\S+)/.exec(text);
  if (!m) throw new Error(`no base URL in the setup: ${text}`);
  return m[1]!;
}

export async function runConsoleFlow(opts: ConsoleFlowOptions): Promise<void> {
  await mkdir(opts.screenshotDir, { recursive: true });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(opts.screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
  const page = await opts.openConsole();
  const gatewaySwitch = page.getByRole('switch', { name: 'Gateway', exact: true });
  await expect.poll(() => gatewaySwitch.getAttribute('aria-checked')).toBe('true');

  // A fresh start: no account yet, so the Overview says so and leads to the Accounts page.
  const banner = page.getByRole('region', { name: 'No account yet' });
  await banner.waitFor();
  expect(await gatewaySwitch.textContent()).toBe('Gateway running');
  await shot(page, 'overview-no-account');
  await banner.getByRole('button', { name: 'Add an account' }).click();
  await expect.poll(() => page.locator('#page-title').textContent()).toBe('Accounts');

  // An API-key account, added through the form built from its kind's options.
  await page.getByRole('button', { name: 'Add account' }).click();
  // A provider's preset fills in its address and how it takes the key.
  await page.getByRole('radio', { name: 'z.ai', exact: true }).check();
  const preset = page.getByRole('form', { name: 'New z.ai account' });
  expect(await preset.getByLabel('Base URL').inputValue()).toBe('https://api.z.ai/api/anthropic');
  await shot(page, 'accounts-add-preset');
  await page.getByRole('radio', { name: 'Anthropic-compatible' }).check();
  const form = page.getByRole('form', { name: 'New Anthropic-compatible account' });
  // A form sent half filled says what is missing in words, beside each field.
  await form.getByLabel('Base URL').fill('api.example.com');
  await form.getByRole('button', { name: 'Add account' }).click();
  await form.getByText('This cannot be empty.').first().waitFor();
  await form.getByText('Enter a full address, such as https://api.example.com.').waitFor();
  expect(await form.textContent()).not.toMatch(/Too small|Invalid URL|expected string/);
  await shot(page, 'accounts-add-invalid');
  await form.getByLabel('Label').fill(ACCOUNT);
  await form.getByLabel('API key').fill(UPSTREAM_KEY);
  await form.getByLabel('Base URL').fill(opts.upstreamUrl);
  await shot(page, 'accounts-add-form');
  await form.getByRole('button', { name: 'Add account' }).click();
  const card = page.getByRole('listitem', { name: ACCOUNT });
  await card.waitFor();
  await expect.poll(() => page.getByRole('switch', { name: `Enabled: ${ACCOUNT}` }).getAttribute('aria-checked')).toBe('true');
  // Never used yet: the card says so instead of "ok", and its Test asks the upstream for real.
  await card.filter({ hasText: 'not tried yet' }).waitFor();
  await shot(page, 'accounts-not-tried');
  await card.getByRole('button', { name: `Test ${ACCOUNT}` }).click();
  const tested = card.getByRole('status', { name: `Test of ${ACCOUNT}` });
  await tested.filter({ hasText: 'Works: a token count for claude-haiku-4-5 answered in' }).waitFor();
  expect(await card.textContent()).not.toContain('not tried yet');
  await shot(page, 'accounts-tested');
  // Its options are edited in place; the key is not shown there.
  await card.getByRole('button', { name: `Edit ${ACCOUNT}` }).click();
  const edit = card.getByRole('form', { name: `Edit ${ACCOUNT}` });
  expect(await edit.getByLabel('API key').count()).toBe(0);
  await edit.getByLabel(/Strip cache_control/).check();
  await shot(page, 'accounts-edit');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.waitFor({ state: 'detached' });

  // Auth on with a fresh key; a model rule so the mapping shows.
  await go(page, 'Settings');
  // Strict with no key would lock every client out: refused, with the reason, until a key exists.
  const strict = page.getByRole('radio', { name: /^Strict/ });
  const auth = page.getByRole('form', { name: 'Authentication' });
  await strict.click();
  await auth.getByRole('button', { name: 'Save authentication' }).click();
  await auth.getByRole('alert').filter({ hasText: 'would refuse every request' }).waitFor();
  await shot(page, 'settings-auth-refused');
  await page.getByRole('button', { name: 'Generate key' }).click();
  await page.getByRole('button', { name: 'Reveal key' }).waitFor();
  await strict.click();
  await auth.getByRole('button', { name: 'Save authentication' }).click();
  await auth.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await expect.poll(() => strict.isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Reveal key' }).click();
  const key = ((await page.getByTestId('api-key').textContent()) ?? '').trim();
  expect(key).toMatch(/^sk-sy-/);
  await page.getByRole('button', { name: 'Hide key' }).click();
  const rules = page.getByRole('form', { name: 'Model mapping' });
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await rules.getByLabel('Rule 1 requested model').fill('claude-opus-*');
  await rules.getByLabel('Rule 1 target 1 upstream model').fill('glm-4.6');
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await rules.getByRole('status').waitFor();
  await shot(page, 'settings');

  // A request through the gateway with that key appears live, with its account and mapped model.
  const baseUrl = await baseUrlShown(page);
  expect(((await page.getByLabel('Claude Code setup', { exact: true }).textContent()) ?? '').includes(key)).toBe(false);
  await go(page, 'Live logs');
  expect((await ask(baseUrl, null)).status).toBe(401);
  const answered = await ask(baseUrl, key);
  expect(answered.status).toBe(200);
  expect(answered.headers.get('x-account-email')).toBe(ACCOUNT);
  expect(answered.headers.get('x-mapped-model')).toBe('glm-4.6');
  const row = page.getByRole('row').filter({ hasText: ACCOUNT }).filter({ hasText: 'claude-opus-4-1 → glm-4.6' });
  await row.first().waitFor();
  await shot(page, 'logs');
  await row.first().click();
  const detail = page.getByRole('complementary', { name: 'Request detail' });
  await detail.waitFor();
  expect(await detail.textContent()).toContain(`${ACCOUNT} · 200`);
  await shot(page, 'logs-detail');

  // Stopped from the console: the gateway refuses, the console keeps working.
  await go(page, 'Overview');
  await gatewaySwitch.click();
  await expect.poll(() => gatewaySwitch.getAttribute('aria-checked')).toBe('false');
  expect(await gatewaySwitch.textContent()).toBe('Gateway stopped');
  expect(await refused(baseUrl)).toBe(true);
  await go(page, 'Accounts');
  await page.getByRole('listitem', { name: ACCOUNT }).waitFor();
  await go(page, 'Overview');
  await gatewaySwitch.click();
  await expect.poll(() => gatewaySwitch.getAttribute('aria-checked')).toBe('true');
  expect((await ask(baseUrl, key)).status).toBe(200);
  await page
    .getByRole('group', { name: 'Requests' })
    .filter({ hasText: /^[2-9]/ })
    .waitFor();
  // Account usage arrives a moment later than the request itself (the core batches account updates).
  await page.getByRole('region', { name: 'Accounts' }).filter({ hasText: '2 requests' }).waitFor();
  await shot(page, 'overview');

  // A new port: the running gateway moves, requests reach it there and no longer at the old one.
  const port = await opts.freePort();
  await go(page, 'Settings');
  const address = page.getByRole('form', { name: 'Gateway address' });
  await address.getByLabel('Port', { exact: true }).fill(String(port));
  await address.getByRole('button', { name: 'Save' }).click();
  await address.getByRole('status').waitFor();
  const moved = await baseUrlShown(page);
  expect(moved).toBe(`http://127.0.0.1:${port}`);
  expect((await ask(moved, key)).status).toBe(200);
  expect(await refused(baseUrl)).toBe(true);

  // An account whose key the upstream refuses: with the good one switched off it is tried, marked
  // invalid with the upstream's words, and the failed attempt shows in the request's detail.
  await go(page, 'Accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('radio', { name: 'Anthropic-compatible' }).check();
  const second = page.getByRole('form', { name: 'New Anthropic-compatible account' });
  await second.getByLabel('Label').fill(REVOKED);
  await second.getByLabel('API key').fill('sk-revoked');
  await second.getByLabel('Base URL').fill(opts.upstreamUrl);
  await second.getByRole('button', { name: 'Add account' }).click();
  const goodSwitch = page.getByRole('switch', { name: `Enabled: ${ACCOUNT}` });
  await goodSwitch.click();
  await expect.poll(() => goodSwitch.getAttribute('aria-checked')).toBe('false');
  expect((await ask(moved, key)).status).toBeGreaterThanOrEqual(400);
  await page.getByRole('listitem', { name: REVOKED }).filter({ hasText: 'invalid:' }).waitFor();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('radio', { name: 'Google account' }).check();
  await page.getByRole('note').waitFor();
  await shot(page, 'accounts-add-google');
  await page.getByRole('button', { name: 'Close the form' }).click();
  await shot(page, 'accounts');
  await goodSwitch.click();
  await expect.poll(() => goodSwitch.getAttribute('aria-checked')).toBe('true');
  await go(page, 'Live logs');
  const failedRow = page.getByRole('row').filter({ hasText: REVOKED });
  await failedRow.first().click();
  expect(await page.getByRole('complementary', { name: 'Request detail' }).textContent()).toContain('key or token refused');
  await shot(page, 'logs-detail-failed');
  // The mapped model is whole while the account has room, and a narrow window keeps the key columns.
  const modelCells = page.getByRole('cell', { name: 'claude-opus-4-1 → glm-4.6', exact: true });
  expect(await modelCells.first().evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.setViewportSize({ width: 720, height: 860 });
  await expect.poll(() => page.getByRole('columnheader').count()).toBeLessThan(8);
  expect(await page.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['Time', 'Status', 'Model', 'Account']));
  expect(await modelCells.first().evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await shot(page, 'logs-narrow');
  await page.setViewportSize({ width: 1280, height: 860 });

  // Export by download, with keys only once confirmed, and import by upload: the account removed and
  // uploaded again is back with its key.
  await go(page, 'Accounts');
  const io = page.getByRole('region', { name: 'Import and export' });
  const [plainDownload] = await Promise.all([page.waitForEvent('download'), io.getByRole('button', { name: 'Download export' }).click()]);
  const plainText = await readFile(await plainDownload.path(), 'utf8');
  expect(plainText).toContain(REVOKED);
  expect(plainText).not.toContain(UPSTREAM_KEY);
  await io.getByLabel(/Include keys and tokens/).check();
  await io.getByRole('button', { name: 'Download with keys and tokens' }).click();
  await shot(page, 'accounts-export-confirm');
  const [fullDownload] = await Promise.all([page.waitForEvent('download'), io.getByRole('button', { name: 'Yes, put the keys in the file' }).click()]);
  expect(fullDownload.suggestedFilename()).toMatch(/^switchyard-accounts-\d{4}-\d\d-\d\d\.json$/);
  const fullPath = await fullDownload.path();
  expect(await readFile(fullPath, 'utf8')).toContain('sk-revoked');
  const revokedCard = page.getByRole('listitem', { name: REVOKED });
  await revokedCard.getByRole('button', { name: 'Remove' }).click();
  await revokedCard.getByRole('button', { name: `Remove ${REVOKED}` }).click();
  await expect.poll(() => revokedCard.count()).toBe(0);
  await io.getByLabel('Export file to import').setInputFiles(fullPath);
  await io.getByRole('status').filter({ hasText: 'Imported 1 account from' }).waitFor();
  await revokedCard.waitFor();
  await shot(page, 'accounts-imported');

  await go(page, 'Stats');
  const requestsChart = page.getByRole('img', { name: /^Requests per hour, by account/ });
  await requestsChart.waitFor();
  await shot(page, 'stats');
  // The latest hour's bar, at the right end of the time axis, names its hour and what it holds.
  const plotArea = (await requestsChart.locator('.u-over').boundingBox())!;
  await page.mouse.move(plotArea.x + plotArea.width - 3, plotArea.y + plotArea.height - 3);
  const tooltip = requestsChart.getByRole('tooltip');
  await tooltip.waitFor();
  expect(await tooltip.textContent()).toMatch(/\d\d:\d\d–\d\d:\d\d/);
  expect(await tooltip.textContent()).toContain(ACCOUNT);
  await shot(page, 'stats-tooltip');
  await page.mouse.move(0, 0);
  await page.getByRole('radio', { name: 'Last 30 days, by day' }).check();
  await page.getByRole('img', { name: /^Requests per day, by account/ }).waitFor();
  await shot(page, 'stats-days');

  // Every page has its own address: a reload stays on it, Back returns to the page before, and the
  // page's icon is served beside it.
  expect(new URL(page.url()).hash).toBe('#/stats');
  await page.reload();
  await expect.poll(() => page.locator('#page-title').textContent()).toBe('Stats');
  await page.goBack();
  await expect.poll(() => page.locator('#page-title').textContent()).toBe('Accounts');
  expect(new URL(page.url()).hash).toBe('#/accounts');
  const icon = await page.request.get(new URL('favicon.svg', page.url()).href);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
}
