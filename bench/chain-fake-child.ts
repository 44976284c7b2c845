// Child process: the upstream of the fallback bench (fallback.ts, which passes two keys as arguments),
// the fake Anthropic API from tests/fakes answering by the account's key. The `dead` account's key gets
// a 429 that puts it out for a day (its link is then known to be out and skipped); the `flaky` account's
// key gets a 500 every time (its link fails live, and no cooldown follows a server error); any other key
// gets the short reply, streamed when asked (the gateway always asks upstream for a stream). It counts
// the requests per key, so the bench can tell how many upstream round trips a request cost.

import { startFakeAnthropic } from '../tests/fakes/anthropic-upstream.js';
import { SHORT_REPLY } from './bodies.js';
import { runChild } from './ipc.js';

const [DEAD_KEY = 'dead', FLAKY_KEY = 'flaky'] = process.argv.slice(2);

runChild('chain upstream', async () => {
  const counts: Record<string, number> = {};
  const fake = await startFakeAnthropic({
    defaultBehaviour: (rec) => {
      // Bodies are not kept: at thousands of requests the record would grow without end.
      fake.reset();
      const key = String(rec.headers['x-api-key'] ?? '');
      counts[key] = (counts[key] ?? 0) + 1;
      if (key === DEAD_KEY) return { kind: 'error', status: 429, type: 'rate_limit_error', message: 'Rate limited.', headers: { 'retry-after': '86400' } };
      if (key === FLAKY_KEY) return { kind: 'error', status: 500, type: 'api_error', message: 'Internal server error.' };
      return { kind: 'reply', text: SHORT_REPLY };
    },
  });
  return { port: Number(new URL(fake.url).port), ops: { counts: () => counts }, close: () => fake.close() };
});
