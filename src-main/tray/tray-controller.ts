// Keeps the tray in step with the gateway: image, tooltip and menu are set again from the state on every
// status or login-item change.

import type { TrayActions, TrayMenuItem, TrayState } from './tray-menu.js';
import { buildTrayMenu, trayTooltip } from './tray-menu.js';

export interface TrayLike {
  setImage(path: string): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
}

export interface TrayControllerDeps {
  tray: TrayLike;
  /** Electron's Menu.buildFromTemplate, or a test double. */
  buildMenu(template: TrayMenuItem[]): unknown;
  imageFor(running: boolean): string;
  actions: TrayActions;
}

export class TrayController {
  private state: TrayState | null = null;

  constructor(private readonly deps: TrayControllerDeps) {}

  update(next: TrayState): void {
    const { tray, buildMenu, imageFor, actions } = this.deps;
    if (this.state?.status.running !== next.status.running) tray.setImage(imageFor(next.status.running));
    this.state = next;
    tray.setToolTip(trayTooltip(next));
    tray.setContextMenu(buildMenu(buildTrayMenu(next, actions)));
  }

  get current(): TrayState | null {
    return this.state;
  }
}
