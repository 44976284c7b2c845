// The tray menu as a plain data model, built from the state alone, so it is rebuilt whole on every
// change (Linux trays only pick up a changed menu when it is set again) and tested without Electron.

import type { ControlErrorCode, GatewayStatus } from '../../src-proxy/contract/index.js';
import type { AutostartProblem } from '../lifecycle/autostart.js';

export interface TrayState {
  status: GatewayStatus;
  openAtLogin: boolean;
  /** False where the platform offers no login items the app can set. */
  canOpenAtLogin: boolean;
  /** Why the login item the user asked for is not in place, when the system says. */
  openAtLoginProblem?: AutostartProblem | null;
  /** Whether Claude Code's user settings point at this gateway; the item is left out while unknown. */
  claudeCodeConnected?: boolean | null;
}

export interface TrayActions {
  toggleGateway(): void;
  copyClaudeSetup(): void;
  /** Connects Claude Code's user settings, or puts them back when they are connected. */
  toggleClaudeCode?(): void;
  openConsole(): void;
  setOpenAtLogin(enabled: boolean): void;
  quit(): void;
}

/** The subset of Electron's MenuItemConstructorOptions the tray uses. */
export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
}

const LOGIN_ITEM_PROBLEM: Readonly<Record<AutostartProblem, string>> = {
  needs_approval: 'Allow Switchyard in System Settings › Login Items',
  not_taken: 'Not taken: start at login needs a signed, notarized app',
};

const START_FAILURE: Readonly<Partial<Record<ControlErrorCode, string>>> = {
  port_in_use: 'the port is in use',
  insecure_bind: 'LAN access needs authentication on',
  listen_failed: 'the address cannot be used',
};

export function trayTooltip({ status }: TrayState): string {
  return status.running ? `Switchyard: running on ${status.host}:${status.port}` : 'Switchyard: stopped';
}

export function buildTrayMenu(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const { status } = state;
  const items: TrayMenuItem[] = [{ label: trayTooltip(state), enabled: false }];
  if (!status.running && status.last_error) {
    items.push({ label: `Could not start: ${START_FAILURE[status.last_error] ?? 'see the console'}`, enabled: false });
  }
  items.push(
    { type: 'separator' },
    { label: status.running ? 'Stop gateway' : 'Start gateway', click: actions.toggleGateway },
    { label: 'Copy Claude Code setup', enabled: status.running, click: actions.copyClaudeSetup },
  );
  if (typeof state.claudeCodeConnected === 'boolean' && actions.toggleClaudeCode) {
    items.push({ label: 'Claude Code uses Switchyard', type: 'checkbox', checked: state.claudeCodeConnected, click: actions.toggleClaudeCode });
  }
  items.push({ label: 'Open console', click: actions.openConsole }, { type: 'separator' });
  if (state.canOpenAtLogin) {
    items.push({ label: 'Start at login', type: 'checkbox', checked: state.openAtLogin, click: () => actions.setOpenAtLogin(!state.openAtLogin) });
    if (state.openAtLoginProblem) items.push({ label: LOGIN_ITEM_PROBLEM[state.openAtLoginProblem], enabled: false });
    items.push({ type: 'separator' });
  }
  items.push({ label: 'Quit Switchyard', click: actions.quit });
  return items;
}
