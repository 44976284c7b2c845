// The console is served from a privileged custom scheme, not file://, so it has an origin of its own that
// IPC handlers and navigation rules can check exactly.

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchyard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const CONSOLE_URL = `${APP_ORIGIN}/index.html`;

/** True for pages of the app's own console and nothing else (no other host, scheme or port). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** A link the console may open in the system browser: http(s) only, no credentials in it. */
export function externalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return null;
    return u.href;
  } catch {
    return null;
  }
}
