// Start at login. macOS and Windows keep login items for the app; Linux desktops read an XDG autostart
// entry, which the app writes and removes itself. A login launch opens no window: Windows and Linux pass
// the app a flag, macOS says so itself (`wasOpenedAtLogin`; login items take no arguments there).

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Windows only: which executable and arguments a login item is, set and read back alike. */
export interface LoginItemTarget {
  path: string;
  args: string[];
}

export interface LoginItemsApp {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin?: boolean; status?: string };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

/** Why a login item the user asked for is not in place, when the system says. */
export type AutostartProblem = 'needs_approval' | 'not_taken';

export interface AutostartState {
  enabled: boolean;
  problem: AutostartProblem | null;
}

export interface Autostart {
  state(): Promise<AutostartState>;
  /** Asks for it and answers what the system then reports. */
  setEnabled(enabled: boolean): Promise<AutostartState>;
}

/** The flag a login launch carries on Windows and Linux, so the app starts in the tray without its window. */
export const HIDDEN_FLAG = '--hidden';

/**
 * How this app is started again: the executable, and the app folder when that executable is a bare
 * Electron (`electron .`). Inside an AppImage, the executable sits in a mount that is gone after the
 * run; the AppImage file itself (APPIMAGE) is what starts it.
 */
export function launchCommand(p: { execPath: string; isPackaged: boolean; appPath: string; appImage: string | undefined }): LoginItemTarget {
  if (p.appImage) return { path: p.appImage, args: [] };
  return { path: p.execPath, args: p.isPackaged ? [] : [p.appPath] };
}

/** Windows: a Run entry for the app with the hidden flag, read back with the same path and arguments (or Electron reads it as off). */
export function windowsLoginItem(app: LoginItemsApp, launch: LoginItemTarget): Autostart {
  const target = { path: launch.path, args: [...launch.args, HIDDEN_FLAG] };
  const state = async (): Promise<AutostartState> => ({ enabled: app.getLoginItemSettings(target).openAtLogin, problem: null });
  return {
    state,
    async setEnabled(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled, ...target });
      return state();
    },
  };
}

/**
 * macOS: the app's own login item. Registration needs a signed, notarized app and, the first time, the
 * user's approval in System Settings; a refused one reads back as off, and the user is told why.
 */
export function macLoginItem(app: LoginItemsApp): Autostart {
  const read = (): AutostartState => {
    const s = app.getLoginItemSettings();
    return { enabled: s.openAtLogin, problem: s.status === 'requires-approval' ? 'needs_approval' : null };
  };
  return {
    state: async () => read(),
    async setEnabled(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled });
      const after = read();
      return enabled && !after.enabled && after.problem === null ? { ...after, problem: 'not_taken' } : after;
    },
  };
}

/** Whether this launch is a login launch: macOS says so, elsewhere the login item passes the flag. */
export function launchedAtLogin(platform: string, argv: readonly string[], app: LoginItemsApp): boolean {
  if (platform === 'darwin') return app.getLoginItemSettings().wasOpenedAtLogin === true;
  return argv.includes(HIDDEN_FLAG);
}

/** One argument of an Exec line, quoted as the Desktop Entry spec asks when it needs to be. */
function execArgument(arg: string): string {
  return /[\s"'\\$`]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg;
}

/** The XDG desktop entry that starts `launch` hidden. */
export function linuxDesktopEntry(launch: LoginItemTarget): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchyard',
    'Comment=Local gateway for Claude Code',
    `Exec=${[launch.path, ...launch.args, HIDDEN_FLAG].map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function xdgAutostart(configHome: string, launch: LoginItemTarget, exists: (path: string) => boolean): Autostart {
  const file = join(configHome, 'autostart', 'switchyard.desktop');
  const state = async (): Promise<AutostartState> => ({ enabled: exists(file), problem: null });
  return {
    state,
    async setEnabled(enabled) {
      if (!enabled) await rm(file, { force: true });
      else {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, linuxDesktopEntry(launch));
      }
      return state();
    },
  };
}
