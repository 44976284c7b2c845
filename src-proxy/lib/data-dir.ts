import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user data folder. It is also the desktop app's profile folder (Electron's `userData` for
 * "Switchyard"); the desktop keeps its own stores in a subfolder and, on its first launch, copies in
 * the settings, accounts and keys it finds here.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.SWITCHYARD_DATA_DIR) return env.SWITCHYARD_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchyard');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchyard');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Switchyard');
}
