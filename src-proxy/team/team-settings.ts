// Settings of a team member: the listen address, the console port and the team connection itself stay in
// this gateway's own settings file; everything else (model rules, the gateway key and auth mode, the
// timeouts, the Google client ...) is the team's, each setting a field of the store sealed under the
// team key (the gateway key and the Google client secret are secrets), last write wins per setting.

import { SettingsSchema, type Settings, type SettingsPatch } from '../contract/index.js';
import { EventBus } from '../lib/event-bus.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { mergeSettings, type SettingsStore } from '../settings/settings-store.js';
import type { Outbox } from './outbox.js';
import type { TeamKey } from './sealing.js';
import { requireReachable } from './team-accounts.js';
import type { TeamConnection } from './team-connection.js';

/** Settings each gateway keeps for itself. */
export const LOCAL_SETTING_KEYS = ['version', 'port', 'host', 'console_port', 'update_check', 'team'] as const satisfies readonly (keyof Settings)[];
const LOCAL: ReadonlySet<string> = new Set(LOCAL_SETTING_KEYS);

export const settingContext = (key: string) => `setting:${key}`;

export function isSharedSetting(key: string): boolean {
  return !LOCAL.has(key);
}

/** The shared settings of `settings`, as the store keeps them. */
export function sharedSettingsOf(settings: Settings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([k]) => isSharedSetting(k)));
}

export class TeamSettingsStore implements SettingsStore {
  private readonly events = new EventBus<{ change: Settings }>();
  private readonly queue = new SerialQueue();
  private shared: Record<string, unknown> = {};
  private current: Settings;

  constructor(
    private readonly local: SettingsStore,
    private readonly conn: TeamConnection,
    private readonly outbox: Outbox,
    private readonly key: TeamKey,
  ) {
    this.current = local.get();
    local.onChange(() => this.recompute());
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Promise<Settings> {
    return this.queue.run(async () => {
      const next = mergeSettings(this.current, patch);
      const sharedChanged: Record<string, string> = {};
      const localPatch: Record<string, unknown> = {};
      for (const key of Object.keys(patch) as Array<keyof SettingsPatch>) {
        if (patch[key] === undefined) continue;
        if (isSharedSetting(key)) sharedChanged[key] = this.key.seal(JSON.stringify(next[key]), settingContext(key));
        else localPatch[key] = patch[key];
      }
      if (Object.keys(sharedChanged).length > 0) {
        requireReachable(this.conn);
        await this.outbox.applied(this.outbox.push({ k: 'settings', set: sharedChanged }));
        for (const key of Object.keys(sharedChanged)) this.shared[key] = next[key as keyof Settings];
      }
      if (Object.keys(localPatch).length > 0) await this.local.update(localPatch as SettingsPatch);
      this.recompute();
      return this.current;
    });
  }

  onChange(listener: (s: Settings) => void): () => void {
    return this.events.on('change', listener);
  }

  /** The store's settings fields (sealed) after a change; a value that does not open or validate is skipped. */
  applyRemote(sealed: Readonly<Record<string, string>>): void {
    const shared: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(sealed)) {
      if (!isSharedSetting(key) || !(key in SettingsSchema.shape)) continue;
      try {
        shared[key] = JSON.parse(this.key.open(value, settingContext(key)));
      } catch {
        // Sealed under another team secret or damaged: this gateway keeps what it had for that setting.
        if (key in this.shared) shared[key] = this.shared[key];
      }
    }
    this.shared = shared;
    this.recompute();
  }

  private recompute(): void {
    const parsed = SettingsSchema.safeParse({ ...sharedDefaults(), ...this.shared, ...localOnly(this.local.get()) });
    // A shared value this version cannot take is left out rather than stopping the gateway.
    const next = parsed.success ? parsed.data : SettingsSchema.parse({ ...validShared(this.shared), ...localOnly(this.local.get()) });
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.events.emit('change', next);
  }
}

function localOnly(s: Settings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).filter(([k]) => !isSharedSetting(k)));
}

function sharedDefaults(): Record<string, unknown> {
  return sharedSettingsOf(SettingsSchema.parse({}));
}

function validShared(shared: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(shared)) {
    const field = SettingsSchema.shape[key as keyof typeof SettingsSchema.shape];
    if (field.safeParse(value).success) out[key] = value;
  }
  return out;
}
