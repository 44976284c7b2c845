// Whether a tray icon can be seen at all. On Linux, Electron's tray is a StatusNotifierItem, shown by a
// host on the session bus (KDE, Cinnamon, XFCE, most bars; GNOME only with the AppIndicator extension).
// Without one Electron falls back to an XEmbed icon, which only an X11 tray shows and GNOME never does.
// Electron does not say whether the icon appeared, so the app asks the session bus itself, with the
// D-Bus command-line tools every desktop carries.

import { execFile } from 'node:child_process';

export interface DesktopSession {
  XDG_CURRENT_DESKTOP?: string;
  XDG_SESSION_TYPE?: string;
  WAYLAND_DISPLAY?: string;
}

/**
 * True unless it is known that no tray icon will be seen: on Linux with no StatusNotifier host, on GNOME
 * or under Wayland (where no XEmbed tray exists). When the bus could not be asked, the tray is assumed.
 */
export function trayShown(platform: string, session: DesktopSession, watcher: boolean | null): boolean {
  if (platform !== 'linux' || watcher !== false) return true;
  const gnome = (session.XDG_CURRENT_DESKTOP ?? '').split(':').some((d) => d.toUpperCase() === 'GNOME');
  const wayland = session.XDG_SESSION_TYPE === 'wayland' || session.WAYLAND_DISPLAY !== undefined;
  return !gnome && !wayland;
}

export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

/** The same question to the bus with either tool, and how to read its answer. */
const PROBES: ReadonlyArray<{ command: string; args: string[]; read(out: string): boolean | null }> = [
  {
    command: 'gdbus',
    args: [
      'call',
      '--session',
      '--dest',
      'org.freedesktop.DBus',
      '--object-path',
      '/org/freedesktop/DBus',
      '--method',
      'org.freedesktop.DBus.NameHasOwner',
      STATUS_NOTIFIER_WATCHER,
    ],
    read: (out) => (/\(true,?\)/.test(out) ? true : /\(false,?\)/.test(out) ? false : null),
  },
  {
    command: 'dbus-send',
    args: [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${STATUS_NOTIFIER_WATCHER}`,
    ],
    read: (out) => (/boolean true/.test(out) ? true : /boolean false/.test(out) ? false : null),
  },
];

export type CommandRunner = (command: string, args: string[]) => Promise<string>;

/** Runs a command for its output, giving up after two seconds. */
export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 2000, encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });

/** Whether a StatusNotifier host owns its name on the session bus; null when neither tool could ask. */
export async function hasStatusNotifierWatcher(run: CommandRunner = runCommand): Promise<boolean | null> {
  for (const probe of PROBES) {
    try {
      const answer = probe.read(await run(probe.command, probe.args));
      if (answer !== null) return answer;
    } catch {
      // That tool is missing or the bus did not answer it; try the other.
    }
  }
  return null;
}
