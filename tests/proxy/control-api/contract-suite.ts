// The control contract as every transport must keep it: one suite of cases, run against the in-process
// dispatcher, the HTTP console API and (in the desktop shell) IPC. A transport passes when the console
// could not tell it from the others.

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlError, MAX_ACCOUNTS_UPLOAD_CHARS, type ControlClient, type ControlEvents, type RequestLogEntry } from '../../../src-proxy/contract/index.js';
import type { ControlApi } from '../../../src-proxy/contract/index.js';
import type { EventBus } from '../../../src-proxy/lib/event-bus.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';

/** A transport under test: given the core, a client that reaches it through the transport. */
export interface ContractTransport {
  name: string;
  connect(api: ControlApi, events: EventBus<ControlEvents>): Promise<{ client: ControlClient; close(): Promise<void> }>;
}

export function controlContractSuite(transport: ContractTransport): void {
  let upstream: FakeAnthropic;
  let gateway: TestGateway;
  let api: ControlClient;
  let closeTransport: () => Promise<void>;

  beforeEach(async () => {
    upstream = await startFakeAnthropic();
    gateway = await startGateway();
    const connected = await transport.connect(gateway.runtime, gateway.runtime.events);
    api = connected.client;
    closeTransport = connected.close;
  });
  afterEach(async () => {
    await closeTransport();
    await gateway.close();
    await upstream.close();
  });

  const newAccount = () => ({
    provider: 'anthropic' as const,
    label: 'remote@example.com',
    api_key: 'sk-remote-secret',
    options: { base_url: upstream.url },
  });

  describe(`the control contract over ${transport.name}`, () => {
    it('manages accounts, and the gateway uses them at once', async () => {
      const added = await api.addAccount(newAccount());
      expect(added).toMatchObject({ label: 'remote@example.com', enabled: true, options: { auth_scheme: 'x-api-key' } });
      expect(JSON.stringify(added)).not.toContain('sk-remote-secret');
      expect(await api.listAccounts()).toHaveLength(1);

      const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
      expect(res.headers.get('x-account-email')).toBe('remote@example.com');
      expect(upstream.messageRequests()[0]!.key).toBe('sk-remote-secret');

      expect(await api.updateAccount(added.id, { enabled: false })).toMatchObject({ enabled: false });
      expect((await postJson(`${gateway.url}/v1/messages`, messagesBody())).status).toBe(503);
      await api.removeAccount(added.id);
      expect(await api.listAccounts()).toEqual([]);
    });

    it('changes only the settings and options a call names', async () => {
      await api.updateSettings({ api_key: 'sk-first-call' });
      await api.updateSettings({ auth_mode: 'strict' });
      await api.updateSettings({ api_key: 'sk-second-call' });
      expect(await api.getSettings()).toMatchObject({ auth_mode: 'strict', api_key: 'sk-second-call' });
      const added = await api.addAccount({ ...newAccount(), options: { base_url: upstream.url, auth_scheme: 'bearer' } });
      const updated = await api.updateAccount(added.id, { options: { strip_cache_control: true } });
      expect(updated.options).toMatchObject({ auth_scheme: 'bearer', strip_cache_control: true });
    });

    it('reads and changes settings, validated', async () => {
      expect((await api.updateSettings({ auth_mode: 'strict', api_key: 'k' })).auth_mode).toBe('strict');
      expect((await api.getSettings()).api_key).toBe('k');
      await expect(api.updateSettings({ port: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
      await expect(api.updateSettings({ auth_mode: 'sometimes' as never })).rejects.toBeInstanceOf(ControlError);
      // Authentication with no key would refuse every request: such a change is refused, with a code.
      await expect(api.updateSettings({ api_key: '' })).rejects.toMatchObject({ code: 'would_lock_out' });
      expect(await api.getSettings()).toMatchObject({ auth_mode: 'strict', api_key: 'k' });
    });

    it('stops and starts the gateway, and reports its status', async () => {
      // The test gateway listens where its run was told to (as serve --host/--port), not where the settings say.
      const port = Number(new URL(gateway.url).port);
      expect(await api.getStatus()).toMatchObject({ running: true, url: gateway.url, port, override: { host: '127.0.0.1', port: 0 } });
      expect(await api.stopGateway()).toMatchObject({ running: false, url: null, override: { host: '127.0.0.1', port: 0 } });
      await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
      expect((await api.startGateway()).running).toBe(true);
    });

    it('lists and clears requests, and lists warnings', async () => {
      await postJson(`${gateway.url}/v1/messages`, messagesBody());
      await gateway.entry(1);
      expect(await api.listRequests({ limit: 5 })).toHaveLength(1);
      await api.clearRequests();
      expect(await api.listRequests({})).toEqual([]);
      expect(await api.listWarnings()).toEqual([]);
    });

    it('reports release updates as the shell can check them; this core has no release feed', async () => {
      const status = await api.getUpdateStatus();
      expect(status).toMatchObject({ supported: false, latest_version: null, checked_at: null, error: null });
      expect(await api.checkForUpdates()).toEqual(status);
    });

    it('says which account it does not know', async () => {
      await expect(api.removeAccount('acct_nope')).rejects.toMatchObject({ code: 'not_found', message: 'No account with id acct_nope.' });
    });

    it('generates a gateway key, stores it, and the gateway asks for it at once', async () => {
      const before = await api.getSettings();
      const settings = await api.generateApiKey();
      expect(settings.api_key).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
      expect(settings.api_key).not.toBe(before.api_key);
      expect((await api.generateApiKey()).api_key).not.toBe(settings.api_key);
      await api.updateSettings({ auth_mode: 'strict' });
      const key = (await api.getSettings()).api_key;
      expect((await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
      expect((await postJson(`${gateway.url}/v1/messages`, messagesBody(), { headers: { 'x-api-key': key } })).status).not.toBe(401);
    });

    it('delivers live events to onEvent while subscribed, and none after', async () => {
      const seen: RequestLogEntry[] = [];
      const off = api.onEvent('request', (entry) => seen.push(entry));
      // The stream is open once an event can reach it: keep asking until one does.
      await expect
        .poll(async () => {
          await postJson(`${gateway.url}/v1/messages`, messagesBody());
          return seen.length;
        })
        .toBeGreaterThan(0);
      expect(seen[0]).toMatchObject({ path: '/v1/messages', route: 'messages' });
      off();
      const count = seen.length;
      await postJson(`${gateway.url}/v1/messages`, messagesBody());
      await new Promise((r) => setTimeout(r, 50));
      expect(seen.length).toBe(count);
    });

    it('refuses an argument its schema does not allow, with invalid_argument', async () => {
      await expect(api.removeAccount(42 as unknown as string)).rejects.toMatchObject({ code: 'invalid_argument' });
      await expect(api.updateSettings({ port: -1 })).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it('counts usage per account and model, by hour and by day', async () => {
      const added = await api.addAccount(newAccount());
      const before = Date.now();
      await postJson(`${gateway.url}/v1/messages`, messagesBody());
      await gateway.entry(1);
      const daily = await api.getStats({ bucket: 'day' });
      expect(daily.buckets).toMatchObject([{ account_id: added.id, model: 'claude-sonnet-4-6', requests: 1, failures: 0 }]);
      expect(daily.totals.requests).toBe(1);
      expect(daily.totals.input_tokens).toBeGreaterThan(0);
      const hourly = await api.getStats({ bucket: 'hour', since: before - 3_600_000 });
      expect(hourly.totals).toEqual(daily.totals);
      expect((await api.getStats({ bucket: 'hour', since: Date.now() + 3_600_000 })).buckets).toEqual([]);
      await expect(api.getStats({ bucket: 'week' as never })).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it('exports accounts without secrets unless asked, and imports them elsewhere', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'switchyard-export-'));
      try {
        await api.addAccount(newAccount());
        const plain = await api.exportAccounts({ path: join(dir, 'plain.json'), include_secrets: false });
        expect(plain).toEqual({ path: join(dir, 'plain.json'), count: 1 });
        expect(await readFile(plain.path, 'utf8')).not.toContain('sk-remote-secret');
        const full = await api.exportAccounts({ path: join(dir, 'full.json'), include_secrets: true });
        expect(await readFile(full.path, 'utf8')).toContain('sk-remote-secret');
        if (process.platform !== 'win32') expect((await stat(full.path)).mode & 0o777).toBe(0o600);

        // Already here, and a file without secrets: nothing to add.
        expect(await api.importAccounts({ path: full.path })).toEqual({ added: 0, skipped: 1 });
        expect(await api.importAccounts({ path: plain.path })).toEqual({ added: 0, skipped: 1 });
        const [only] = await api.listAccounts();
        await api.removeAccount(only!.id);
        expect(await api.importAccounts({ path: full.path })).toEqual({ added: 1, skipped: 0 });
        const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
        expect(res.headers.get('x-account-email')).toBe('remote@example.com');
        expect(upstream.messageRequests()[0]!.key).toBe('sk-remote-secret');

        await writeFile(join(dir, 'junk.json'), '{"accounts": "sk-do-not-echo"}');
        const junk = api.importAccounts({ path: join(dir, 'junk.json') });
        await expect(junk).rejects.toMatchObject({ code: 'invalid_argument' });
        await expect(junk).rejects.not.toThrow(/sk-do-not-echo/);
        await expect(api.exportAccounts({ path: 'relative.json', include_secrets: false })).rejects.toMatchObject({ code: 'invalid_argument' });
        await expect(api.importAccounts({ path: join(dir, 'missing.json') })).rejects.toMatchObject({ code: 'invalid_argument' });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('hands the export over as text to download, keys only when asked, and imports an uploaded one', async () => {
      await api.addAccount(newAccount());
      const plain = await api.downloadAccounts({ include_secrets: false });
      expect(plain.count).toBe(1);
      expect(plain.file_name).toMatch(/^switchyard-accounts-\d{4}-\d\d-\d\d\.json$/);
      expect(plain.content).toContain('remote@example.com');
      expect(plain.content).not.toContain('sk-remote-secret');
      const full = await api.downloadAccounts({ include_secrets: true });
      expect(full.content).toContain('sk-remote-secret');

      expect(await api.uploadAccounts({ content: full.content })).toEqual({ added: 0, skipped: 1 });
      const [only] = await api.listAccounts();
      await api.removeAccount(only!.id);
      expect(await api.uploadAccounts({ content: plain.content })).toEqual({ added: 0, skipped: 1 });
      expect(await api.uploadAccounts({ content: full.content })).toEqual({ added: 1, skipped: 0 });
      const res = await postJson(`${gateway.url}/v1/messages`, messagesBody());
      expect(res.headers.get('x-account-email')).toBe('remote@example.com');
      expect(upstream.messageRequests()[0]!.key).toBe('sk-remote-secret');

      const junk = api.uploadAccounts({ content: '{"accounts": "sk-do-not-echo"}' });
      await expect(junk).rejects.toMatchObject({ code: 'invalid_argument' });
      await expect(junk).rejects.not.toThrow(/sk-do-not-echo/);
      await expect(api.uploadAccounts({ content: ' '.repeat(MAX_ACCOUNTS_UPLOAD_CHARS + 1) })).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it("connects Claude Code's settings file, reports it, tells listeners, and puts it back", async () => {
      const dir = await mkdtemp(join(tmpdir(), 'switchyard-contract-claude-'));
      try {
        const target = { config_dir: dir };
        const settingsFile = join(dir, 'settings.json');
        await writeFile(settingsFile, '{"model": "opus"}\n');
        const changed: string[] = [];
        const off = api.onEvent('claude_code', (e) => changed.push(e.settings_file));
        expect(await api.getClaudeCodeStatus(target)).toMatchObject({ settings_file: settingsFile, connected: false, linked: false });
        await expect
          .poll(async () => {
            await api.connectClaudeCode(target);
            return changed.length;
          })
          .toBeGreaterThan(0);
        expect(await api.getClaudeCodeStatus(target)).toMatchObject({ connected: true, linked: true, gateway_url: gateway.url });
        expect((await api.disconnectClaudeCode(target)).restored).toBe('file');
        expect(await readFile(settingsFile, 'utf8')).toBe('{"model": "opus"}\n');
        await expect(api.connectClaudeCode({ config_dir: dir, settings_file: '/etc/passwd' } as never)).rejects.toMatchObject({ code: 'invalid_argument' });
        off();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('pushes status, settings and account changes as events', async () => {
      const statuses: boolean[] = [];
      const labels: string[][] = [];
      const keys: string[] = [];
      const offs = [
        api.onEvent('status', (s) => statuses.push(s.running)),
        api.onEvent('accounts', (list) => labels.push(list.map((a) => a.label))),
        api.onEvent('settings', (s) => keys.push(s.api_key)),
      ];
      // Events flow once the transport's stream is open; a settings change shows when it is.
      await expect
        .poll(async () => {
          await api.generateApiKey();
          return keys.length;
        })
        .toBeGreaterThan(0);
      await api.stopGateway();
      await api.startGateway();
      await api.addAccount(newAccount());
      await expect.poll(() => statuses).toEqual([false, true]);
      await expect.poll(() => labels.at(-1)).toEqual(['remote@example.com']);
      for (const off of offs) off();
    });

    it('never hands out the Google client secret: answers and events show it masked, and the mask sent back keeps it', async () => {
      const secret = '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3456789';
      const shown: string[] = [];
      const off = api.onEvent('settings', (s) => shown.push(JSON.stringify(s)));
      await expect
        .poll(async () => {
          await api.updateSettings({ google: { client_id: 'id.apps.googleusercontent.com', client_secret: secret } });
          return shown.length;
        })
        .toBeGreaterThan(0);
      const read = await api.getSettings();
      expect(read.google.client_secret).toBe('GOCS********');
      const answers = [read, await api.updateSettings({ google: { client_id: 'other.apps.googleusercontent.com' } }), await api.generateApiKey()];
      for (const said of [...answers.map((a) => JSON.stringify(a)), ...shown]) expect(said).not.toContain(secret);

      // The console saves its whole Google form, the masked secret included: the secret stays.
      await api.updateSettings({ google: { ...read.google, client_id: 'third.apps.googleusercontent.com' } });
      expect(gateway.settingsStore.get().google).toMatchObject({ client_id: 'third.apps.googleusercontent.com', client_secret: secret });
      // A new secret replaces it; an empty one clears it.
      await api.updateSettings({ google: { client_secret: 'GOCSPX-the-next-one-0123456789' } });
      expect(gateway.settingsStore.get().google.client_secret).toBe('GOCSPX-the-next-one-0123456789');
      expect((await api.updateSettings({ google: { client_secret: '' } })).google.client_secret).toBe('');
      off();
    });

    it("never hands out the password in the team's Redis address: shown masked, and the mask sent back keeps it", async () => {
      const url = 'redis://team:s3cret-team-password@redis.internal:6379/2';
      const shown: string[] = [];
      const off = api.onEvent('settings', (s) => shown.push(JSON.stringify(s)));
      const answer = await api.updateSettings({ team: { redis_url: url } });
      expect(answer.team.redis_url).toBe('redis://team:********@redis.internal:6379/2');
      const read = await api.getSettings();
      expect(read.team.redis_url).toBe(answer.team.redis_url);
      await expect.poll(() => shown.length).toBeGreaterThan(0);
      for (const said of [JSON.stringify(answer), JSON.stringify(read), ...shown]) expect(said).not.toContain('s3cret-team-password');

      // A whole team form saved with the mask keeps the password; a new address replaces it.
      await api.updateSettings({ team: { ...read.team } });
      expect(gateway.settingsStore.get().team.redis_url).toBe(url);
      expect((await api.updateSettings({ team: { redis_url: 'redis://127.0.0.1:6380/0' } })).team.redis_url).toBe('redis://127.0.0.1:6380/0');
      expect(gateway.settingsStore.get().team.redis_url).toBe('redis://127.0.0.1:6380/0');
      off();
    });
  });
}
