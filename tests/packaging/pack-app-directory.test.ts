// electron-builder run for real on the built bundles, up to an unpacked Linux app: a stand-in Electron
// (a script carrying the fuse wire Electron binaries carry) takes the place of the download, so the
// file list, the resources and the fuse flipping are checked as electron-builder itself applies them.
// Needs `npm run build` first (npm test does it).

import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trayImageFile } from '../../src-main/tray/tray-images.js';
import { loadBuilderConfig, root } from './builder-config.js';

const require = createRequire(import.meta.url);
// The asar reader electron-builder packs with.
const { getRawHeader, extractFile } = createRequire(require.resolve('app-builder-lib'))('@electron/asar') as {
  getRawHeader(archive: string): { header: AsarDirectory };
  extractFile(archive: string, file: string): Buffer;
};
interface AsarDirectory {
  files: Record<string, AsarDirectory | object>;
}

/** Every file path in an asar header, directories walked. */
function asarFiles(dir: AsarDirectory, prefix = ''): string[] {
  return Object.entries(dir.files).flatMap(([name, entry]) =>
    'files' in entry ? asarFiles(entry as AsarDirectory, `${prefix}${name}/`) : [`${prefix}${name}`],
  );
}

// Electron's fuse wire: a sentinel, the wire version (1), the number of fuses, then one byte per fuse,
// '0' off or '1' on, in this order (Electron's build/fuses/fuses.json5; Electron 45 has nine).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
  'wasmTrapHandlers',
] as const;
// What an Electron 45 binary ships with, before packaging flips anything.
const ELECTRON_DEFAULTS = '101100011';

function readFuseWire(binary: Buffer): Record<string, boolean> {
  const at = binary.indexOf(SENTINEL) + SENTINEL.length;
  if (binary[at] !== 1) throw new Error(`unexpected fuse wire version ${binary[at]}`);
  const wire = binary.toString('latin1', at + 2, at + 2 + binary[at + 1]!);
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i] === '1']));
}

let work: string;
let appDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
  const electronDist = join(work, 'electron');
  await mkdir(join(electronDist, 'resources'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(`#!/bin/sh\n# ${SENTINEL}`, 'latin1'),
    Buffer.from([1, ELECTRON_DEFAULTS.length]),
    Buffer.from(`${ELECTRON_DEFAULTS}\n`),
  ]);
  await writeFile(join(electronDist, 'electron'), wire);
  await chmod(join(electronDist, 'electron'), 0o755);

  const electronVersion = (JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  const args = ['--linux', 'dir', '--publish', 'never', '--projectDir', root];
  const overrides = [`electronDist=${electronDist}`, `electronVersion=${electronVersion}`, `directories.output=${join(work, 'out')}`];
  await promisify(execFile)(process.execPath, [cli, ...args, ...overrides.map((o) => `-c.${o}`)], { cwd: root, timeout: 120_000 });
  appDir = join(work, 'out', 'linux-unpacked');
}, 150_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('an unpacked Linux build', () => {
  it('holds the bundles and package.json in app.asar, and nothing else', () => {
    const files = asarFiles(getRawHeader(join(appDir, 'resources', 'app.asar')).header);
    expect(files).toEqual(expect.arrayContaining(['dist/main/index.cjs', 'dist/preload/index.cjs', 'package.json']));
    for (const file of files) expect(file).toMatch(/^(dist\/(main|preload|renderer)\/.+|package\.json)$/);
    expect(files.filter((f) => f.endsWith('.map') || f.includes('node_modules'))).toEqual([]);
  });

  it('is named Switchyard when it runs: Electron takes the name from the packed package.json’s productName', () => {
    const packed = JSON.parse(extractFile(join(appDir, 'resources', 'app.asar'), 'package.json').toString()) as { name: string; productName?: string };
    expect(packed.productName ?? packed.name).toBe('Switchyard');
  });

  it('puts the Linux tray images in resources/tray, where src-main looks', async () => {
    expect((await readdir(join(appDir, 'resources', 'tray'))).sort()).toEqual([trayImageFile('linux', false), trayImageFile('linux', true)].sort());
  });

  it('flips every fuse as the configuration sets it', async () => {
    const { config } = await loadBuilderConfig();
    const fuses = readFuseWire(await readFile(join(appDir, 'switchyard')));
    expect(Object.keys(config.electronFuses).length).toBeGreaterThan(0);
    expect(fuses).toMatchObject(config.electronFuses);
  });
});
