// The Switchyard mark: a railway switch. A straight track runs bottom to top; at the switch a second
// track leaves it on a curve and runs off to the upper right. The app icon draws both tracks as pairs
// of rails on a dark tile; the tray draws them as one solid band (running) or as bare rails (stopped).
import { both, pointDistance, rasterize, roundedRect, segmentDistance } from './raster.mjs';

const HALF_SQRT2 = Math.sqrt(0.5);

/**
 * Distance functions to the two tracks' centre lines. The diverging track is an arc of radius `radius`
 * tangent to the straight one at height `switchY`, turning through 45 degrees, then a straight run.
 */
function trackLayout(trunkX, switchY, radius) {
  const straight = segmentDistance(trunkX, -1, trunkX, 2);
  const cx = trunkX + radius;
  const cy = switchY;
  const endX = cx - radius * HALF_SQRT2;
  const endY = cy - radius * HALF_SQRT2;
  const run = segmentDistance(endX, endY, endX + 2 * HALF_SQRT2, endY - 2 * HALF_SQRT2);
  const toArcEnd = pointDistance(endX, endY);
  const arc = (x, y) => {
    const vx = x - cx;
    const vy = y - cy;
    // Below the switch the diverging track is the straight one: its rails stop there, cut square.
    if (vy > 0) return Infinity;
    // Inside the 45-degree sector from the switch point (pointing left) to the arc's upper end.
    if (vx <= 0 && vy >= vx) return Math.abs(Math.sqrt(vx * vx + vy * vy) - radius);
    return toArcEnd(x, y);
  };
  const diverging = (x, y) => Math.min(arc(x, y), run(x, y));
  return { straight, diverging, either: (x, y) => Math.min(straight(x, y), diverging(x, y)) };
}

/** Two rails `gauge` apart (centre to centre), each `width` wide, along a track's centre line. */
const rails = (distance, gauge, width) => (x, y) => Math.abs(distance(x, y) - gauge / 2) <= width / 2;
const band = (distance, width) => (x, y) => distance(x, y) <= width / 2;

const rgb = (hex) => [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));

const APP_TRUNK_X = 0.4;
const APP = {
  // The macOS icon grid: an 824 px tile centred on a 1024 px canvas, corner radius about 185 px.
  tile: roundedRect(100 / 1024, 100 / 1024, 924 / 1024, 924 / 1024, 185 / 1024),
  tracks: trackLayout(APP_TRUNK_X, 0.66, 0.42),
  gauge: 0.17,
  rail: 0.036,
  colors: { tile: rgb('1e3354'), sleeper: rgb('3f5a80'), straight: rgb('e6ecf2'), diverging: rgb('f5b700') },
};

/** Sleepers under the straight track: short bars across it at even steps. */
function sleepers(trunkX, halfLength, halfThickness, step) {
  return (x, y) => {
    if (Math.abs(x - trunkX) > halfLength) return false;
    const phase = y / step - Math.floor(y / step);
    return Math.abs(phase - 0.5) * step <= halfThickness;
  };
}

/** The application icon at `size` px: straight track in white, the diverging one in signal amber. */
export function appIcon(size) {
  const { tile, tracks, gauge, rail, colors } = APP;
  return rasterize(size, [
    { shape: tile, color: colors.tile },
    { shape: both(tile, sleepers(APP_TRUNK_X, 0.15, 0.018, 0.1)), color: colors.sleeper },
    { shape: both(tile, rails(tracks.straight, gauge, rail)), color: colors.straight },
    { shape: both(tile, rails(tracks.diverging, gauge, rail)), color: colors.diverging },
  ]);
}

const TRAY = {
  frame: roundedRect(0.03, 0.03, 0.97, 0.97, 0.2),
  tracks: trackLayout(0.3, 0.78, 0.55),
  width: 0.26,
  rail: 0.085,
};

/** The tray mark: a solid band while the gateway runs, bare rails (hollow) while it is stopped. */
export function trayIcon(size, running, color) {
  const { frame, tracks, width, rail } = TRAY;
  const shape = running ? band(tracks.either, width) : rails(tracks.either, width - rail, rail);
  return rasterize(size, [{ shape: both(frame, shape), color: rgb(color) }]);
}
