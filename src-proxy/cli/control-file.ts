// How CLI commands find a running `switchyard serve` on the same data folder: the server writes its
// console address and token to `control.json` (readable by the user only) and removes it when it
// stops. Changes then go through the running server, the one writer of the folder's files.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { createHttpControlClient, type ControlClient, type GatewayStatus } from '../contract/index.js';
import { processAlive, readLockHolder } from '../lib/folder-lock.js';
import { reportUnhandled } from '../lib/report.js';
import { writeFileAtomic } from '../lib/json-file.js';

export const CONTROL_FILE = 'control.json';

const ControlFileSchema = z.object({ pid: z.number().int(), url: z.string().url(), token: z.string().min(16) });
export type ControlFile = z.infer<typeof ControlFileSchema>;

export async function writeControlFile(dataDir: string, file: ControlFile): Promise<void> {
  await writeFileAtomic(join(dataDir, CONTROL_FILE), `${JSON.stringify(file)}\n`, 0o600);
}

export async function removeControlFile(dataDir: string): Promise<void> {
  await rm(join(dataDir, CONTROL_FILE), { force: true });
}

async function readControlFile(dataDir: string): Promise<ControlFile | null> {
  try {
    const parsed = ControlFileSchema.safeParse(JSON.parse(await readFile(join(dataDir, CONTROL_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The running server's ControlApi, or null when none answers. The file is trusted only once the other end
 * proves to be the serve that wrote it: its process runs and holds the folder's lock as a serve, and the
 * address answers a status as a serve does. A file left by a crash, or pointing at another program's
 * web server, is not.
 */
export async function connectToRunningServer(dataDir: string): Promise<{ api: ControlClient; file: ControlFile } | null> {
  const file = await readControlFile(dataDir);
  if (!file || !processAlive(file.pid)) return null;
  const holder = await readLockHolder(dataDir);
  if (holder?.role !== 'serve' || holder.pid !== file.pid) return null;
  const api = createHttpControlClient({
    baseUrl: file.url,
    token: file.token,
    timeoutMs: 2000,
    onListenerError: (err) => reportUnhandled('event listener', err),
  });
  try {
    return isGatewayStatus(await api.getStatus()) ? { api, file } : null;
  } catch {
    return null;
  }
}

function isGatewayStatus(v: unknown): boolean {
  const s = v as Partial<GatewayStatus> | null;
  return typeof s === 'object' && s !== null && typeof s.running === 'boolean' && typeof s.host === 'string' && typeof s.port === 'number';
}
