// What every SettingsStore adapter shares: merge, validate, persist, then publish. Updates run one at a
// time so two concurrent patches both land, and memory only moves once the write has succeeded.

import type { Settings, SettingsPatch } from '../contract/index.js';
import { EventBus } from '../lib/event-bus.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { mergeSettings, type SettingsStore } from './settings-store.js';

export abstract class BaseSettingsStore implements SettingsStore {
  private readonly queue = new SerialQueue();
  private readonly events = new EventBus<{ change: Settings }>();

  protected constructor(private current: Settings) {}

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Promise<Settings> {
    return this.queue.run(async () => {
      const next = mergeSettings(this.current, patch);
      await this.persist(next);
      this.current = next;
      this.events.emit('change', next);
      return next;
    });
  }

  onChange(listener: (s: Settings) => void): () => void {
    return this.events.on('change', listener);
  }

  protected abstract persist(settings: Settings): Promise<void>;
}
