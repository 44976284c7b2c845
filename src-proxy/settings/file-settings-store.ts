// Settings in one JSON document (a file headless, electron-store on the desktop). A document we cannot
// read is kept aside and the defaults are used until the user changes something, so nothing is
// overwritten behind their back.

import { z } from 'zod';
import { defaultSettings, SettingsSchema, type Settings, type Warning } from '../contract/index.js';
import { BaseSettingsStore } from './base-settings-store.js';
import { JsonFileDocument, type JsonDocument } from '../lib/json-document.js';
import { migrateSettings } from './migrations.js';

export const SettingsFileSchema = z.preprocess(migrateSettings, SettingsSchema);

export class FileSettingsStore extends BaseSettingsStore {
  private constructor(
    private readonly doc: JsonDocument,
    initial: Settings,
  ) {
    super(initial);
  }

  /** A settings file; it holds the gateway's own API key, so it is the user's alone. */
  static open(path: string, onWarning: (w: Warning) => void): Promise<FileSettingsStore> {
    return FileSettingsStore.openDocument(new JsonFileDocument(path, 0o600), onWarning);
  }

  static async openDocument(doc: JsonDocument, onWarning: (w: Warning) => void): Promise<FileSettingsStore> {
    const read = await doc.read(SettingsFileSchema);
    if (read.kind === 'ok') return new FileSettingsStore(doc, read.value);
    if (read.kind === 'corrupt') {
      onWarning({ code: 'settings_corrupt', file: doc.path, backup: read.backup, time: Date.now() });
    }
    return new FileSettingsStore(doc, defaultSettings());
  }

  protected async persist(settings: Settings): Promise<void> {
    await this.doc.write(settings);
  }
}
