// The console token: what a browser (or the CLI) shows to use /api. Made once, at the first start of
// `serve`, and kept in the data folder readable by the user only, so a bookmarked console URL keeps
// working across restarts; delete the file to make a new one.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../lib/json-file.js';

export const CONSOLE_TOKEN_FILE = 'console-token';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,}$/;

export async function loadOrCreateConsoleToken(dataDir: string): Promise<string> {
  const path = join(dataDir, CONSOLE_TOKEN_FILE);
  try {
    const stored = (await readFile(path, 'utf8')).trim();
    if (TOKEN_SHAPE.test(stored)) return stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFileAtomic(path, `${token}\n`, 0o600);
  return token;
}
