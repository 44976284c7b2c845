import { describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { defaultSettings } from '../../../src-proxy/contract/index.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';

describe('MemorySettingsStore', () => {
  it('starts from the defaults merged with the initial patch', () => {
    expect(new MemorySettingsStore().get()).toEqual(defaultSettings());
    expect(new MemorySettingsStore({ port: 9100 }).get()).toEqual({ ...defaultSettings(), port: 9100 });
  });

  it('rejects bad initial values', () => {
    expect(() => new MemorySettingsStore({ port: 0 })).toThrow(ZodError);
  });

  it('updates, validates and notifies like the file store', async () => {
    const store = new MemorySettingsStore();
    const listener = vi.fn();
    store.onChange(listener);
    await store.update({ log_history_limit: 10 });
    await expect(store.update({ log_history_limit: -1 })).rejects.toBeInstanceOf(ZodError);
    expect(store.get().log_history_limit).toBe(10);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(store.get());
  });

  it('keeps notifying other listeners when one throws', async () => {
    const store = new MemorySettingsStore();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    store.onChange(() => {
      throw new Error('listener bug');
    });
    const good = vi.fn();
    store.onChange(good);
    await expect(store.update({ port: 9100 })).resolves.toMatchObject({ port: 9100 });
    expect(good).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });
});
