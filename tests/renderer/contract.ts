// The contract as the console's tests use it, plus settings merging the way the core validates a patch.
import { SettingsPatchSchema, SettingsSchema, ControlError, type Settings, type SettingsPatch } from '../../src-proxy/contract/index.js';

export * from '../../src-proxy/contract/index.js';

export function mergeOrThrow(current: Settings, patch: SettingsPatch): Settings {
  const p = SettingsPatchSchema.safeParse(patch);
  const next = p.success ? SettingsSchema.safeParse({ ...current, ...p.data }) : p;
  if (!next.success) throw new ControlError('invalid_argument', next.error.issues[0]!.message);
  return next.data as Settings;
}
