// Applied to every webContents the app creates (on `web-contents-created`), not just the main window:
// no navigation away from the console, no new windows (http(s) links open in the system browser), no
// <webview>, and every permission refused but one: the console's own main frame may write text to the
// clipboard (its Copy buttons use navigator.clipboard.writeText, which asks for it).

import { externalUrl, isAppUrl } from './app-origin.js';

interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** What Electron tells the handlers about the page asking (PermissionRequest, PermissionCheckHandlerHandlerDetails). */
export interface PermissionDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
}
export type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionDetails) => void;
export type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string, details: PermissionDetails) => boolean;

export interface SessionLike {
  setPermissionRequestHandler(handler: PermissionRequestHandler): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler): void;
}

export function applyWebContentsPolicy(contents: WebContentsLike, openExternal: (url: string) => void): void {
  const stayInApp = (event: PreventableEvent, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    const external = externalUrl(url);
    if (external) openExternal(external);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
}

/** What the console may do with the clipboard: write text, as a user's click on Copy asks. Never read it. */
const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

/** The one permission granted: clipboard writes from the console's own main frame. */
export function permissionAllowed(permission: string, pageUrl: string | undefined, isMainFrame: boolean | undefined): boolean {
  return permission === CLIPBOARD_WRITE && isMainFrame === true && pageUrl !== undefined && isAppUrl(pageUrl);
}

/** The console needs no camera, notification, clipboard-read or any other web permission. */
export function applyPermissionPolicy(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl, details.isMainFrame)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
}
