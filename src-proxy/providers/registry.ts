// The provider half of the account-kind registry (contract/account-kinds.ts holds the half the console
// shares): one factory per kind. The table is total, so a kind declared in the contract and missing
// here fails to compile instead of answering requests with "not served".

import type { Dispatcher } from 'undici';
import type { AccountOf, ProviderKind, Settings } from '../contract/index.js';
import type { AccountCredentials, AccountStatePort } from '../accounts/pool-ports.js';
import { AnthropicProvider } from './anthropic/anthropic-provider.js';
import type { AccessTokens } from './antigravity/access-tokens.js';
import { AntigravityProvider } from './antigravity/antigravity-provider.js';
import { GeminiProvider } from './gemini/gemini-provider.js';
import type { Provider, ProviderRegistry } from './types.js';

/** What the runtime lends the providers it builds. */
export interface ProviderContext {
  /** Where a provider records what it learns about an account. */
  state: AccountStatePort;
  /** The enabled accounts of a kind with their secrets, for a provider's background work. */
  credentialsOf<K extends ProviderKind>(kind: K): AccountCredentials<AccountOf<K>>[];
  settings(): Settings;
  /** Access tokens of Google accounts. */
  googleTokens: AccessTokens;
  onError(err: unknown): void;
  /** The connection pool every upstream call goes through. */
  dispatcher: Dispatcher;
}

export type ProviderFactories = { readonly [K in ProviderKind]: (ctx: ProviderContext, kind: K) => Provider<AccountOf<K>> };

export const PROVIDER_FACTORIES: ProviderFactories = {
  anthropic: (ctx) => new AnthropicProvider({ dispatcher: ctx.dispatcher, state: ctx.state }),
  gemini: (ctx) => new GeminiProvider({ dispatcher: ctx.dispatcher }),
  antigravity: (ctx, kind) =>
    new AntigravityProvider({
      dispatcher: ctx.dispatcher,
      accessTokens: ctx.googleTokens,
      state: ctx.state,
      settings: () => ctx.settings().antigravity,
      accounts: () => ctx.credentialsOf(kind),
      onError: ctx.onError,
    }),
};

/** One provider per kind, built from `factories`. */
export function createProviders(ctx: ProviderContext, factories: ProviderFactories = PROVIDER_FACTORIES): ProviderRegistry {
  const build = <K extends ProviderKind>(kind: K) => factories[kind](ctx, kind);
  return Object.fromEntries(Object.keys(factories).map((kind) => [kind, build(kind as ProviderKind)])) as unknown as ProviderRegistry;
}
