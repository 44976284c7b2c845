// `switchyard config get|set KEY [VALUE]`: one setting at a time, validated by the same schema the
// console uses.

import { isScalarSettingKey, SCALAR_SETTING_KEYS, type ControlApi, type ScalarSettingKey, type Settings, type SettingsPatch } from '../contract/index.js';
import { UsageError, type CliIo } from './io.js';
import { isPriceKey, priceConfig, PRICES_KEY } from './price-config.js';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, on: true, off: false, yes: true, no: false, '1': true, '0': false };

/** Model rules are a list, given and shown as JSON. */
const RULES_KEY = 'model_rules';

/** A setting inside a group, named with a dot: read from the settings, written as a patch of its group alone. */
interface GroupKey {
  get(s: Settings): string;
  patch(text: string): SettingsPatch;
  /** Shown masked, always: it is kept in the settings, not meant to be read back. */
  secret?: boolean;
}

const GROUP_KEYS: Record<string, GroupKey> = {
  'google.client_id': { get: (s) => s.google.client_id, patch: (v) => ({ google: { client_id: v } }) },
  'google.client_secret': { get: (s) => s.google.client_secret, patch: (v) => ({ google: { client_secret: v } }), secret: true },
  'google.auth_url': { get: (s) => s.google.auth_url, patch: (v) => ({ google: { auth_url: v } }) },
  'google.token_url': { get: (s) => s.google.token_url, patch: (v) => ({ google: { token_url: v } }) },
  'google.userinfo_url': { get: (s) => s.google.userinfo_url, patch: (v) => ({ google: { userinfo_url: v } }) },
  /** Tried in the order given, comma-separated. */
  'antigravity.base_urls': {
    get: (s) => s.antigravity.base_urls.join(','),
    patch: (v) => ({
      antigravity: {
        base_urls: v
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      },
    }),
  },
  // A Redis URL may carry a password.
  'team.redis_url': { get: (s) => s.team.redis_url, patch: (v) => ({ team: { redis_url: v } }), secret: true },
  'team.secret_file': { get: (s) => s.team.secret_file, patch: (v) => ({ team: { secret_file: v } }) },
};

const KNOWN_KEYS = [...SCALAR_SETTING_KEYS, RULES_KEY, PRICES_KEY, 'prices', 'price.MODEL', ...Object.keys(GROUP_KEYS)].join(', ');

function groupKey(key: string | undefined): GroupKey | undefined {
  return key !== undefined && Object.hasOwn(GROUP_KEYS, key) ? GROUP_KEYS[key] : undefined;
}

function showGroupValue(g: GroupKey, s: Settings): string {
  const value = g.get(s);
  if (!g.secret) return value;
  return value === '' ? '(empty)' : `${value.slice(0, 4)}… (masked)`;
}

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
  if (isPriceKey(key)) return priceConfig(sub, key, value, extra, api, io);
  if (sub === 'get') {
    const settings = await api.getSettings();
    if (key === undefined) {
      for (const k of SCALAR_SETTING_KEYS) io.out(`${k} = ${show(k, settings[k], false)}`);
      io.out(`${RULES_KEY} = ${JSON.stringify(settings.model_rules)}`);
      io.out(`${PRICES_KEY} = ${JSON.stringify(settings.model_prices)}`);
      for (const [k, g] of Object.entries(GROUP_KEYS)) io.out(`${k} = ${showGroupValue(g, settings)}`);
      return 0;
    }
    const group = groupKey(key);
    if (group) {
      io.out(showGroupValue(group, settings));
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
  const group = sub === 'set' ? groupKey(key) : undefined;
  if (group) {
    if (value === undefined || extra.length > 0) throw new UsageError(`Usage: switchyard config set ${key} VALUE`);
    const updated = await api.updateSettings(group.patch(value));
    io.out(`${key} = ${showGroupValue(group, updated)}`);
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
