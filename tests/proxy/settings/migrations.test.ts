import { describe, expect, it } from 'vitest';
import { SETTINGS_VERSION, SettingsSchema } from '../../../src-proxy/contract/index.js';
import { applyMigrations, migrateSettings, type Migration } from '../../../src-proxy/settings/migrations.js';

describe('migrateSettings', () => {
  it('treats an unversioned file as version 1 and brings it to the current version', () => {
    expect(SETTINGS_VERSION).toBe(2);
    expect(migrateSettings({ port: 9000 })).toEqual({ port: 9000, version: 2 });
  });

  it('leaves a current file as it is', () => {
    const raw = { version: 2, port: 9000, host: '0.0.0.0' };
    expect(migrateSettings(raw)).toEqual(raw);
  });

  it('v1 -> v2: the one upstream timeout becomes both the headers and the idle timeout', () => {
    const migrated = migrateSettings({ version: 1, port: 9000, upstream_timeout_ms: 45_000 });
    expect(migrated).toEqual({ version: 2, port: 9000, upstream_headers_timeout_ms: 45_000, upstream_idle_timeout_ms: 45_000 });
    expect(SettingsSchema.parse(migrated)).toMatchObject({
      upstream_headers_timeout_ms: 45_000,
      upstream_idle_timeout_ms: 45_000,
      request_deadline_ms: 600_000,
    });
  });

  it('does not mutate its input', () => {
    const raw = Object.freeze({ port: 9000 });
    migrateSettings(raw);
    expect(raw).toEqual({ port: 9000 });
  });

  it.each([null, 42, 'text', [1, 2]])('returns %j unchanged', (raw) => {
    expect(migrateSettings(raw)).toBe(raw);
  });

  it('leaves a file from a newer release alone, so validation rejects it', () => {
    const raw = { version: SETTINGS_VERSION + 1, port: 9000 };
    expect(migrateSettings(raw)).toBe(raw);
    expect(SettingsSchema.safeParse(migrateSettings(raw)).success).toBe(false);
  });
});

describe('applyMigrations', () => {
  const steps: Record<number, Migration> = {
    1: ({ listen, ...rest }) => ({ ...rest, port: listen }),
    2: ({ auth, ...rest }) => ({ ...rest, auth_mode: auth ? 'strict' : 'off' }),
  };

  it('walks every step from the file version to the target', () => {
    expect(applyMigrations({ listen: 9000, auth: true }, steps, 3)).toEqual({ port: 9000, auth_mode: 'strict', version: 3 });
  });

  it('starts from the version the file declares', () => {
    expect(applyMigrations({ version: 2, port: 9000, auth: false }, steps, 3)).toEqual({
      port: 9000,
      auth_mode: 'off',
      version: 3,
    });
  });

  it('returns the input unchanged when a step is missing', () => {
    const raw = { version: 1, listen: 9000 };
    expect(applyMigrations(raw, { 2: steps[2]! }, 3)).toBe(raw);
  });

  it.each([0, 1.5, '1'])('returns the input unchanged for version %j', (version) => {
    const raw = { version };
    expect(applyMigrations(raw, steps, 3)).toBe(raw);
  });
});
