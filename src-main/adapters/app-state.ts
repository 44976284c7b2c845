// What the desktop remembers between runs that is not a setting: whether the gateway was running when the
// app last quit. Kept in electron-store like the other stores; a file it cannot read is kept aside and the
// app starts as on a first launch.

import { z } from 'zod';
import { StoreDocument, type KeyValueFile } from './store-document.js';

export const APP_STATE_STORE = 'state';

const AppStateSchema = z.object({ gateway_running: z.boolean().optional() });
export type AppState = z.infer<typeof AppStateSchema>;

export interface AppStateStore {
  get(): AppState;
  update(patch: AppState): Promise<void>;
}

export async function openAppState(openStore: (name: string) => KeyValueFile, path: string): Promise<AppStateStore> {
  const doc = new StoreDocument(() => openStore(APP_STATE_STORE), path);
  const read = await doc.read(AppStateSchema);
  let current: AppState = read.kind === 'ok' ? read.value : {};
  return {
    get: () => current,
    async update(patch) {
      const next = { ...current, ...patch };
      await doc.write(next);
      current = next;
    },
  };
}
