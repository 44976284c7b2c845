// What the fakes that speak Gemini answer in each phase, as the parent sets it over IPC: the short reply
// of the load phases, or STREAM_CHUNKS pieces of text spaced by `streamDelay`, after a pause before the
// first one (`tokenDelay`). The gateway always asks for a stream, so the fake cannot tell which it is.

import type { Behaviour } from '../tests/fakes/gemini-upstream.js';
import { SHORT_REPLY, STREAM_CHUNKS, streamText } from './bodies.js';
import type { ChildOp } from './ipc.js';

export function geminiPhases(): { behaviour(): Behaviour; ops: Record<string, ChildOp> } {
  const short: Behaviour = { kind: 'reply', text: SHORT_REPLY, chunks: 1 };
  const text = streamText();
  let streamReplies = false;
  let chunkDelayMs = 0;
  let firstTokenDelayMs = 0;
  return {
    behaviour: () => (streamReplies ? { kind: 'reply', text, chunks: STREAM_CHUNKS, chunkDelayMs, firstByteDelayMs: firstTokenDelayMs } : short),
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
  };
}
