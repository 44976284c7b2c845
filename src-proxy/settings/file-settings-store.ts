// Headless settings: one JSON file, written atomically. A file we cannot read is kept aside and the
// defaults are used until the user changes something, so nothing is overwritten behind their back.

import { z } from 'zod';
import { defaultSettings, SettingsSchema, type Settings, type Warning } from '../contract/index.js';
import { BaseSettingsStore } from './base-settings-store.js';
import { readJsonFile, writeFileAtomic } from './json-file.js';
import { migrateSettings } from './migrations.js';

const SettingsFileSchema = z.preprocess(migrateSettings, SettingsSchema);

export class FileSettingsStore extends BaseSettingsStore {
  private constructor(
    private readonly path: string,
    initial: Settings,
  ) {
    super(initial);
  }

  static async open(path: string, onWarning: (w: Warning) => void): Promise<FileSettingsStore> {
    const read = await readJsonFile(path, SettingsFileSchema);
    if (read.kind === 'ok') return new FileSettingsStore(path, read.value);
    if (read.kind === 'corrupt') {
      onWarning({ code: 'settings_corrupt', file: path, backup: read.backup, time: Date.now() });
    }
    return new FileSettingsStore(path, defaultSettings());
  }

  protected async persist(settings: Settings): Promise<void> {
    // The file holds the gateway's own API key.
    await writeFileAtomic(this.path, `${JSON.stringify(settings, null, 2)}\n`, 0o600);
  }
}
