// The accounts export file, as a user moves accounts between machines.

import { describe, expect, it } from 'vitest';
import { exportFileText, parseExportFile } from '../../../src-proxy/accounts/accounts-export.js';
import { AccountSchema, type Account } from '../../../src-proxy/contract/index.js';

const accounts: Account[] = [
  AccountSchema.parse({ id: 'a1', provider: 'anthropic', label: 'work', options: { base_url: 'https://api.example.com' }, created_at: 1, health: 'invalid' }),
  AccountSchema.parse({ id: 'g1', provider: 'gemini', label: 'studio', enabled: false, options: {}, created_at: 1 }),
  AccountSchema.parse({ id: 'o1', provider: 'antigravity', label: 'me@example.com', options: {}, created_at: 1 }),
];
const secrets: Record<string, string> = { a1: 'sk-fake-secret', g1: 'AIza-secret', o1: '1//refresh' };

describe('accounts export', () => {
  it('leaves every secret out unless asked, and keeps no learned state or counters', () => {
    const text = exportFileText(accounts, null, 5);
    for (const s of Object.values(secrets)) expect(text).not.toContain(s);
    expect(text).not.toContain('health');
    expect(text).not.toContain('stats');
    expect(parseExportFile(text)).toEqual({ accounts: [], unusable: 3 });
  });

  it('round-trips every kind with its secret under the name the kind uses', () => {
    const parsed = parseExportFile(exportFileText(accounts, (id) => secrets[id], 5));
    expect(parsed?.unusable).toBe(0);
    expect(parsed?.accounts).toEqual([
      {
        provider: 'anthropic',
        label: 'work',
        enabled: true,
        api_key: 'sk-fake-secret',
        options: { base_url: 'https://api.example.com', auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
      },
      {
        provider: 'gemini',
        label: 'studio',
        enabled: false,
        api_key: 'AIza-secret',
        options: { base_url: 'https://generativelanguage.googleapis.com', count_tokens: true },
      },
      { provider: 'antigravity', label: 'me@example.com', enabled: true, refresh_token: '1//refresh', options: {} },
    ]);
  });

  it.each([
    ['not JSON', 'nope'],
    ['another format', '{"format":"other","version":1,"exported_at":1,"accounts":[]}'],
    ['a newer version', '{"format":"switchyard-accounts","version":2,"exported_at":1,"accounts":[]}'],
  ])('refuses %s', (_name, text) => {
    expect(parseExportFile(text)).toBeNull();
  });

  it('counts entries of an unknown kind or with bad options as unusable, keeping the rest', () => {
    const file = {
      format: 'switchyard-accounts',
      version: 1,
      exported_at: 1,
      accounts: [
        { provider: 'openai', label: 'x', enabled: true, options: {}, secret: 's' },
        { provider: 'anthropic', label: 'y', enabled: true, options: { base_url: 'ftp://x' }, secret: 's' },
        { provider: 'gemini', label: 'z', enabled: true, options: {}, secret: 's' },
      ],
    };
    const parsed = parseExportFile(JSON.stringify(file));
    expect(parsed?.unusable).toBe(2);
    expect(parsed?.accounts.map((a) => a.label)).toEqual(['z']);
  });
});
