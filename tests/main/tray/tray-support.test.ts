// Whether the tray icon will be seen, from the session bus's answer and the desktop session: only a
// known absence counts, so a desktop that cannot be asked keeps the tray behaviour.

import { describe, expect, it } from 'vitest';
import { hasStatusNotifierWatcher, STATUS_NOTIFIER_WATCHER, trayShown, type CommandRunner } from '../../../src-main/tray/tray-support.js';

describe('trayShown', () => {
  it.each([
    ['macOS', 'darwin', {}, false, true],
    ['Windows', 'win32', {}, null, true],
    ['KDE (a StatusNotifier host)', 'linux', { XDG_CURRENT_DESKTOP: 'KDE', XDG_SESSION_TYPE: 'wayland' }, true, true],
    ['GNOME with the AppIndicator extension', 'linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME', XDG_SESSION_TYPE: 'wayland' }, true, true],
    ['stock GNOME on Wayland', 'linux', { XDG_CURRENT_DESKTOP: 'GNOME', XDG_SESSION_TYPE: 'wayland' }, false, false],
    ['stock GNOME on X11 (no legacy tray either)', 'linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME', XDG_SESSION_TYPE: 'x11' }, false, false],
    ['a Wayland compositor without a host', 'linux', { XDG_CURRENT_DESKTOP: 'sway', WAYLAND_DISPLAY: 'wayland-1' }, false, false],
    ['an X11 desktop that may have a legacy tray', 'linux', { XDG_CURRENT_DESKTOP: 'XFCE', XDG_SESSION_TYPE: 'x11' }, false, true],
    ['a desktop whose bus could not be asked', 'linux', { XDG_CURRENT_DESKTOP: 'GNOME', XDG_SESSION_TYPE: 'wayland' }, null, true],
  ])('%s: %s', (_name, platform, session, watcher, expected) => {
    expect(trayShown(platform, session, watcher)).toBe(expected);
  });
});

describe('hasStatusNotifierWatcher', () => {
  function runner(answers: Record<string, string | Error>): CommandRunner & { asked: string[][] } {
    const asked: string[][] = [];
    const run = async (command: string, args: string[]) => {
      asked.push([command, ...args]);
      const answer = answers[command] ?? Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
      if (answer instanceof Error) throw answer;
      return answer;
    };
    return Object.assign(run, { asked });
  }

  it.each([
    ['gdbus says yes', { gdbus: '(true,)\n' }, true],
    ['gdbus says no', { gdbus: '(false,)\n' }, false],
    ['only dbus-send, yes', { 'dbus-send': 'method return time=1 sender=org.freedesktop.DBus\n   boolean true\n' }, true],
    ['only dbus-send, no', { 'dbus-send': 'method return time=1 sender=org.freedesktop.DBus\n   boolean false\n' }, false],
    ['gdbus cannot reach the bus, dbus-send can', { gdbus: new Error('Cannot autolaunch D-Bus'), 'dbus-send': '   boolean false\n' }, false],
    ['neither tool', {}, null],
    ['an answer neither can read', { gdbus: 'garbage', 'dbus-send': 'garbage' }, null],
  ])('%s: %s', async (_name, answers, expected) => {
    expect(await hasStatusNotifierWatcher(runner(answers))).toBe(expected);
  });

  it('asks the bus whether the watcher name has an owner', async () => {
    const run = runner({ gdbus: '(true,)' });
    await hasStatusNotifierWatcher(run);
    expect(run.asked[0]).toEqual(expect.arrayContaining(['gdbus', '--session', 'org.freedesktop.DBus.NameHasOwner', STATUS_NOTIFIER_WATCHER]));
  });
});
