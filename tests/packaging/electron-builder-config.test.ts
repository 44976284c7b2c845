// electron-builder.yml as electron-builder itself reads it: valid against its own schema, naming files
// that exist in the formats and sizes each platform needs, with the fuses and the file list the
// desktop app relies on. Building an installer needs an Electron download; this checks everything short of that.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trayImageFile, type TrayPlatform } from '../../src-main/tray/tray-images.js';
import { loadBuilderConfig, root, validateBuilderConfig, type BuilderConfig } from './builder-config.js';
import { readIcns, readIco, readPng } from './image-files.js';

const PLATFORM_SECTIONS: Record<TrayPlatform, 'mac' | 'win' | 'linux'> = { darwin: 'mac', win32: 'win', linux: 'linux' };

/** The tray files a platform loads: both states, and for macOS the @2x twin that Electron picks up by name. */
function trayFilesFor(platform: TrayPlatform): string[] {
  const files = [trayImageFile(platform, true), trayImageFile(platform, false)];
  return platform === 'darwin' ? files.flatMap((f) => [f, f.replace(/\.png$/, '@2x.png')]) : files;
}

// Whether electron-builder's `files` list takes a path: some pattern includes it and no `!` pattern
// excludes it. The list uses three forms only (`folder/**`, `**/*.ext`, an exact path); anything else
// fails the test below rather than being guessed at.
const PATTERN_FORMS = /^!?([a-z_-]+\/)*(\*\*|\*\*\/\*\.[a-z]+|[a-z.-]+)$/;
function matches(pattern: string, path: string): boolean {
  if (pattern.startsWith('**/*.')) return path.endsWith(pattern.slice(4));
  if (pattern.endsWith('/**')) return path.startsWith(pattern.slice(0, -2));
  return pattern === path;
}
function covered(patterns: string[], path: string): boolean {
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return patterns.some((p) => !p.startsWith('!') && matches(p, path)) && !excludes.some((p) => matches(p, path));
}

const pick = ({ width, height }: { width: number; height: number }) => ({ width, height });

let config: BuilderConfig;

beforeAll(async () => {
  const found = await loadBuilderConfig();
  expect(found.file).toBe(join(root, 'electron-builder.yml'));
  config = found.config;
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await expect(validateBuilderConfig(structuredClone(config))).resolves.toBeUndefined();
  });

  it('would be rejected by that schema with a misspelt option (the check bites)', async () => {
    const misspelt = structuredClone(config);
    misspelt.mac = { ...misspelt.mac, hardenedRuntme: true };
    await expect(validateBuilderConfig(misspelt)).rejects.toThrow(/configuration\.mac/);
  });

  it('names the app', () => {
    expect(config.appId).toBe('dev.switchyard.app');
    expect(config.productName).toBe('Switchyard');
    expect(config.directories.buildResources).toBe('assets');
  });

  it('sets every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('packs the built bundles, the console and package.json, and nothing else', async () => {
    for (const pattern of config.files) expect(pattern).toMatch(PATTERN_FORMS);
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/index.cjs');
    for (const path of [pkg.main, 'dist/preload/index.cjs', 'dist/renderer/index.html', 'package.json']) expect(covered(config.files, path), path).toBe(true);
    for (const path of [
      'src-main/index.ts',
      'src-proxy/cli/index.ts',
      'tests/packaging/image-files.ts',
      'dist/cli/index.mjs',
      'scripts/build.mjs',
      'assets/icon.png',
      'dist/main/index.cjs.map',
      'dist/preload/index.cjs.map',
      'node_modules/undici/index.js',
    ])
      expect(covered(config.files, path), path).toBe(false);
  });

  it('holds no signing secret: certificates and passwords come from the environment', async () => {
    const text = await readFile(join(root, 'electron-builder.yml'), 'utf8');
    const keys = [...JSON.stringify(config).matchAll(/"([A-Za-z]+)":/g)].map((m) => m[1]!);
    expect(keys.filter((k) => /password|cscLink|certificateFile|certificateSha1|apiKey|appleId|azureSign/i.test(k))).toEqual([]);
    // Environment variable names may be mentioned in comments, never given values.
    expect(text).not.toMatch(/^\s*(CSC_|WIN_CSC_|APPLE_)[A-Z_]*\s*[:=]/m);
  });
});

