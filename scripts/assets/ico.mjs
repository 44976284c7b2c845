// Windows .ico container: a directory of images, the small ones as 32-bit DIBs (what every Windows API
// reads), 256 px as PNG (what Windows expects at that size, and what keeps the file small).
import { Buffer } from 'node:buffer';
import { encodePng } from './png.mjs';

const DIRECTORY_HEADER = 6;
const DIRECTORY_ENTRY = 16;
const BITMAPINFOHEADER = 40;

/** A DIB as an .ico stores it: BITMAPINFOHEADER with doubled height, BGRA rows bottom-up, then the 1-bit AND mask. */
function encodeDib(size, rgba) {
  const maskStride = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(BITMAPINFOHEADER);
  header.writeUInt32LE(BITMAPINFOHEADER, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows and mask rows together
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  header.writeUInt32LE(size * size * 4 + maskStride * size, 20); // image size; compression (16) stays BI_RGB

  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = (row * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
      // The mask marks fully transparent pixels, for readers that ignore the alpha channel.
      if (rgba[from + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

/** `images`: square RGBA images `{ size, rgba }`, at most 256 px, in the order they should be listed. */
export function encodeIco(images) {
  const header = Buffer.alloc(DIRECTORY_HEADER);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);

  const bodies = images.map(({ size, rgba }) => {
    if (size > 256) throw new Error(`an .ico image is at most 256 px, got ${size}`);
    return size === 256 ? encodePng(size, size, rgba) : encodeDib(size, rgba);
  });

  let offset = DIRECTORY_HEADER + DIRECTORY_ENTRY * images.length;
  const entries = images.map(({ size }, i) => {
    const entry = Buffer.alloc(DIRECTORY_ENTRY);
    entry[0] = size % 256; // 0 means 256
    entry[1] = size % 256;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(bodies[i].length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += bodies[i].length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...bodies]);
}
