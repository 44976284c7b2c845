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
 * that leaves a field empty must not reset it to the default), and the version is never patched. A
 * group of settings (`google`, `antigravity`) is merged field by field, so naming one field of it
 * keeps the others.
 */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const before = merged[key];
    merged[key] = isGroup(value) && isGroup(before) ? { ...before, ...definedOnly(value) } : value;
  }
  return SettingsSchema.parse({ ...merged, version: current.version });
}

function isGroup(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
