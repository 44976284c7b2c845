// The desktop app against the Electron it is built for: bundles compiled for that Electron's Node and
// Chromium, an install that never fetches Electron's binary, the app's name as Electron derives it, a
// menu without developer entries, and none of the APIs Electron has removed or deprecated.

import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src-proxy/lib/data-dir.js';
import { applicationMenu } from '../../src-main/security/application-menu.js';
import { loadBuilderConfig, root } from './builder-config.js';

const require = createRequire(import.meta.url);

interface PackageJson {
  name: string;
  productName?: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;
const ownPackage = () => readJson<PackageJson>(join(root, 'package.json'));
const electronPackage = () => readJson<PackageJson>(require.resolve('electron/package.json'));
const major = (version: string) => Number(/(\d+)/.exec(version)![1]);

describe('Electron', () => {
  it('is a current major (only the three newest get security fixes), and electron-builder a 26.x', async () => {
    const electron = await electronPackage();
    expect(major(electron.version)).toBeGreaterThanOrEqual(45);
    expect((await ownPackage()).devDependencies!['electron-builder']).toMatch(/^\^26\./);
  });

  it('the bundles target its Node and its Chromium', async () => {
    const electron = await electronPackage();
    const { ELECTRON_NODE_TARGET, ELECTRON_CHROME_TARGET } = (await import(pathToFileURL(join(root, 'scripts', 'electron-targets.mjs')).href)) as Record<
      string,
      string
    >;
    // The Node types Electron ships name its Node major; its Chromium is the one every other Chromium
    // release pairs with (Electron 40: 144, 44: 152, 45: 154).
    expect(ELECTRON_NODE_TARGET).toBe(`node${major(electron.dependencies!['@types/node']!)}`);
    expect(ELECTRON_CHROME_TARGET).toBe(`chrome${2 * major(electron.version) + 64}`);
    expect(major((await ownPackage()).devDependencies!['@types/node']!)).toBe(major(electron.dependencies!['@types/node']!));
  });

  it('is installed without its binary: nothing in the package downloads at install time', async () => {
    const electron = await electronPackage();
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(electron.scripts?.[hook], hook).toBeUndefined();
    const lock = await readJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>(join(root, 'package-lock.json'));
    expect(lock.packages['node_modules/electron']?.hasInstallScript).toBeUndefined();
  });

  it('npm start fetches it first, and says what to do when it cannot', async () => {
    expect((await ownPackage()).scripts!.start).toBe('node scripts/ensure-electron.mjs && npm run build && electron .');
  });
});

describe('the app’s name', () => {
  it('is Switchyard, the name of the profile folder the data folder shares (productName wins over name)', async () => {
    const pkg = await ownPackage();
    const { config } = await loadBuilderConfig();
    expect(pkg.productName).toBe('Switchyard');
    expect(config.productName).toBe(pkg.productName);
    expect(basename(defaultDataDir({}, 'linux', '/home/u'))).toBe(pkg.productName ?? pkg.name);
  });
});

describe('the application menu', () => {
  it.each(['darwin', 'win32', 'linux'])('on %s has no Reload, no developer tools, no View menu', (platform) => {
    const menu = applicationMenu(platform);
    if (platform !== 'darwin') return expect(menu).toBeNull();
    // macOS keeps its app menu (Quit) and the Edit menu (copy and paste in the console's fields).
    expect(menu).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }]);
  });
});

/** Every source file of the desktop app. */
async function desktopSources(): Promise<Array<{ file: string; text: string }>> {
  const dir = join(root, 'src-main');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts'));
  return Promise.all(files.map(async (f) => ({ file: `src-main/${f}`, text: await readFile(join(dir, f), 'utf8') })));
}

describe('no API Electron removed or deprecated', () => {
  const GONE: Array<[RegExp, string]> = [
    [/\bopenAsHidden\b/, 'removed in Electron 44 (macOS 12 only)'],
    [/\bwasOpenedAsHidden\b/, 'removed in Electron 44'],
    [/\brestoreState\b/, 'removed in Electron 44'],
    [/\bisUnityRunning\b/, 'removed in Electron 44'],
    [/\.isEncryptionAvailable\(/, 'deprecated in Electron 45: isAsyncEncryptionAvailable'],
    [/\.encryptString\(/, 'deprecated in Electron 45: encryptStringAsync'],
    [/\.decryptString\(/, 'deprecated in Electron 45: decryptStringAsync'],
    [/\bwriteText\([^)]*\)\s*;/, 'a Promise since Electron 44: await or catch it'],
  ];

  it('in the desktop app’s sources', async () => {
    const uses = (await desktopSources()).flatMap(({ file, text }) => GONE.filter(([re]) => re.test(text)).map(([re, why]) => `${file}: ${re} (${why})`));
    expect(uses).toEqual([]);
  });

  it('nor ELECTRON_SKIP_BINARY_DOWNLOAD, which Electron 42 dropped, in CI, the package or the docs', async () => {
    for (const file of ['.ci/run', 'package.json', 'README.md', 'electron-builder.yml']) {
      expect(await readFile(join(root, file), 'utf8'), file).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    }
  });
});
