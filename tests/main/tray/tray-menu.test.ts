// The tray menu for each state, as a user reads it.

import { describe, expect, it, vi } from 'vitest';
import type { GatewayStatus } from '../../../src-proxy/contract/index.js';
import { buildTrayMenu, trayTooltip, type TrayActions, type TrayState } from '../../../src-main/tray/tray-menu.js';
import { allTrayImageFiles, trayImageFile, trayPlatform } from '../../../src-main/tray/tray-images.js';

const running: GatewayStatus = { running: true, host: '127.0.0.1', port: 8045, url: 'http://127.0.0.1:8045', started_at: 1, last_error: null };
const stopped: GatewayStatus = { running: false, host: '127.0.0.1', port: 8045, url: null, started_at: null, last_error: null };

function actions(): TrayActions {
  return { toggleGateway: vi.fn(), copyClaudeSetup: vi.fn(), openConsole: vi.fn(), setOpenAtLogin: vi.fn(), quit: vi.fn() };
}

const labels = (state: TrayState) =>
  buildTrayMenu(state, actions()).map((i) =>
    i.type === 'separator' ? '---' : `${i.label}${i.enabled === false ? ' (disabled)' : ''}${i.checked ? ' [x]' : ''}`,
  );

describe('buildTrayMenu', () => {
  it('shows whether Claude Code uses Switchyard as a checkbox that toggles it, once that is known', () => {
    const a = { ...actions(), toggleClaudeCode: vi.fn() };
    const item = (claudeCodeConnected: boolean | null) =>
      buildTrayMenu({ status: running, openAtLogin: false, canOpenAtLogin: false, claudeCodeConnected }, a).find(
        (i) => i.label === 'Claude Code uses Switchyard',
      );
    expect(item(null)).toBeUndefined();
    expect(item(false)).toMatchObject({ type: 'checkbox', checked: false });
    item(true)!.click!();
    expect(a.toggleClaudeCode).toHaveBeenCalledOnce();
  });

  it.each([
    [
      'running',
      { status: running, openAtLogin: true, canOpenAtLogin: true },
      [
        'Switchyard: running on 127.0.0.1:8045 (disabled)',
        '---',
        'Stop gateway',
        'Copy Claude Code setup',
        'Open console',
        '---',
        'Start at login [x]',
        '---',
        'Quit Switchyard',
      ],
    ],
    [
      'stopped',
      { status: stopped, openAtLogin: false, canOpenAtLogin: true },
      [
        'Switchyard: stopped (disabled)',
        '---',
        'Start gateway',
        'Copy Claude Code setup (disabled)',
        'Open console',
        '---',
        'Start at login',
        '---',
        'Quit Switchyard',
      ],
    ],
    [
      'stopped after a failed start',
      { status: { ...stopped, last_error: 'port_in_use' as const }, openAtLogin: false, canOpenAtLogin: false },
      [
        'Switchyard: stopped (disabled)',
        'Could not start: the port is in use (disabled)',
        '---',
        'Start gateway',
        'Copy Claude Code setup (disabled)',
        'Open console',
        '---',
        'Quit Switchyard',
      ],
    ],
    [
      'on macOS, when the login item waits for approval',
      { status: stopped, openAtLogin: false, canOpenAtLogin: true, openAtLoginProblem: 'needs_approval' as const },
      [
        'Switchyard: stopped (disabled)',
        '---',
        'Start gateway',
        'Copy Claude Code setup (disabled)',
        'Open console',
        '---',
        'Start at login',
        'Allow Switchyard in System Settings › Login Items (disabled)',
        '---',
        'Quit Switchyard',
      ],
    ],
  ])('%s', (_name, state, expected) => {
    expect(labels(state)).toEqual(expected);
  });

  it('wires each item to its action', () => {
    const a = actions();
    const menu = buildTrayMenu({ status: running, openAtLogin: false, canOpenAtLogin: true }, a);
    for (const item of menu) item.click?.();
    expect(a.toggleGateway).toHaveBeenCalledOnce();
    expect(a.copyClaudeSetup).toHaveBeenCalledOnce();
    expect(a.openConsole).toHaveBeenCalledOnce();
    expect(a.setOpenAtLogin).toHaveBeenCalledWith(true);
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('says where it runs in the tooltip', () => {
    expect(trayTooltip({ status: running, openAtLogin: false, canOpenAtLogin: false })).toBe('Switchyard: running on 127.0.0.1:8045');
  });
});

describe('tray images', () => {
  it.each([
    ['darwin', true, 'trayTemplate.png'],
    ['darwin', false, 'trayStoppedTemplate.png'],
    ['win32', true, 'tray.ico'],
    ['win32', false, 'tray-stopped.ico'],
    ['linux', true, 'tray.png'],
    ['freebsd', false, 'tray-stopped.png'],
  ])('%s, running %s: %s', (platform, isRunning, file) => {
    expect(trayImageFile(trayPlatform(platform), isRunning)).toBe(file);
  });

  it('lists every image once', () => {
    expect(new Set(allTrayImageFiles()).size).toBe(6);
  });
});
