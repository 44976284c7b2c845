// Readers for the image containers the packaging ships, written from the formats' specifications rather
// than shared with the generator, so a mistake in one is caught by the other.

import { crc32, inflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngImage {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA, 4 bytes per pixel, rows top to bottom (decoded for 8-bit RGBA images only). */
  rgba: Buffer | null;
}

export const isPng = (bytes: Buffer): boolean => bytes.subarray(0, 8).equals(PNG_SIGNATURE);

/** Parses every chunk (checking each CRC) and decodes 8-bit RGBA pixel data. */
export function readPng(bytes: Buffer): PngImage {
  if (!isPng(bytes)) throw new Error('not a PNG: bad signature');
  let at = 8;
  let header: Omit<PngImage, 'rgba'> | null = null;
  const data: Buffer[] = [];
  let ended = false;
  while (at < bytes.length && !ended) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (bytes.readUInt32BE(at + 8 + length) !== crc32(bytes.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8]!, colorType: body[9]! };
    if (type === 'IDAT') data.push(body);
    ended = type === 'IEND';
    at += 12 + length;
  }
  if (!header || !ended) throw new Error('PNG without IHDR or IEND');
  const rgba = header.bitDepth === 8 && header.colorType === 6 ? unfilter(inflateSync(Buffer.concat(data)), header.width, header.height) : null;
  return { ...header, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function unfilter(raw: Buffer, width: number, height: number): Buffer {
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? out[y * stride + x - 4]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return out;
}

export interface IcoEntry {
  /** The size the directory claims (0 in the directory means 256). */
  listedWidth: number;
  listedHeight: number;
  /** The size the embedded PNG or DIB actually has. */
  width: number;
  height: number;
  format: 'png' | 'dib';
  /** RGBA, rows top to bottom, as for PngImage. */
  rgba: Buffer | null;
}

/** A 32-bit DIB's pixels (BGRA, rows bottom-up) as top-down RGBA; the AND mask after them is not needed. */
function dibPixels(image: Buffer, width: number, height: number): Buffer | null {
  const headerSize = image.readUInt32LE(0);
  if (image.readUInt16LE(14) !== 32) return null;
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = headerSize + ((height - 1 - y) * width + x) * 4;
      const to = (y * width + x) * 4;
      rgba[to] = image[from + 2]!;
      rgba[to + 1] = image[from + 1]!;
      rgba[to + 2] = image[from]!;
      rgba[to + 3] = image[from + 3]!;
    }
  }
  return rgba;
}

export function readIco(bytes: Buffer): IcoEntry[] {
  if (bytes.readUInt16LE(0) !== 0 || bytes.readUInt16LE(2) !== 1) throw new Error('not an .ico: bad header');
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    if (offset + size > bytes.length) throw new Error(`.ico entry ${i} runs past the end of the file`);
    const image = bytes.subarray(offset, offset + size);
    const listed = { listedWidth: bytes[entry] || 256, listedHeight: bytes[entry + 1] || 256 };
    if (isPng(image)) {
      const png = readPng(image);
      return { ...listed, width: png.width, height: png.height, format: 'png' as const, rgba: png.rgba };
    }
    // A DIB's header gives the height of colour and mask rows together.
    const width = image.readInt32LE(4);
    const height = image.readInt32LE(8) / 2;
    return { ...listed, width, height, format: 'dib' as const, rgba: dibPixels(image, width, height) };
  });
}

export interface IcnsElement {
  type: string;
  data: Buffer;
}

export function readIcns(bytes: Buffer): IcnsElement[] {
  if (bytes.toString('latin1', 0, 4) !== 'icns' || bytes.readUInt32BE(4) !== bytes.length) throw new Error('not an .icns: bad header or length');
  const elements: IcnsElement[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at + 4);
    if (length < 8 || at + length > bytes.length) throw new Error(`bad .icns element length at ${at}`);
    elements.push({ type: bytes.toString('latin1', at, at + 4), data: bytes.subarray(at + 8, at + length) });
    at += length;
  }
  return elements;
}

/** How many pixels are at least half opaque. */
export function opaquePixels(rgba: Buffer): number {
  let count = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! >= 128) count++;
  return count;
}
