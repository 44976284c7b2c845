// Windows logoff and shutdown. Electron emits no `before-quit` then; it tells the app's windows instead:
// `query-session-end` while the session may still wait, `session-end` when it is over, after which
// Electron leaves at once. So the quit begins at the query, and the session end waits for it (the
// streams in flight get the quit's few seconds of grace; the app then exits and Windows goes on). A
// forced end ('critical') cannot wait; the quit still begins.

import type { QuitPolicy } from './quit-policy.js';

/** Electron's WindowSessionEndEvent. */
export interface SessionEndEvent {
  /** 'shutdown', 'close-app', 'critical' or 'logoff'. */
  readonly reasons: readonly string[];
  preventDefault(): void;
}

/** A window Windows sends its session-end messages to (Electron's BaseWindow and BrowserWindow). */
export interface SessionEndSource {
  on(event: 'query-session-end', listener: (event: SessionEndEvent) => void): unknown;
  on(event: 'session-end', listener: (event: SessionEndEvent) => void): unknown;
}

export function quitWithSession(source: SessionEndSource, quit: QuitPolicy): void {
  source.on('query-session-end', (event) => {
    quit.begin();
    if (!quit.isDone && !event.reasons.includes('critical')) event.preventDefault();
  });
  source.on('session-end', () => quit.begin());
}
