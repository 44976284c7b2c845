// The AppImage on a system that refuses unprivileged user namespaces (Ubuntu 23.10 and later, through
// AppArmor): Chromium's SUID helper cannot work from the AppImage's mount, so the app must start with
// --no-sandbox there, and only there. electron-builder writes the AppImage's AppRun; this runs the AppRun
// it writes for this app, with a stand-in for the app and for `unshare`, the probe it uses.

import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { generateAppRunScript } = require('app-builder-lib/out/targets/appimage/appImageUtil.js') as {
  generateAppRunScript(config: Record<string, string>): string;
};

let appDir: string;
beforeEach(async () => {
  appDir = await mkdtemp(join(tmpdir(), 'switchyard-apprun-'));
});
afterEach(async () => {
  await rm(appDir, { recursive: true, force: true });
});

/** Runs the AppImage's AppRun with these arguments, where `unshare -Ur true` succeeds or not; answers the app's arguments. */
async function launch(namespacesAllowed: boolean, args: string[]): Promise<string[]> {
  const appRun = generateAppRunScript({
    DesktopFileName: 'switchyard.desktop',
    ExecutableName: 'switchyard',
    ProductName: 'Switchyard',
    ProductFilename: 'Switchyard',
    ResourceName: 'appimagekit-switchyard',
  });
  await writeFile(join(appDir, 'AppRun'), appRun, { mode: 0o755 });
  await writeFile(join(appDir, 'switchyard'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(appDir, 'args')}"\n`, { mode: 0o755 });
  const bin = join(appDir, 'probe-bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'unshare'), `#!/bin/sh\nexit ${namespacesAllowed ? 0 : 1}\n`);
  await chmod(join(bin, 'unshare'), 0o755);
  await promisify(execFile)('bash', [join(appDir, 'AppRun'), ...args], {
    env: { APPDIR: appDir, APPIMAGE: join(appDir, 'Switchyard.AppImage'), PATH: `${bin}:/usr/bin:/bin`, HOME: appDir },
    timeout: 20_000,
  });
  return (await readFile(join(appDir, 'args'), 'utf8')).split('\n').filter(Boolean);
}

describe.skipIf(process.platform === 'win32')("the AppImage's AppRun", () => {
  it('starts the app sandboxed where user namespaces work', async () => {
    expect(await launch(true, ['--hidden'])).toEqual(['--hidden']);
  });

  it('adds --no-sandbox where they are refused, instead of aborting at start', async () => {
    expect(await launch(false, ['--hidden'])).toEqual(['--no-sandbox', '--hidden']);
    expect(await launch(false, [])).toEqual(['--no-sandbox']);
  });
});
