// Draws every icon the desktop app ships into assets/ (or the folder given as the first argument):
// the application icon as PNG, ICO and ICNS, and the tray images under tray/ with the names
// src-main/tray/tray-images.ts asks for. Same code, same bytes: the output is committed, and a test
// regenerates it to check that it still matches.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { encodeIcns } from './assets/icns.mjs';
import { encodeIco } from './assets/ico.mjs';
import { encodePng } from './assets/png.mjs';
import { appIcon, trayIcon } from './assets/switch-motif.mjs';

const TEMPLATE = '000000'; // macOS tints template images itself; only black and alpha count
const RUNNING = '2da44e'; // a green that reads on light and dark taskbars and panels
const STOPPED = '8c959f';
const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64]; // what Windows picks from at 100% to 400% scaling
const LINUX_TRAY_SIZE = 32;

const png = (size, rgba) => encodePng(size, size, rgba);
const ico = (sizes, draw) => encodeIco(sizes.map((size) => ({ size, rgba: draw(size) })));

/** Relative path -> bytes, for every generated file. */
function renderAssets() {
  return new Map([
    ['icon.png', png(1024, appIcon(1024))],
    ['icon.ico', ico(APP_ICO_SIZES, appIcon)],
    ['icon.icns', encodeIcns(appIcon)],
    ['tray/trayTemplate.png', png(16, trayIcon(16, true, TEMPLATE))],
    ['tray/trayTemplate@2x.png', png(32, trayIcon(32, true, TEMPLATE))],
    ['tray/trayStoppedTemplate.png', png(16, trayIcon(16, false, TEMPLATE))],
    ['tray/trayStoppedTemplate@2x.png', png(32, trayIcon(32, false, TEMPLATE))],
    ['tray/tray.ico', ico(TRAY_ICO_SIZES, (size) => trayIcon(size, true, RUNNING))],
    ['tray/tray-stopped.ico', ico(TRAY_ICO_SIZES, (size) => trayIcon(size, false, STOPPED))],
    ['tray/tray.png', png(LINUX_TRAY_SIZE, trayIcon(LINUX_TRAY_SIZE, true, RUNNING))],
    ['tray/tray-stopped.png', png(LINUX_TRAY_SIZE, trayIcon(LINUX_TRAY_SIZE, false, STOPPED))],
  ]);
}

/** Temp file beside the target, flushed, then renamed over it: a reader never sees half an image. */
async function writeAtomic(path, bytes) {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw err;
  }
}

async function main() {
  const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'assets'));
  const assets = renderAssets();
  for (const [name, bytes] of assets) await writeAtomic(join(outDir, name), bytes);
  console.log(`generate-assets: wrote ${assets.size} files to ${outDir}`);
}

await main();
