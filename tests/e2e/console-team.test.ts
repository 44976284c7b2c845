// The console of a team in Debian's Chromium: two real `switchyard serve --redis` processes on one real
// redis-server, the browser on one gateway's console. The Overview's team card lists both gateways,
// Live logs and Stats show the whole team's traffic and filter it by gateway, and the card follows the
// team when a gateway is killed and when the store stops answering.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-upstream.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { messagesBody, postJson } from '../helpers/sse-client.js';
import { buildConsole } from './helpers/build-console.js';
import { CHROMIUM_PATH, launchChromium } from './helpers/chromium.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SHOTS = join(ROOT, 'test-artifacts', 'console-team');
const TEAM_ENV = { SWITCHYARD_TEAM_SECRET: 'a team secret for the console test' };

let work: string;
let uiDir: string;
let redis: RedisServer;
let upstream: FakeAnthropic;
let browser: Browser;
const children: ChildProcessWithoutNullStreams[] = [];

interface Served {
  proc: ChildProcessWithoutNullStreams;
  dir: string;
  /** The gateway's base URL. */
  url: string;
  /** The console URL serve printed, with its token. */
  consoleUrl: string;
  /** Its id in the team, as serve printed it. */
  instance: string;
}

async function serve(url: string): Promise<Served> {
  const dir = await mkdtemp(join(work, 'gateway-'));
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-proxy/cli/index.ts', 'serve', '--port', '0', '--console-port', '0', '--data-dir', dir, '--redis', url, '--quiet'],
    { cwd: ROOT, env: { ...process.env, ...TEAM_ENV, SWITCHYARD_UI_DIR: uiDir } },
  );
  children.push(proc);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const base = /ANTHROPIC_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const console = /console: (http:\/\/127\.0\.0\.1:\d+\/ui\/#token=[A-Za-z0-9_-]+)\n/.exec(output);
      const team = /team: \S+ as (\S+)/.exec(output);
      if (base && console && team) {
        clearTimeout(timer);
        resolve({ proc, dir, url: base[1]!, consoleUrl: console[1]!, instance: team[1]! });
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

async function go(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name, exact: true }).click();
  await expect.poll(() => page.locator('#page-title').textContent()).toBe(name);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'switchyard-console-team-'));
  uiDir = join(work, 'ui');
  await buildConsole(uiDir);
  await mkdir(SHOTS, { recursive: true });
  redis = await startRedis();
  upstream = await startFakeAnthropic();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const c of children) c.kill('SIGKILL');
  await upstream?.close();
  await redis?.stop();
  await rm(work, { recursive: true, force: true });
});

// CI installs Chromium and redis-server (.ci/run); a developer machine without them skips this file.
describe.skipIf(!process.env.CI && (!existsSync(CHROMIUM_PATH) || !existsSync('/usr/bin/redis-server')))('the console of a team in Chromium', () => {
  it('lists the team’s gateways, filters Live logs and Stats by gateway, and follows a gateway killed and the store gone', async () => {
    const url = redis.url(0);
    const a = await serve(url);
    const b = await serve(url);
    const { main } = await import('../../src-proxy/cli/main.js');
    const { recordingIo } = await import('../proxy/cli/cli-io.js');
    const added = await main(
      ['accounts', 'add', '--provider', 'anthropic', '--base-url', upstream.url, '--key-env', 'K', '--label', 'team@example.com', '--data-dir', a.dir],
      recordingIo({ K: 'sk-team-e2e' }),
    );
    expect(added).toBe(0);
    // Three requests through A and two through B, once B has the account.
    await expect.poll(async () => (await postJson(`${b.url}/v1/messages`, messagesBody())).status, { timeout: 10_000 }).toBe(200);
    await postJson(`${b.url}/v1/messages`, messagesBody());
    for (let i = 0; i < 3; i++) expect((await postJson(`${a.url}/v1/messages`, messagesBody())).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(a.consoleUrl);

    // The Overview: both gateways, each with its address, this one marked.
    const card = page.getByRole('region', { name: /^Team: / });
    await expect.poll(() => card.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('Team: 2 gateways');
    const gateways = card.getByRole('table', { name: 'Gateways of the team' });
    await expect.poll(() => gateways.getByRole('row').filter({ hasText: b.url }).count(), { timeout: 10_000 }).toBe(1);
    expect(await gateways.getByRole('row').filter({ hasText: a.instance }).textContent()).toContain(`${a.instance} (this one)${a.url}`);
    expect(await gateways.getByRole('row').filter({ hasText: b.instance }).textContent()).toContain(b.url);
    await shot(page, 'overview-team');
    // Its heartbeats go on, and the card shows them as they do.
    const myBeat = async () => (await gateways.getByRole('row').filter({ hasText: a.instance }).getByRole('cell').nth(3).textContent()) ?? '';
    const firstSeen = await myBeat();
    await expect.poll(myBeat, { timeout: 15_000 }).not.toBe(firstSeen);

    // Live logs: the whole team's five requests, then each gateway's own.
    await go(page, 'Live logs');
    const counts = page.getByText(/ shown of /);
    await expect.poll(() => counts.textContent(), { timeout: 10_000 }).toMatch(/^5 shown of 5 /);
    const byGateway = page.getByLabel('Filter by gateway');
    await byGateway.selectOption(b.instance);
    await expect.poll(() => counts.textContent()).toMatch(/^2 shown of 5 /);
    // Each request names the gateway that served it.
    await page.getByRole('table', { name: 'Requests' }).getByRole('row').nth(1).click();
    const detail = page.getByRole('complementary', { name: 'Request detail' });
    await expect.poll(() => detail.textContent()).toContain(`Gateway${b.instance}`);
    await shot(page, 'logs-filtered-by-gateway');
    await byGateway.selectOption(a.instance);
    await expect.poll(() => counts.textContent()).toMatch(/^3 shown of 5 /);
    await byGateway.selectOption('');
    await expect.poll(() => counts.textContent()).toMatch(/^5 shown of 5 /);

    // Stats: the team's totals, and one gateway's.
    await go(page, 'Stats');
    const totals = page.getByLabel('Totals');
    await expect.poll(() => totals.textContent(), { timeout: 10_000 }).toMatch(/^5 requests /);
    await page.getByLabel('Gateway', { exact: true }).selectOption(b.instance);
    await expect.poll(() => totals.textContent()).toMatch(/^2 requests /);
    await shot(page, 'stats-one-gateway');

    // B killed: the card counts one gateway and shows B silent.
    b.proc.kill('SIGKILL');
    await go(page, 'Overview');
    await expect.poll(() => card.getByRole('heading').textContent(), { timeout: 15_000 }).toBe('Team: 1 gateway');
    expect(await gateways.getByRole('row').filter({ hasText: b.instance }).textContent()).toContain('(silent)');

    // The store stops answering: the card says since when; it clears once the store is back.
    redis.pause();
    try {
      await card.getByText(/^team store unreachable since /).waitFor({ timeout: 15_000 });
      await shot(page, 'overview-team-store-unreachable');
    } finally {
      redis.resume();
    }
    await card.getByText(/^team store unreachable since /).waitFor({ state: 'detached', timeout: 15_000 });
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
