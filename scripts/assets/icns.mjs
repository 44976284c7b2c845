// macOS .icns container: 'icns' + total length, then one element per image (OSType + length + PNG).
import { Buffer } from 'node:buffer';
import { encodePng } from './png.mjs';

/** The PNG-carrying element types, with the pixel size each one holds (@2x types hold twice their point size). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['ic11', 32], // 16 pt @2x
  ['icp5', 32],
  ['ic12', 64], // 32 pt @2x
  ['ic07', 128],
  ['ic13', 256], // 128 pt @2x
  ['ic08', 256],
  ['ic14', 512], // 256 pt @2x
  ['ic09', 512],
  ['ic10', 1024], // 512 pt @2x
];

function element(type, data) {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(data.length + 8, 4);
  return Buffer.concat([head, data]);
}

/** `imageOfSize(px)` returns the RGBA pixels for a square image of that size. */
export function encodeIcns(imageOfSize) {
  const body = Buffer.concat(ICNS_TYPES.map(([type, size]) => element(type, encodePng(size, size, imageOfSize(size)))));
  return element('icns', body);
}
