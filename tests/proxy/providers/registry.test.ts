// The provider half of the kinds' registry: one provider per kind, and a kind without one does not
// compile (there is no "not served" answer at run time).

import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_KIND_NAMES, type AccountKind } from '../../../src-proxy/contract/index.js';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { StoreAccountPool } from '../../../src-proxy/accounts/account-pool.js';
import { AnthropicProvider } from '../../../src-proxy/providers/anthropic/anthropic-provider.js';
import { GeminiProvider } from '../../../src-proxy/providers/gemini/gemini-provider.js';
import { createProviders, PROVIDER_FACTORIES, type ProviderFactories } from '../../../src-proxy/providers/registry.js';
import type { ProviderRegistry } from '../../../src-proxy/providers/types.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';
import { FakeAccessTokens } from '../../helpers/access-tokens.js';

let registry: ProviderRegistry | null = null;
const dispatcher = new Agent();
afterEach(async () => {
  await Promise.all(Object.values(registry ?? {}).map((p) => p.close()));
  registry = null;
});
afterAll(() => dispatcher.close());

function context() {
  const pool = new StoreAccountPool(new MemoryAccountStore(), new MemorySecretStore());
  const settings = new MemorySettingsStore({});
  return {
    state: pool,
    credentialsOf: <K extends AccountKind>(kind: K) => pool.credentialsOf(kind),
    settings: () => settings.get(),
    googleTokens: new FakeAccessTokens({}),
    dispatcher,
    onError: (err: unknown) => {
      throw err;
    },
  };
}

describe('the provider registry', () => {
  it('builds one provider for every account kind, each serving its own kind', () => {
    registry = createProviders(context());
    expect(Object.keys(registry)).toEqual(ACCOUNT_KIND_NAMES);
    for (const kind of ACCOUNT_KIND_NAMES) expect(registry[kind].kind).toBe(kind);
  });

  it('has a factory for every kind and no other (checked by the compiler)', () => {
    // @ts-expect-error a kind without a provider does not compile
    const missing: ProviderFactories = { anthropic: () => new AnthropicProvider(), gemini: () => new GeminiProvider() };
    // @ts-expect-error nor does a registry that leaves one out
    const partial: ProviderRegistry = { anthropic: new AnthropicProvider(), gemini: new GeminiProvider() };
    // @ts-expect-error a factory answers for its own kind's accounts
    const crossed: ProviderFactories = { ...PROVIDER_FACTORIES, gemini: () => new AnthropicProvider() };
    // @ts-expect-error a kind added to the contract would need its own entry
    const more: { readonly [K in AccountKind | 'openai']: unknown } = PROVIDER_FACTORIES;
    expect([missing, partial, crossed, more]).toHaveLength(4);
  });
});
