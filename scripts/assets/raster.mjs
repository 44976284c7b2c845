// A small shape rasteriser. Shapes are predicates over unit coordinates (0..1 across the image, y down);
// each pixel is sampled on a fixed grid, so edges are antialiased and the result depends only on
// +, -, *, / and sqrt, which IEEE 754 fixes bit for bit on every machine.
import { Buffer } from 'node:buffer';

const GRID = 4; // 4 x 4 samples per pixel

/** A rounded rectangle from (x0, y0) to (x1, y1) with corner radius r. */
export function roundedRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = x < x0 + r ? x0 + r - x : x > x1 - r ? x - (x1 - r) : 0;
    const dy = y < y0 + r ? y0 + r - y : y > y1 - r ? y - (y1 - r) : 0;
    return dx * dx + dy * dy <= r * r;
  };
}

/** Distance from (x, y) to the point (px, py). */
export function pointDistance(px, py) {
  return (x, y) => Math.sqrt((x - px) * (x - px) + (y - py) * (y - py));
}

/** Distance from (x, y) to the segment (of non-zero length) from (ax, ay) to (bx, by). */
export function segmentDistance(ax, ay, bx, by) {
  const vx = bx - ax;
  const vy = by - ay;
  const lengthSquared = vx * vx + vy * vy;
  return (x, y) => {
    const t = Math.min(1, Math.max(0, ((x - ax) * vx + (y - ay) * vy) / lengthSquared));
    const dx = x - (ax + t * vx);
    const dy = y - (ay + t * vy);
    return Math.sqrt(dx * dx + dy * dy);
  };
}

export const both =
  (...shapes) =>
  (x, y) =>
    shapes.every((s) => s(x, y));

/**
 * Paints `layers` (`{ shape, color: [r, g, b] }`, later layers on top, all opaque) into a square RGBA
 * image; a pixel's alpha is the share of its samples that any layer covers.
 */
export function rasterize(size, layers) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = GRID * GRID;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < GRID; sy++) {
        const y = (py + (sy + 0.5) / GRID) / size;
        for (let sx = 0; sx < GRID; sx++) {
          const x = (px + (sx + 0.5) / GRID) / size;
          for (let i = layers.length - 1; i >= 0; i--) {
            if (!layers[i].shape(x, y)) continue;
            const [lr, lg, lb] = layers[i].color;
            covered++;
            r += lr;
            g += lg;
            b += lb;
            break;
          }
        }
      }
      if (covered === 0) continue;
      const at = (py * size + px) * 4;
      rgba[at] = Math.round(r / covered);
      rgba[at + 1] = Math.round(g / covered);
      rgba[at + 2] = Math.round(b / covered);
      rgba[at + 3] = Math.round((covered * 255) / samples);
    }
  }
  return rgba;
}
