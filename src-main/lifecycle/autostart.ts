// Start at login. macOS and Windows keep login items for the app; Linux desktops read an XDG autostart
// entry, which the app writes and removes itself.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface LoginItemsApp {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export interface Autostart {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

/** The flag a login launch carries, so the app starts in the tray without opening its window. */
export const HIDDEN_FLAG = '--hidden';

export function loginItemAutostart(app: LoginItemsApp): Autostart {
  return {
    isEnabled: async () => app.getLoginItemSettings().openAtLogin,
    setEnabled: async (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] }),
  };
}

/** The XDG desktop entry; `exec` is quoted as the Desktop Entry spec asks. */
export function linuxDesktopEntry(exec: string): string {
  const quoted = /[\s"'\\$`]/.test(exec) ? `"${exec.replace(/(["`$\\])/g, '\\$1')}"` : exec;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchyard',
    'Comment=Local gateway for Claude Code',
    `Exec=${quoted} ${HIDDEN_FLAG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function xdgAutostart(configHome: string, exec: string, exists: (path: string) => boolean): Autostart {
  const file = join(configHome, 'autostart', 'switchyard.desktop');
  return {
    isEnabled: async () => exists(file),
    async setEnabled(enabled) {
      if (!enabled) return rm(file, { force: true });
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, linuxDesktopEntry(exec));
    },
  };
}
