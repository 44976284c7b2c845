// The application menu. Electron's default one carries Reload, Force Reload and Toggle Developer Tools,
// in packaged builds too, so the app sets its own: on macOS the app menu (About, Hide, Quit) and the
// Edit menu, without which Cmd+C and Cmd+V do nothing in the console's fields; elsewhere none at all
// (Chromium handles the editing shortcuts itself there).

/** A menu entry Electron fills in by its role. */
export interface AppMenuItem {
  role: 'appMenu' | 'editMenu';
}

export function applicationMenu(platform: string): AppMenuItem[] | null {
  return platform === 'darwin' ? [{ role: 'appMenu' }, { role: 'editMenu' }] : null;
}
