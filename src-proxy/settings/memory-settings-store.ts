// Settings that live only as long as the process: tests, and embedders that bring their own storage.

import { defaultSettings, type Settings, type SettingsPatch } from '../contract/index.js';
import { BaseSettingsStore } from './base-settings-store.js';
import { mergeSettings } from './settings-store.js';

export class MemorySettingsStore extends BaseSettingsStore {
  /** Throws a ZodError when `initial` holds bad values, like `update` would. */
  constructor(initial: SettingsPatch = {}) {
    super(mergeSettings(defaultSettings(), initial));
  }

  protected async persist(_settings: Settings): Promise<void> {}
}
