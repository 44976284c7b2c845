// Child process: an Anthropic-compatible upstream that refuses, for the fallback bench (fallback.ts,
// which passes the two keys as arguments). A request with the key of the `dead` account gets a 429 that puts it out for a day (its link is then known to be out
// and skipped); one with the key of the `flaky` account (any other) gets a 500 every time (its link fails live, and
// no cooldown follows a server error). It counts the requests per key, so the bench can tell how many
// upstream round trips a request cost.

import { startFakeAnthropic } from '../tests/fakes/anthropic-upstream.js';
import { runChild } from './ipc.js';

/** The dead account's key; every other key (the flaky account's) is refused with a 500. */
const DEAD_KEY = process.argv[2] ?? 'dead';

runChild('refusing upstream', async () => {
  const counts: Record<string, number> = {};
  const fake = await startFakeAnthropic({
    defaultBehaviour: (rec) => {
      fake.reset();
      const key = String(rec.headers['x-api-key'] ?? '');
      counts[key] = (counts[key] ?? 0) + 1;
      return key === DEAD_KEY
        ? { kind: 'error', status: 429, type: 'rate_limit_error', message: 'Rate limited.', headers: { 'retry-after': '86400' } }
        : { kind: 'error', status: 500, type: 'api_error', message: 'Internal server error.' };
    },
  });
  return { port: Number(new URL(fake.url).port), ops: { counts: () => counts }, close: () => fake.close() };
});
