// Child process: the fake Anthropic upstream from tests/fakes, behind both the pipe and the gateway.
// Non-streaming requests get a short reply; streaming ones STREAM_CHUNKS text deltas, spaced by a
// delay the parent sets per phase (`streamDelay`), after a pause before the first token (`tokenDelay`).

import { startFakeAnthropic, type Behaviour } from '../tests/fakes/anthropic-upstream.js';
import { SHORT_REPLY, STREAM_CHUNKS, streamText } from './bodies.js';
import { runChild } from './ipc.js';

runChild('fake upstream', async () => {
  const short: Behaviour = { kind: 'reply', text: SHORT_REPLY };
  const text = streamText();
  let chunkDelayMs = 0;
  let firstTokenDelayMs = 0;
  const fake = await startFakeAnthropic({
    defaultBehaviour: (rec) => {
      // The fake records every request with its body; at thousands of 300 KB requests that record is
      // a leak in the fake's process (and GC pauses on every path), so it is dropped as we go.
      // (`fake` is assigned before any request can arrive: the fake listens only once created.)
      fake.reset();
      const stream = (rec.body as { stream?: unknown } | undefined)?.stream === true;
      return stream ? { kind: 'reply', text, chunks: STREAM_CHUNKS, chunkDelayMs, firstTokenDelayMs } : short;
    },
  });

  const { port } = new URL(fake.url);
  return {
    port: Number(port),
    ops: {
      streamDelay: (ms) => {
        chunkDelayMs = Number(ms);
        return chunkDelayMs;
      },
      tokenDelay: (ms) => {
        firstTokenDelayMs = Number(ms);
        return firstTokenDelayMs;
      },
    },
    close: () => fake.close(),
  };
});
