import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { defaultSettings, type Settings, type Warning } from '../../../src-proxy/contract/index.js';
import { FileSettingsStore } from '../../../src-proxy/settings/file-settings-store.js';
import { useTempDir } from './temp-dir.js';

describe('FileSettingsStore', () => {
  const dir = useTempDir();
  const settingsPath = () => join(dir(), 'settings.json');

  async function open(): Promise<{ store: FileSettingsStore; warnings: Warning[] }> {
    const warnings: Warning[] = [];
    const store = await FileSettingsStore.open(settingsPath(), (w) => warnings.push(w));
    return { store, warnings };
  }

  it('starts from the defaults without writing a file', async () => {
    const { store, warnings } = await open();
    expect(store.get()).toEqual(defaultSettings());
    expect(warnings).toEqual([]);
    expect(await readdir(dir())).toEqual([]);
  });

  it('persists an update and reads it back after a restart', async () => {
    const { store } = await open();
    const updated = await store.update({ port: 9100, auth_mode: 'strict', api_key: 'k' });
    expect(updated).toMatchObject({ port: 9100, auth_mode: 'strict', api_key: 'k', version: 2 });
    expect(store.get()).toEqual(updated);

    const { store: reopened } = await open();
    expect(reopened.get()).toEqual(updated);
    expect(JSON.parse(await readFile(settingsPath(), 'utf8'))).toEqual(updated);
  });

  it.skipIf(process.platform === 'win32')('writes the file with mode 0600 (it holds the API key)', async () => {
    const { store } = await open();
    await store.update({ api_key: 'k' });
    expect((await stat(settingsPath())).mode & 0o777).toBe(0o600);
  });

  it.each([
    { port: 70_000 },
    { port: 1.5 },
    { host: '  ' },
    { upstream_idle_timeout_ms: 10 },
    { model_rules: [{ match: '', provider: 'anthropic' as const }] },
    { auth_mode: 'sometimes' as never },
  ])('rejects %j with a ZodError and changes nothing', async (patch) => {
    const { store } = await open();
    await store.update({ port: 9100 });
    const before = await readFile(settingsPath(), 'utf8');
    const listener = vi.fn();
    store.onChange(listener);

    await expect(store.update(patch)).rejects.toBeInstanceOf(ZodError);
    expect(store.get().port).toBe(9100);
    expect(await readFile(settingsPath(), 'utf8')).toBe(before);
    expect(listener).not.toHaveBeenCalled();
  });

  it('treats undefined in a patch as unchanged and never patches the version', async () => {
    const { store } = await open();
    await store.update({ port: 9100 });
    const next = await store.update({ port: undefined, host: '0.0.0.0', version: 7 } as never);
    expect(next).toMatchObject({ port: 9100, host: '0.0.0.0', version: 2 });
  });

  it('applies concurrent updates one after another', async () => {
    const { store } = await open();
    await Promise.all([store.update({ port: 9100 }), store.update({ host: '0.0.0.0' }), store.update({ api_key: 'k' })]);
    expect(store.get()).toMatchObject({ port: 9100, host: '0.0.0.0', api_key: 'k' });
    const { store: reopened } = await open();
    expect(reopened.get()).toEqual(store.get());
  });

  it('notifies listeners after persisting, until they unsubscribe', async () => {
    const { store } = await open();
    const seen: Settings[] = [];
    const off = store.onChange((s) => seen.push(s));
    await store.update({ port: 9100 });
    off();
    await store.update({ port: 9200 });
    expect(seen.map((s) => s.port)).toEqual([9100]);
  });

  it('migrates an unversioned file', async () => {
    await writeFile(settingsPath(), JSON.stringify({ port: 9300, auth_mode: 'strict' }));
    const { store, warnings } = await open();
    expect(warnings).toEqual([]);
    expect(store.get()).toEqual({ ...defaultSettings(), port: 9300, auth_mode: 'strict' });
  });

  it.each([
    ['does not parse', '{"port": 9300,'],
    ['has a bad value', JSON.stringify({ version: 1, port: -1 })],
    ['comes from a newer release', JSON.stringify({ version: 99, port: 9300 })],
  ])('keeps a file that %s aside, warns, and uses the defaults', async (_why, content) => {
    await writeFile(settingsPath(), content);
    const { store, warnings } = await open();

    expect(store.get()).toEqual(defaultSettings());
    expect(warnings).toHaveLength(1);
    const warning = warnings[0]!;
    expect(warning).toMatchObject({ code: 'settings_corrupt', file: settingsPath() });
    expect(warning.backup).toMatch(/settings\.json\.corrupt-/);
    expect(await readFile(warning.backup!, 'utf8')).toBe(content);
    // Nothing is written in its place until the user changes a setting.
    expect(await readdir(dir())).toEqual([warning.backup!.slice(dir().length + 1)]);

    await store.update({ port: 9400 });
    expect(JSON.parse(await readFile(settingsPath(), 'utf8'))).toMatchObject({ port: 9400 });
    expect(await readFile(warning.backup!, 'utf8')).toBe(content);
  });
});
