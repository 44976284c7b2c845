// How big a long-running gateway lets its heap grow. Its live data is small (its code, the settings and
// accounts, the last log entries: some 25 MB), but under load much of what a request allocates
// outlives a young-generation collection, because the request is still running, and is promoted. V8
// then lets the old generation grow to up to four times the live size before it collects it, which
// put `serve` above 200 MB under the bench's load for 25 MB of live data. Letting it grow by three
// quarters before a full collection keeps the process near what it needs (doubling left it some 10 MB
// higher through the bench's load), at no CPU cost we could measure (those collections are mostly
// concurrent and short at this heap size). V8 reads this setting each time it sizes the heap, so it
// applies when set at start-up.
//
// The young generation is the other half. V8 doubles it whenever much of it survives a collection, up
// to 32 MB, and loading the program alone (its dependencies, the bundle) takes it there: 32 MB of
// memory touched over and over for objects that live a few milliseconds. A gateway's requests die
// young or live as long as their upstream call, so a young generation of a few MB collects as much
// garbage; beyond that, growing it only adds resident memory. Node takes the size cap only on its
// command line, which `switchyard serve` does not own; the growth factor, though, V8 reads each time
// it would grow. So the launcher (bin/switchyard.mjs) holds the young generation at its starting
// size while the program loads, and `serve` then lets it grow, and stops it once it reaches the cap.

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 75;
/** Both halves of the young generation together, MB. */
export const YOUNG_GENERATION_MB = 8;
/** V8's own growth step, restored while the young generation is below the cap. */
const GROWTH_FACTOR = 2;

export function keepHeapNearLiveSize(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  capYoungGeneration(YOUNG_GENERATION_MB);
}

/** The young generation's size now, MB (both semi-spaces). */
export function youngGenerationMb(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space ? space.space_size / (1024 * 1024) : 0;
}

/** Stops V8 growing the young generation further (it never shrinks below its size by this). */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Lets the young generation grow until it is `capMb` and holds it there. V8 grows it only at the end of
 * a collection, and only after a whole generation's worth has survived since the last step, so looking
 * after each collection stops it at the first size at or over the cap. Started bigger (without the
 * launcher's hold), it stays as it is.
 */
export function capYoungGeneration(capMb: number): void {
  if (youngGenerationMb() >= capMb) {
    holdYoungGeneration();
    return;
  }
  setFlagsFromString(`--semi-space-growth-factor=${GROWTH_FACTOR}`);
  const watcher = new PerformanceObserver(() => {
    if (youngGenerationMb() < capMb) return;
    holdYoungGeneration();
    watcher.disconnect();
  });
  watcher.observe({ entryTypes: ['gc'] });
}
