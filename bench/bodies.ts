// What the clients send and what the fake answers, shared by the client processes, the fake upstream
// and the bench itself. Everything is deterministic so two runs send the same bytes.

export const MODEL = 'claude-sonnet-4-6';
/** The gateway runs with auth_mode strict; every request carries this key, the pipe's included. */
export const GATEWAY_KEY = 'sk-bench-gateway-key';
export const REQUEST_HEADERS = {
  'content-type': 'application/json',
  'anthropic-version': '2023-06-01',
  'x-api-key': GATEWAY_KEY,
};
export const MESSAGES_PATH = '/v1/messages';
/** text_delta events in each streamed reply. */
export const STREAM_CHUNKS = 200;

const WORDS = (
  'the gateway forwards each request to an upstream account and streams the answer back while the ' +
  'console shows every request live with its account model latency and tokens; a conversation grows ' +
  'turn by turn as the agent reads files runs tools and writes code until the task is done'
).split(' ');

/** Deterministic prose of about `chars` characters (a tiny LCG picks the words). */
function prose(chars: number, seed: number): string {
  let x = seed >>> 0 || 1;
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const word = WORDS[x % WORDS.length]!;
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ');
}

/** Claude Code names its session in metadata.user_id; the gateway keys account stickiness on it. */
const METADATA = { user_id: 'user_5f2c0d4e9b7a4c1e8d3f6a2b9c0e1d4f_account__session_0b6f1c1e-3f1d-4a8e-9c55-2d7b8e4a9f10' };

function encode(body: object): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/** A first turn of about 1 KB: a short system prompt and one user message. */
export function smallRequest(stream = false): Buffer {
  const base = { model: MODEL, max_tokens: 1024, metadata: METADATA, system: 'You are a concise coding assistant.' };
  const fixed = encode({ ...base, messages: [{ role: 'user', content: '' }], ...(stream ? { stream: true } : {}) }).length;
  const content = prose(1024 - fixed, 7).slice(0, 1024 - fixed);
  return encode({ ...base, messages: [{ role: 'user', content }], ...(stream ? { stream: true } : {}) });
}

/** The fake's streamed reply: long enough to split into STREAM_CHUNKS non-empty text deltas. */
export function streamText(): string {
  return prose(STREAM_CHUNKS * 6, 11);
}

/** The fake's non-streaming reply: short, so the measured cost is the request's, not the answer's. */
export const SHORT_REPLY = 'Done: the change is in place.';
