// The committed icons are exactly what scripts/generate-assets.mjs draws, and they follow the
// platforms' rules: template images black and alpha only, the stopped image plainly not the running one.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opaquePixels, readIco, readPng } from './image-files.js';

const root = join(import.meta.dirname, '..', '..');
const assets = join(root, 'assets');
// Hand-written files that live beside the generated ones.
const HAND_WRITTEN = ['entitlements.mac.plist'];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('scripts/generate-assets.mjs', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'switchyard-assets-'));
    await promisify(execFile)(process.execPath, [join(root, 'scripts', 'generate-assets.mjs'), outDir], { timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('reproduces every committed asset byte for byte', async () => {
    const generated = await listFiles(outDir);
    expect(generated.length).toBeGreaterThan(0);
    for (const name of generated) {
      const [fresh, committed] = await Promise.all([readFile(join(outDir, name)), readFile(join(assets, name))]);
      expect(fresh.equals(committed), `${name} differs from the committed copy; run node scripts/generate-assets.mjs`).toBe(true);
    }
  });

  it('leaves no committed image that the script no longer draws', async () => {
    const committed = (await listFiles(assets)).filter((name) => !HAND_WRITTEN.includes(name));
    expect(committed).toEqual(await listFiles(outDir));
  });
});

describe('the tray images', () => {
  const tray = (name: string) => readFile(join(assets, 'tray', name)).then((bytes) => readPng(bytes));

  it.each(['trayTemplate.png', 'trayTemplate@2x.png', 'trayStoppedTemplate.png', 'trayStoppedTemplate@2x.png'])(
    '%s is a template image: black and alpha only, and not empty',
    async (name) => {
      const { rgba } = await tray(name);
      let coloured = 0;
      for (let i = 0; i < rgba!.length; i += 4) if (rgba![i] || rgba![i + 1] || rgba![i + 2]) coloured++;
      expect(coloured).toBe(0);
      expect(opaquePixels(rgba!)).toBeGreaterThan(0);
    },
  );

  // Stopped is the running mark hollowed out: the same outline, a good part of its inside clear.
  it.each([
    ['trayTemplate@2x.png', 'trayStoppedTemplate@2x.png'],
    ['trayTemplate.png', 'trayStoppedTemplate.png'],
    ['tray.png', 'tray-stopped.png'],
  ])('%s and %s are told apart at a glance', async (runningName, stoppedName) => {
    const [running, stopped] = await Promise.all([tray(runningName), tray(stoppedName)]);
    const ratio = opaquePixels(stopped.rgba!) / opaquePixels(running.rgba!);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(0.8);
  });

  // The Windows and Linux images are one drawing; the .ico's 32 px entry is stored as a DIB, so this
  // also checks its channel order and row direction.
  it.each([
    ['tray.ico', 'tray.png'],
    ['tray-stopped.ico', 'tray-stopped.png'],
  ])('%s holds at 32 px the pixels of %s', async (icoName, pngName) => {
    const [ico, png] = await Promise.all([readFile(join(assets, 'tray', icoName)).then((b) => readIco(b)), tray(pngName)]);
    const entry = ico.find((e) => e.width === 32);
    expect(entry?.format).toBe('dib');
    expect(entry!.rgba!.equals(png.rgba!)).toBe(true);
  });
});
