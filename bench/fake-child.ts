// Child process: the fake Anthropic upstream from tests/fakes, behind both the pipe and the gateway.
// What it answers is set per phase by the parent, since the gateway asks it for a stream even for a
// client that asked for none (the pipe passes the client's choice on): the short reply of the load and
// latency phases, as a stream or as JSON, whichever was asked; or, in the streaming phases
// (`streamReplies`), STREAM_CHUNKS text deltas, spaced by `streamDelay`, after a pause before the first
// token (`tokenDelay`).

import { startFakeAnthropic, type Behaviour } from '../tests/fakes/anthropic-upstream.js';
import { SHORT_REPLY, STREAM_CHUNKS, streamText } from './bodies.js';
import { runChild } from './ipc.js';

runChild('fake upstream', async () => {
  const short: Behaviour = { kind: 'reply', text: SHORT_REPLY };
  const text = streamText();
  let streamReplies = false;
  let chunkDelayMs = 0;
  let firstTokenDelayMs = 0;
  const fake = await startFakeAnthropic({
    defaultBehaviour: () => {
      // The fake records every request with its body; at thousands of 300 KB requests that record is
      // a leak in the fake's process (and GC pauses on every path), so it is dropped as we go.
      // (`fake` is assigned before any request can arrive: the fake listens only once created.)
      fake.reset();
      return streamReplies ? { kind: 'reply', text, chunks: STREAM_CHUNKS, chunkDelayMs, firstTokenDelayMs } : short;
    },
  });

  const { port } = new URL(fake.url);
  return {
    port: Number(port),
    ops: {
      streamReplies: (on) => {
        streamReplies = on === true;
        return streamReplies;
      },
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
