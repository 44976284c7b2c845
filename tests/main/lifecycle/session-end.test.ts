// Windows logoff and shutdown: the quit begins when Windows asks, the session end waits for it unless it
// is forced, and the app exits once the core has shut down.

import { describe, expect, it } from 'vitest';
import { QuitPolicy } from '../../../src-main/lifecycle/quit-policy.js';
import { quitWithSession } from '../../../src-main/lifecycle/session-end.js';
import { FakeHiddenWindow } from '../helpers/fake-electron.js';

function setup() {
  let finish: () => void = () => undefined;
  const shutdowns: number[] = [];
  const exits: number[] = [];
  const quit = new QuitPolicy({
    shutdown: (graceMs) => {
      shutdowns.push(graceMs);
      return new Promise<void>((resolve) => (finish = resolve));
    },
    exit: (code) => exits.push(code),
  });
  const window = new FakeHiddenWindow();
  quitWithSession(window, quit);
  return { window, quit, shutdowns, exits, finish: () => finish() };
}

describe('quitWithSession', () => {
  it.each([['logoff'], ['shutdown'], ['close-app']])('a %s: the quit begins and the session end waits for it', async (reason) => {
    const { window, quit, shutdowns, exits, finish } = setup();
    expect(window.querySessionEnd([reason])).toBe(true);
    expect(quit.isQuitting).toBe(true);
    expect(shutdowns).toEqual([5000]);
    finish();
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([0]);
    expect(quit.isDone).toBe(true);
    // Asked again after the quit is done, it holds nothing back.
    expect(window.querySessionEnd([reason])).toBe(false);
  });

  it('a forced end is not held back, but the quit still begins', () => {
    const { window, quit, shutdowns } = setup();
    expect(window.querySessionEnd(['logoff', 'critical'])).toBe(false);
    expect(quit.isQuitting).toBe(true);
    expect(shutdowns).toHaveLength(1);
  });

  it('the end of the session begins the quit if the query did not, and only once', () => {
    const { window, shutdowns } = setup();
    window.sessionEnd();
    window.querySessionEnd();
    window.sessionEnd();
    expect(shutdowns).toHaveLength(1);
  });
});
