// `switchyard config get|set KEY [VALUE]`: one setting at a time, validated by the same schema the
// console uses.

import { isScalarSettingKey, SCALAR_SETTING_KEYS, type ControlApi, type ScalarSettingKey, type Settings } from '../contract/index.js';
import { UsageError, type CliIo } from './io.js';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, on: true, off: false, yes: true, no: false, '1': true, '0': false };

/** Model rules are a list, given and shown as JSON. */
const RULES_KEY = 'model_rules';
const KNOWN_KEYS = [...SCALAR_SETTING_KEYS, RULES_KEY].join(', ');

function requireKey(key: string | undefined): ScalarSettingKey {
  if (key === undefined) throw new UsageError(`Name a setting: ${KNOWN_KEYS}.`);
  if (!isScalarSettingKey(key)) throw new UsageError(`Unknown setting "${key}". Known settings: ${KNOWN_KEYS}.`);
  return key;
}

function parseRules(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${RULES_KEY} must be a JSON list, e.g. '[{"match":"claude-*-haiku-*","provider":"anthropic","model":"glm-4.5-air"}]'.`);
  }
}

/** Turns the command-line text into the setting's type; the schema then checks the range. */
function parseSettingValue(key: ScalarSettingKey, text: string, current: Settings): Settings[ScalarSettingKey] {
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

export async function configCommand(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const [sub, key, value, ...extra] = args;
  if (sub === 'get') {
    const settings = await api.getSettings();
    if (key === undefined) {
      for (const k of SCALAR_SETTING_KEYS) io.out(`${k} = ${show(k, settings[k], false)}`);
      io.out(`${RULES_KEY} = ${JSON.stringify(settings.model_rules)}`);
      return 0;
    }
    io.out(key === RULES_KEY ? JSON.stringify(settings.model_rules, null, 2) : String(settings[requireKey(key)]));
    return 0;
  }
  if (sub === 'set' && key === RULES_KEY) {
    if (value === undefined || extra.length > 0) throw new UsageError(`Usage: switchyard config set ${RULES_KEY} JSON`);
    const updated = await api.updateSettings({ model_rules: parseRules(value) as Settings['model_rules'] });
    io.out(`${RULES_KEY} = ${JSON.stringify(updated.model_rules)}`);
    return 0;
  }
  if (sub === 'set') {
    const k = requireKey(key);
    if (value === undefined || extra.length > 0) throw new UsageError(`Usage: switchyard config set ${k} VALUE`);
    const updated = await api.updateSettings({ [k]: parseSettingValue(k, value, await api.getSettings()) });
    io.out(`${k} = ${show(k, updated[k], false)}`);
    if (k === 'auth_mode' && updated.auth_mode !== 'off' && updated.api_key === '') {
      io.err('warning: authentication is on but api_key is empty, so every request will be refused. Set one: switchyard config set api_key KEY');
    }
    return 0;
  }
  throw new UsageError('Usage: switchyard config get [KEY] | switchyard config set KEY VALUE');
}
