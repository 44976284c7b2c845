// `accounts add --preset ID`: the provider, base URL and key scheme of one of the presets the console's
// Add account form offers (contract/account-presets.ts), as the flags a user would otherwise type.

import { ACCOUNT_KIND_NAMES, ACCOUNT_PRESETS, accountKindSpec, isAccountKind, type AccountKind } from '../contract/index.js';
import { UsageError } from './io.js';

type Values = Record<string, string | boolean | undefined>;

export interface KindChoice {
  kind: AccountKind;
  /** How the kind was asked for, to name it back in a message: `--provider gemini` or `--preset zai`. */
  named: string;
  /** The flag values given, and for a preset its options under the flags that set them. */
  values: Values;
}

const PRESET_IDS = ACCOUNT_PRESETS.map((p) => p.id).join(', ');

/**
 * The kind `accounts add` adds and the flag values it acts on. A preset's options fill only the flags not
 * given, so `--base-url` or `--auth-scheme` given with it win (a provider's mainland-China address, say).
 */
export function chooseKind(provider: string | undefined, presetId: string | undefined, values: Values): KindChoice {
  if (provider !== undefined && !isAccountKind(provider)) {
    throw new UsageError(`Unsupported provider "${provider}"; supported: ${ACCOUNT_KIND_NAMES.join(', ')}.`);
  }
  if (presetId === undefined) {
    if (provider === undefined)
      throw new UsageError(`--provider or --preset is required (providers: ${ACCOUNT_KIND_NAMES.join(', ')}; presets: ${PRESET_IDS}).`);
    return { kind: provider, named: `--provider ${provider}`, values };
  }
  const preset = ACCOUNT_PRESETS.find((p) => p.id === presetId.toLowerCase());
  if (!preset) throw new UsageError(`Unknown preset "${presetId}"; known presets: ${PRESET_IDS}.`);
  if (provider !== undefined && provider !== preset.kind) {
    throw new UsageError(`--provider ${provider} does not agree with --preset ${preset.id}, whose provider is ${preset.kind}; give one of them.`);
  }
  const filled: Values = { ...values };
  const options: Readonly<Record<string, string>> = preset.options;
  for (const [name, flag] of Object.entries(accountKindSpec(preset.kind).flags)) {
    if (filled[name] === undefined && options[flag.option] !== undefined) filled[name] = options[flag.option];
  }
  return { kind: preset.kind, named: provider !== undefined ? `--provider ${provider}` : `--preset ${preset.id}`, values: filled };
}

/** The presets, one line each: its id, base URL, provider and how the key is sent. */
export function presetLines(indent: string): string[] {
  const idWidth = Math.max(...ACCOUNT_PRESETS.map((p) => p.id.length));
  const urlWidth = Math.max(...ACCOUNT_PRESETS.map((p) => p.options.base_url.length));
  return ACCOUNT_PRESETS.map((p) => {
    const key = 'auth_scheme' in p.options ? `key via ${p.options.auth_scheme}` : 'key via x-goog-api-key';
    return `${indent}${p.id.padEnd(idWidth)}  ${p.options.base_url.padEnd(urlWidth)}  ${p.kind}, ${key}`;
  });
}
