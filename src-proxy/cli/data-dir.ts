import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user data folder, the same one the desktop app uses (Electron's `userData` for "Switchyard"),
 * so headless and desktop runs share settings and accounts.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.SWITCHYARD_DATA_DIR) return env.SWITCHYARD_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchyard');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchyard');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Switchyard');
}