describe('macOS', () => {
  it('builds a dmg and a zip, hardened, notarised when the environment provides the credentials, without a Dock icon', () => {
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    // Electron 44 and later need macOS 13.
    expect(config.mac.minimumSystemVersion).toBe('13.0');
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
  });

  it('signs the app and its helpers with entitlements that allow only JIT', async () => {
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    const plist = await readFile(join(root, config.mac.entitlements), 'utf8');
    expect(plist).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
    expect([...plist.matchAll(/<key>/g)]).toHaveLength(1);
  });

  it('has an .icns with every size from 16 to 1024 px, each PNG the size its type says', async () => {
    const elements = readIcns(await readFile(join(root, config.mac.icon)));
    const expected: Record<string, number> = { icp4: 16, icp5: 32, ic11: 32, ic12: 64, ic07: 128, ic08: 256, ic13: 256, ic09: 512, ic14: 512, ic10: 1024 };
    expect(elements.map((e) => e.type).sort()).toEqual(Object.keys(expected).sort());
    for (const { type, data } of elements) expect({ type, ...pick(readPng(data)) }).toEqual({ type, width: expected[type], height: expected[type] });
  });
});

describe('Windows', () => {
  it('builds an NSIS installer', () => {
    expect(config.win.target).toEqual(['nsis']);
  });

  it('has a multi-size .ico up to the 256 px the installer needs, each entry the size it claims', async () => {
    const entries = readIco(await readFile(join(root, config.win.icon)));
    expect(entries.map((e) => e.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const e of entries) expect([e.width, e.height]).toEqual([e.listedWidth, e.listedHeight]);
    expect(entries.find((e) => e.width === 256)?.format).toBe('png');
  });
});

describe('Linux', () => {
  it('builds an AppImage and a deb, with the fields a deb needs', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
    expect(config.linux.maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^@\s]+>$/);
  });

  it('keeps the sandbox on wherever it can: the AppImage entry adds no --no-sandbox, the deb keeps its AppArmor profile', () => {
    // Left unset, electron-builder's AppImage desktop entry starts the app with --no-sandbox everywhere.
    expect(config.appImage).toEqual({ executableArgs: [] });
    // The deb's own after-install script and AppArmor profile are electron-builder's, which grant the
    // user namespaces Ubuntu 23.10 and later restrict.
    const deb = (config.deb ?? {}) as Record<string, unknown>;
    for (const section of [config.linux, deb]) {
      expect(section).not.toHaveProperty('afterInstall');
      expect(section).not.toHaveProperty('appArmorProfile');
    }
  });

  it('has a 1024 px PNG icon', async () => {
    expect(pick(readPng(await readFile(join(root, config.linux.icon))))).toEqual({ width: 1024, height: 1024 });
  });
});

describe.each(Object.keys(PLATFORM_SECTIONS) as TrayPlatform[])('tray images for %s', (platform) => {
  const section = () => config[PLATFORM_SECTIONS[platform]];

  it('are copied to resources/tray, exactly the files src-main loads there', () => {
    expect(section().extraResources).toEqual([{ from: 'assets/tray', to: 'tray', filter: trayFilesFor(platform) }]);
  });

  it('exist in the format and sizes the platform needs', async () => {
    for (const name of trayFilesFor(platform)) {
      const bytes = await readFile(join(root, 'assets', 'tray', name));
      if (platform === 'win32') {
        const sizes = readIco(bytes).map((e) => e.width);
        expect(sizes, name).toEqual(expect.arrayContaining([16, 20, 24, 32]));
      } else {
        const expected = platform === 'darwin' ? (name.includes('@2x') ? 32 : 16) : 32;
        expect(pick(readPng(bytes)), name).toEqual({ width: expected, height: expected });
      }
    }
  });
});

describe('the built bundles (after npm run build)', () => {
  it.each(['dist/main/index.cjs', 'dist/preload/index.cjs'])('%s exists and leaves electron to the runtime', async (bundle) => {
    const path = join(root, bundle);
    expect(existsSync(path), `${bundle} is missing: run npm run build`).toBe(true);
    const code = await readFile(path, 'utf8');
    expect(code).toContain('require("electron")');
    // The npm package `electron` only locates the binary; bundled, it would throw on start-up.
    expect(code).not.toContain('Electron failed to install correctly');
    expect(code).not.toContain('path.txt');
  });
});
