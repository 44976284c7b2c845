// `npm start` runs this before the build and `electron .`. Since Electron 42 the electron package no
// longer downloads its binary at install time but on the first launch, so `npm ci` works on a machine
// that cannot reach Electron's download host, and `npm start` is where the download happens. This
// fetches it once with Electron's own install script, and where that cannot be done says so in one line,
// pointing to the headless gateway, instead of Electron's stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const HEADLESS = 'To run Switchyard without it: npm run serve';
/** A slow link may take minutes for Electron's hundred megabytes; a stalled one is given up on. */
const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

function fail(why) {
  console.error(`npm start: ${why}. ${HEADLESS}`);
  process.exit(1);
}

/** What the electron package itself checks before it launches: path.txt naming a binary that exists. */
function installed(electronDir) {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return true;
  try {
    return existsSync(join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8')));
  } catch {
    return false;
  }
}

/** The first line of what went wrong, without the stack Electron's install script prints. */
function reason(result) {
  if (result.error) return result.error.code === 'ETIMEDOUT' ? 'the download took too long' : result.error.message;
  const line = `${result.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at '));
  if (line === 'TypeError: fetch failed') return 'its download host could not be reached';
  return (line ?? `the install script exited with ${result.status ?? result.signal}`).slice(0, 300);
}

const require = createRequire(join(process.cwd(), 'package.json'));
let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  fail('the electron package is not installed (run npm ci)');
}
if (!installed(electronDir)) {
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  console.log(`Downloading Electron ${version}, once...`);
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: DOWNLOAD_TIMEOUT_MS,
  });
  if (result.status !== 0 || !installed(electronDir)) fail(`the desktop app needs Electron ${version}, which could not be downloaded (${reason(result)})`);
}
