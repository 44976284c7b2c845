// What the fakes that speak Gemini answer in each phase, as the parent sets it over IPC: the short reply
// of the load phases, or STREAM_CHUNKS pieces of text spaced by `streamDelay`, after a pause before the
// first one (`tokenDelay`). The gateway always asks for a stream, so the fake cannot tell which it is.
// Each fake also keeps the last generate request it got, as it came (`lastGenerate`), so the bench can
// send the same request straight to the fake: the direct call a gateway's cost is measured against.

import type { Behaviour } from '../tests/fakes/gemini-upstream.js';
import { SHORT_REPLY, STREAM_CHUNKS, streamText, type RawRequest } from './bodies.js';
import type { ChildOp } from './ipc.js';

export interface GeminiPhases {
  behaviour(): Behaviour;
  /** Keeps the last generate request seen, made into bytes only if the bench asks for it. */
  saw(request: () => RawRequest): void;
  ops: Record<string, ChildOp>;
}

export function geminiPhases(): GeminiPhases {
  const short: Behaviour = { kind: 'reply', text: SHORT_REPLY, chunks: 1 };
  const text = streamText();
  let streamReplies = false;
  let chunkDelayMs = 0;
  let firstTokenDelayMs = 0;
  let last: (() => RawRequest) | null = null;
  return {
    behaviour: () => (streamReplies ? { kind: 'reply', text, chunks: STREAM_CHUNKS, chunkDelayMs, firstByteDelayMs: firstTokenDelayMs } : short),
    saw: (request) => {
      last = request;
    },
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
      lastGenerate: () => {
        if (!last) throw new Error('no generate request seen yet');
        return last();
      },
    },
  };
}

/** The headers a generate request is sent again with: its type and its credential. */
export function replayHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'x-goog-api-key', 'authorization']) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
