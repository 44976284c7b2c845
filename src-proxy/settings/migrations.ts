// Settings files written by older versions are brought up to SETTINGS_VERSION before validation. Each
// step is pure and moves one version forward, so a file from any old release walks the whole chain.

import { SETTINGS_VERSION } from '../contract/index.js';

type RawSettings = Record<string, unknown>;
/** Turns a version-`n` object into a version-`n + 1` object. */
export type Migration = (raw: RawSettings) => RawSettings;

/** Keyed by the version a step migrates from. */
const SETTINGS_MIGRATIONS: Readonly<Record<number, Migration>> = {
  // v1 had one `upstream_timeout_ms` for both the wait for headers and the wait between body chunks.
  1: ({ upstream_timeout_ms, ...rest }) =>
    upstream_timeout_ms === undefined ? rest : { ...rest, upstream_headers_timeout_ms: upstream_timeout_ms, upstream_idle_timeout_ms: upstream_timeout_ms },
};

/** Versioned migrations up to SETTINGS_VERSION; unversioned files are v1. Pure: never mutates `raw`. */
export function migrateSettings(raw: unknown): unknown {
  return applyMigrations(raw, SETTINGS_MIGRATIONS, SETTINGS_VERSION);
}

/**
 * Walks `raw` from its own version to `target`. Anything it cannot migrate (not an object, a version from
 * a newer release, a gap in the chain) is returned unchanged, so validation rejects it and the file is
 * kept aside rather than half-converted.
 */
export function applyMigrations(raw: unknown, migrations: Readonly<Record<number, Migration>>, target: number): unknown {
  if (!isPlainObject(raw)) return raw;
  const from = raw.version === undefined ? 1 : raw.version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1 || from > target) return raw;
  let current: RawSettings = { ...raw, version: from };
  for (let version = from; version < target; version++) {
    const step = migrations[version];
    if (!step) return raw;
    current = { ...step(current), version: version + 1 };
  }
  return current;
}

function isPlainObject(value: unknown): value is RawSettings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
