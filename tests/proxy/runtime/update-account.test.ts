// Account changes through the runtime, as the console and the CLI make them: options are checked by
// the account's own kind.

import { afterEach, describe, expect, it } from 'vitest';
import { ControlError } from '../../../src-proxy/contract/index.js';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { createRuntime, type Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';

let runtime: Runtime;
afterEach(async () => {
  await runtime?.close();
});

async function open(): Promise<Runtime> {
  runtime = await createRuntime({
    settings: new MemorySettingsStore({}),
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    onInternalError: () => {},
  });
  return runtime;
}

describe('updateAccount', () => {
  it('applies an options patch through the account kind, transforms included, keeping the other options', async () => {
    const rt = await open();
    const a = await rt.addAccount({
      provider: 'anthropic',
      label: 'a',
      api_key: 'k',
      options: { base_url: 'https://api.example.com', strip_cache_control: true },
    });
    const updated = await rt.updateAccount(a.id, { options: { base_url: 'https://other.example.com/v1/' } });
    expect(updated.options).toEqual({ base_url: 'https://other.example.com', auth_scheme: 'x-api-key', strip_cache_control: true, count_tokens: true });
  });

  it('refuses an option of another kind, or a bad value, naming it', async () => {
    const rt = await open();
    const g = await rt.addAccount({ provider: 'gemini', label: 'g', api_key: 'k' });
    expect(g.options).toEqual({ base_url: 'https://generativelanguage.googleapis.com', count_tokens: true });
    await expect(rt.updateAccount(g.id, { options: { base_url: 'not a url' } })).rejects.toThrow(ControlError);
    const kept = await rt.updateAccount(g.id, { options: { auth_scheme: 'bearer' } });
    // Unknown to the gemini kind: dropped by its schema rather than stored.
    expect(kept.options).toEqual({ base_url: 'https://generativelanguage.googleapis.com', count_tokens: true });
  });

  it.each([
    ['a new secret', { api_key: '1//new-refresh' }],
    ['the user resetting its health', { reset_health: true }],
  ])('lifts what the upstream said against an account on %s, keeping what else it learned', async (_name, patch) => {
    const accounts = new MemoryAccountStore();
    runtime = await createRuntime({ settings: new MemorySettingsStore({}), accounts, secrets: new MemorySecretStore(), onInternalError: () => {} });
    const a = await runtime.addAccount({ provider: 'antigravity', label: 'ada@example.com', refresh_token: '1//old' });
    accounts.patchRuntime(a.id, (x) => ({ ...x, health: 'invalid', learned: { ...x.learned, project_id: 'p-1', disabled_reason: 'revoked' } }));
    const updated = await runtime.updateAccount(a.id, patch);
    expect(updated).toMatchObject({ health: 'ok', learned: { project_id: 'p-1', disabled_reason: null } });
  });

  it('lets an account whose quota or rate-limit window was reported used up serve again on the user’s word', async () => {
    const accounts = new MemoryAccountStore();
    runtime = await createRuntime({ settings: new MemorySettingsStore({}), accounts, secrets: new MemorySecretStore(), onInternalError: () => {} });
    const a = await runtime.addAccount({ provider: 'antigravity', label: 'ada@example.com', refresh_token: '1//old' });
    const later = Date.now() + 3_600_000;
    accounts.patchRuntime(a.id, (x) => ({
      ...x,
      learned: {
        ...x.learned,
        quota: [
          { model: 'claude-sonnet-4-5', remaining: 0, resets_at: later },
          { model: 'gemini-3-pro-preview', remaining: 0.5, resets_at: later },
        ],
        rate_limits: [{ window: 'requests', limit: 50, remaining: 0, resets_at: later }],
      },
    }));
    const before = Date.now();
    const { learned } = await runtime.updateAccount(a.id, { reset_health: true });
    expect(learned.quota[0]!.resets_at).toBeLessThanOrEqual(Date.now());
    expect(learned.quota[0]!.resets_at).toBeGreaterThanOrEqual(before);
    expect(learned.quota[1]).toEqual({ model: 'gemini-3-pro-preview', remaining: 0.5, resets_at: later });
    expect(learned.rate_limits[0]!.resets_at).toBeLessThanOrEqual(Date.now());
  });
});
