// Child process: the fake Gemini API from tests/fakes, behind the gateway's Gemini accounts (the
// translated path). The gateway always asks Gemini for a stream, whether its client streams or not, so
// the fake cannot tell them apart; the parent says what to answer per phase (`streamReplies`): the
// short reply of the load phases, or STREAM_CHUNKS pieces of text like the Anthropic fake's stream,
// spaced by `streamDelay`, after a pause before the first one (`tokenDelay`). Gemini has no event
// before its first content, so that pause comes before the response's first byte.

import { startFakeGemini, type Behaviour } from '../tests/fakes/gemini-upstream.js';
import { SHORT_REPLY, STREAM_CHUNKS, streamText } from './bodies.js';
import { runChild } from './ipc.js';

runChild('fake Gemini upstream', async () => {
  const short: Behaviour = { kind: 'reply', text: SHORT_REPLY, chunks: 1 };
  const text = streamText();
  let streamReplies = false;
  let chunkDelayMs = 0;
  let firstTokenDelayMs = 0;
  const fake = await startFakeGemini({
    defaultBehaviour: () => {
      // As in fake-child.ts: the record of every request and of every byte sent is dropped as we go.
      fake.reset();
      return streamReplies ? { kind: 'reply', text, chunks: STREAM_CHUNKS, chunkDelayMs, firstByteDelayMs: firstTokenDelayMs } : short;
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
