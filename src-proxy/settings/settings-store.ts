// The settings port. Desktop keeps settings in electron-store, headless in a JSON file, tests in memory;
// the runtime sees only this.

import { SettingsSchema, type Settings, type SettingsPatch } from '../contract/index.js';

export interface SettingsStore {
  /** Synchronous, from memory. */
  get(): Settings;
  /** Validates the merged result with SettingsSchema (rejects with a ZodError on bad values), persists, notifies. */
  update(patch: SettingsPatch): Promise<Settings>;
  onChange(listener: (s: Settings) => void): () => void;
}

/**
 * Applies a patch and validates the whole result. Keys set to `undefined` mean "unchanged" (a form
 * that leaves a field empty must not reset it to the default), and the version is never patched.
 */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return SettingsSchema.parse({ ...current, ...defined, version: current.version });
}
