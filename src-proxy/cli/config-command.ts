// `switchyard config get|set KEY [VALUE]`: one setting at a time, validated by the same schema the
// console uses.

import { isScalarSettingKey, SCALAR_SETTING_KEYS, type ScalarSettingKey, type Settings } from '../contract/index.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { UsageError, type CliIo } from './io.js';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, on: true, off: false, yes: true, no: false, '1': true, '0': false };

function requireKey(key: string | undefined): ScalarSettingKey {
  if (key === undefined) throw new UsageError(`Name a setting: ${SCALAR_SETTING_KEYS.join(', ')}.`);
  if (!isScalarSettingKey(key)) throw new UsageError(`Unknown setting "${key}". Known settings: ${SCALAR_SETTING_KEYS.join(', ')}.`);
  return key;
}

/** Turns the command-line text into the setting's type; the schema then checks the range. */
export function parseSettingValue(key: ScalarSettingKey, text: string, current: Settings): Settings[ScalarSettingKey] {
  const sample = current[key];
  if (typeof sample === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${key} must be a number, got "${text}".`);
    return n;
  }
  if (typeof sample === 'boolean') {
    const b = BOOLEAN_WORDS[text.toLowerCase()];
    if (b === undefined) throw new UsageError(`${key} must be true or false, got "${text}".`);
    return b;
  }
  return text;
}

function show(key: ScalarSettingKey, value: unknown, revealSecrets: boolean): string {
  if (key === 'api_key' && !revealSecrets) return value === '' ? '(empty)' : `${String(value).slice(0, 4)}… (config get api_key shows it)`;
  return String(value);
}

export async function configCommand(args: string[], runtime: Runtime, io: CliIo): Promise<number> {
  const [sub, key, value, ...extra] = args;
  if (sub === 'get') {
    const settings = await runtime.getSettings();
    if (key === undefined) {
      for (const k of SCALAR_SETTING_KEYS) io.out(`${k} = ${show(k, settings[k], false)}`);
      return 0;
    }
    io.out(String(settings[requireKey(key)]));
    return 0;
  }
  if (sub === 'set') {
    const k = requireKey(key);
    if (value === undefined || extra.length > 0) throw new UsageError(`Usage: switchyard config set ${k} VALUE`);
    const updated = await runtime.updateSettings({ [k]: parseSettingValue(k, value, await runtime.getSettings()) });
    io.out(`${k} = ${show(k, updated[k], false)}`);
    if (k === 'auth_mode' && updated.auth_mode !== 'off' && updated.api_key === '') {
      io.err('warning: authentication is on but api_key is empty, so every request will be refused. Set one: switchyard config set api_key KEY');
    }
    io.out('A running `switchyard serve` picks this up when restarted.');
    return 0;
  }
  throw new UsageError('Usage: switchyard config get [KEY] | switchyard config set KEY VALUE');
}
