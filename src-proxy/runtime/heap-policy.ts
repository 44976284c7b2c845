// How big a long-running gateway lets its heap grow. Its live data is small (its code, the settings and
// accounts, the last log entries: some 25 MB), but under load much of what a request allocates
// outlives a young-generation collection, because the request is still running, and is promoted. V8
// then lets the old generation grow to up to four times the live size before it collects it, which
// put `serve` above 200 MB under the bench's load for 25 MB of live data. Letting it double before a
// full collection keeps the process near what it needs, at no CPU cost we could measure (those
// collections are mostly concurrent and short at this heap size). V8 reads this setting each time it
// sizes the heap, so it applies when set at start-up.

import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

export function keepHeapNearLiveSize(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
