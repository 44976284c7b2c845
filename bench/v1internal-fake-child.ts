// Child process: the fake Code Assist backend from tests/fakes (a front in front of the fake Gemini
// API), behind the bench's Google accounts (the v1internal path). Like gemini-fake-child.ts, the parent
// says what to answer per phase: the short reply of the load phases, or STREAM_CHUNKS pieces of text
// spaced by `streamDelay`, after a pause before the first one (`tokenDelay`).

import { startFakeV1Internal } from '../tests/fakes/v1internal-upstream.js';
import type { Behaviour } from '../tests/fakes/gemini-upstream.js';
import { CODE_ASSIST_TOKENS, GEMINI_MODEL, SHORT_REPLY, STREAM_CHUNKS, streamText } from './bodies.js';
import { runChild } from './ipc.js';

runChild('fake Code Assist upstream', async () => {
  const short: Behaviour = { kind: 'reply', text: SHORT_REPLY, chunks: 1 };
  const text = streamText();
  let streamReplies = false;
  let chunkDelayMs = 0;
  let firstTokenDelayMs = 0;
  const fake = await startFakeV1Internal({
    accounts: Object.values(CODE_ASSIST_TOKENS).map((token, i) => ({ token, project: `bench-project-${i + 1}` })),
    models: [GEMINI_MODEL],
  });
  fake.gemini.setDefault(() => {
    // As in fake-child.ts: the records of both fakes are dropped as we go.
    fake.reset();
    return streamReplies ? { kind: 'reply', text, chunks: STREAM_CHUNKS, chunkDelayMs, firstByteDelayMs: firstTokenDelayMs } : short;
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
