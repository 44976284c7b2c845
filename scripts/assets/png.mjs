// PNG encoder for 8-bit RGBA images: signature, IHDR, one IDAT, IEND, each chunk with its CRC-32.
import { Buffer } from 'node:buffer';
import { constants, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGBA = 6;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (and zlib) define it: reflected polynomial 0xEDB88320, pre- and post-inverted. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const paeth = (a, b, c) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** The row filters tried: None, Sub (left), Up (above) and Paeth, each as a predictor of one byte. */
const FILTERS = [
  [0, () => 0],
  [1, (left) => left],
  [2, (_left, up) => up],
  [4, paeth],
];

/**
 * Filters a row each way and keeps the one with the smallest sum of bytes read as signed, the heuristic
 * the PNG specification suggests: it favours rows of zeros, which compress best.
 */
function bestFilter(row, above) {
  let best = null;
  for (const [type, predict] of FILTERS) {
    const out = Buffer.alloc(row.length);
    let cost = 0;
    for (let i = 0; i < row.length; i++) {
      const left = i >= 4 ? row[i - 4] : 0;
      const up = above ? above[i] : 0;
      const upLeft = above && i >= 4 ? above[i - 4] : 0;
      out[i] = (row[i] - predict(left, up, upLeft)) & 0xff;
      cost += out[i] < 128 ? out[i] : 256 - out[i];
    }
    if (!best || cost < best.cost) best = { type, out, cost };
  }
  return [best.type, best.out];
}

/** `rgba` holds width * height * 4 bytes, rows top to bottom, straight (not premultiplied) alpha. */
export function encodePng(width, height, rgba) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = COLOR_TYPE_RGBA;
  // compression, filter and interlace methods stay 0: deflate, adaptive filtering, no interlace.

  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : null;
    const [type, filtered] = bestFilter(row, above);
    raw[y * (stride + 1)] = type;
    filtered.copy(raw, y * (stride + 1) + 1);
  }

  // Run-length matching only: unlike zlib's hash-chain search, which some builds speed up with CPU-specific
  // hashing that changes the matches found, it gives the same bytes on every machine. After filtering, the
  // flat colours of these images are long runs of zeros, which it encodes as well as a full search would.
  const compressed = deflateSync(raw, { level: 9, memLevel: 9, strategy: constants.Z_RLE });
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', compressed), chunk('IEND', Buffer.alloc(0))]);
}
